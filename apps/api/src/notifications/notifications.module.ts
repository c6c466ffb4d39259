import { Module } from '@nestjs/common';
import type pg from 'pg';
import { NotificationQueries, Webhooks } from '#automation';
import { PROJECTIONS_POOL } from '../projections/projections.tokens.js';
import { EventStreamController } from './event-stream.controller.js';
import { EventStreams } from './event-streams.js';
import { NotificationsController } from './notifications.controller.js';
import { WebhooksAdminController } from './webhooks-admin.controller.js';

/**
 * Notifications (issue 11): webhooks for admins, the outbox's delivery state and redelivery, and
 * the live event stream. The deliverer itself runs beside the projection runners
 * (projections.module.ts, the projector). Reads the projections' pool, where the outbox lives.
 */
@Module({
  controllers: [WebhooksAdminController, NotificationsController, EventStreamController],
  providers: [
    { provide: Webhooks, inject: [PROJECTIONS_POOL], useFactory: (pool: pg.Pool) => new Webhooks(pool) },
    { provide: NotificationQueries, inject: [PROJECTIONS_POOL], useFactory: (pool: pg.Pool) => new NotificationQueries(pool) },
    EventStreams,
  ],
})
export class NotificationsModule {}
