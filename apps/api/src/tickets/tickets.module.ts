import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { APP_CONFIG, type AppConfig } from '#platform';
import { DEFAULT_TIME_POLICY } from '#ticketing';
import { TicketAuditController } from './audit/ticket-audit.controller.js';
import { GetTicketHandler, GetTicketLogHandler, GetTicketStateAtHandler } from './audit/ticket-audit.queries.js';
import { ClaimTicketController } from './commands/claim-ticket/claim-ticket.controller.js';
import { CloseTicketController } from './commands/close-ticket/close-ticket.controller.js';
import { EscalateTicketController } from './commands/escalate-ticket/escalate-ticket.controller.js';
import { OpenTicketController } from './commands/open-ticket/open-ticket.controller.js';
import { PutTicketOnHoldController } from './commands/put-ticket-on-hold/put-ticket-on-hold.controller.js';
import { ReclassifyTicketController } from './commands/reclassify-ticket/reclassify-ticket.controller.js';
import { ReleaseTicketController } from './commands/release-ticket/release-ticket.controller.js';
import { ReopenTicketController } from './commands/reopen-ticket/reopen-ticket.controller.js';
import { RespondToTicketController } from './commands/respond-to-ticket/respond-to-ticket.controller.js';
import { ResumeTicketController } from './commands/resume-ticket/resume-ticket.controller.js';
import { RouteTicketController } from './commands/route-ticket/route-ticket.controller.js';
import { SurveyTicketController } from './commands/survey-ticket/survey-ticket.controller.js';
import { PIPELINE_SETTINGS, type PipelineSettings } from './pipeline/pipeline-settings.js';
import { StreamQueue } from './pipeline/stream-queue.js';
import { TicketCommandPipeline } from './pipeline/ticket-command-pipeline.js';
import { TICKET_SNAPSHOTS, TicketSnapshots } from './pipeline/ticket-snapshots.js';
import { TicketStreamRepository } from './pipeline/ticket-stream.repository.js';

/**
 * Tickets over HTTP: a folder per command (its route, DTO and rules) over one command pipeline,
 * and the audit reads (three queries over the QueryBus). Needs EVENT_STORE, CLOCK and
 * APP_CONFIG from the platform module.
 */
@Module({
  imports: [CqrsModule],
  controllers: [
    OpenTicketController,
    RouteTicketController,
    ClaimTicketController,
    ReleaseTicketController,
    RespondToTicketController,
    PutTicketOnHoldController,
    ResumeTicketController,
    ReclassifyTicketController,
    EscalateTicketController,
    CloseTicketController,
    ReopenTicketController,
    SurveyTicketController,
    TicketAuditController,
  ],
  providers: [
    {
      provide: PIPELINE_SETTINGS,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): PipelineSettings => ({
        time: {
          clockSkewMs: config.clockSkewMs,
          backdateWindowMs: DEFAULT_TIME_POLICY.backdateWindowMs,
          earliest: config.earliestOccurredAt,
        },
        retryBudgetMs: config.commandRetryBudgetMs,
        referenceMode: config.referenceMode,
      }),
    },
    { provide: TICKET_SNAPSHOTS, inject: [APP_CONFIG], useFactory: (config: AppConfig) => new TicketSnapshots(config.ticketCacheSize) },
    StreamQueue,
    TicketStreamRepository,
    TicketCommandPipeline,
    GetTicketHandler,
    GetTicketLogHandler,
    GetTicketStateAtHandler,
  ],
})
export class TicketsModule {}
