import { Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { NotificationQueries, Webhooks, type NotificationPage, type NotificationView } from '#automation';
import { Roles } from '#api/access/access.decorators.js';
import { ApiErrors } from '#api/platform/errors/api-errors.decorator.js';
import { ApiError, CLOCK, type Clock } from '#platform';
import { NotificationListQuery, NotificationPageDto, NotificationWithDeliveriesDto, RedeliverQuery } from './notifications.dto.js';
import { requireUuid } from './uuid-param.js';

/** The outbox and its delivery state for admins (issue 11): what was sent where, what failed, the dead letters. */
@ApiTags('admin: notifications')
@Controller('notifications')
export class NotificationsController {
  constructor(
    private readonly queries: NotificationQueries,
    private readonly webhooks: Webhooks,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  @Roles('admin')
  @ApiOperation({ summary: 'Notifications, newest first, each with its deliveries (attempts, last status and error, next attempt)' })
  @ApiOkResponse({ type: NotificationPageDto })
  list(@Query() query: NotificationListQuery): Promise<NotificationPage> {
    return this.queries.page({
      status: query.status,
      kind: query.kind,
      ticketId: query.ticketId?.toLowerCase(),
      webhookId: query.webhookId?.toLowerCase(),
      limit: query.limit ?? 50,
      before: query.cursor === undefined ? undefined : Number(query.cursor),
    });
  }

  @Post(':id/redeliver')
  @HttpCode(200)
  @Roles('admin')
  @ApiParam({ name: 'id', format: 'uuid', description: 'The notification’s id' })
  @ApiOperation({
    summary:
      'Send a notification again: its dead or delivered deliveries (or only the one to webhookId) go back to pending, ' +
      'attempts 0, due now. The receiver sees the same Idempotency-Key',
  })
  @ApiOkResponse({ type: NotificationWithDeliveriesDto })
  @ApiErrors({ 404: ['NOTIFICATION_NOT_FOUND', 'WEBHOOK_NOT_FOUND'] })
  async redeliver(@Param('id') id: string, @Query() query: RedeliverQuery): Promise<NotificationView> {
    const notificationId = requireUuid('id', id);
    const webhookId = query.webhookId?.toLowerCase();
    if (webhookId !== undefined && !(await this.webhooks.exists(webhookId))) {
      throw new ApiError('WEBHOOK_NOT_FOUND', `No webhook ${webhookId}.`, 'not_found');
    }
    const redelivered = await this.queries.redeliver(notificationId, this.clock.now(), webhookId);
    if (!redelivered) throw new ApiError('NOTIFICATION_NOT_FOUND', `No notification ${id}.`, 'not_found');
    return redelivered;
  }
}
