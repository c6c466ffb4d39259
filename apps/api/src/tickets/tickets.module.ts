import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { TicketAuditController } from './audit/ticket-audit.controller.js';
import { GetTicketHandler, GetTicketLogHandler, GetTicketStateAtHandler } from './audit/ticket-audit.queries.js';
import { ExecuteTicketCommandHandler } from './execute-ticket-command.js';
import { TicketCommandsController } from './ticket-commands.controller.js';
import { TicketStreamRepository } from './ticket-stream.repository.js';

/**
 * Tickets over HTTP: the lifecycle commands and the audit reads. Needs EVENT_STORE and CLOCK
 * from the platform module.
 */
@Module({
  imports: [CqrsModule],
  controllers: [TicketCommandsController, TicketAuditController],
  providers: [TicketStreamRepository, ExecuteTicketCommandHandler, GetTicketHandler, GetTicketLogHandler, GetTicketStateAtHandler],
})
export class TicketsModule {}
