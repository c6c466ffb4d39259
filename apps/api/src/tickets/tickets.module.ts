import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { DEFAULT_TIME_POLICY } from '#ticketing';
import { APP_CONFIG, type AppConfig } from '#platform';
import { TicketAuditController } from './audit/ticket-audit.controller.js';
import { GetTicketHandler, GetTicketLogHandler, GetTicketStateAtHandler } from './audit/ticket-audit.queries.js';
import { COMMAND_PIPELINE, type CommandPipelineSettings } from './command-pipeline-settings.js';
import { ExecuteTicketCommandHandler } from './execute-ticket-command.js';
import { StreamQueue } from './stream-queue.js';
import { TicketCommandsController } from './ticket-commands.controller.js';
import { TICKET_SNAPSHOTS, TicketSnapshots } from './ticket-snapshots.js';
import { TicketStreamRepository } from './ticket-stream.repository.js';

/**
 * Tickets over HTTP: the lifecycle commands and the audit reads. Needs EVENT_STORE, CLOCK and
 * APP_CONFIG from the platform module.
 */
@Module({
  imports: [CqrsModule],
  controllers: [TicketCommandsController, TicketAuditController],
  providers: [
    {
      provide: COMMAND_PIPELINE,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): CommandPipelineSettings => ({
        time: { clockSkewMs: config.clockSkewMs, backdateWindowMs: DEFAULT_TIME_POLICY.backdateWindowMs, earliest: config.earliestOccurredAt },
        retryBudgetMs: config.commandRetryBudgetMs,
      }),
    },
    { provide: TICKET_SNAPSHOTS, inject: [APP_CONFIG], useFactory: (config: AppConfig) => new TicketSnapshots(config.ticketCacheSize) },
    StreamQueue,
    TicketStreamRepository,
    ExecuteTicketCommandHandler,
    GetTicketHandler,
    GetTicketLogHandler,
    GetTicketStateAtHandler,
  ],
})
export class TicketsModule {}
