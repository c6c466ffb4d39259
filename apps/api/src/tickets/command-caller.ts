import { applyDecorators, createParamDecorator } from '@nestjs/common';
import { Roles } from '../access/access.decorators.js';
import { Idempotent } from '../idempotency/idempotent.decorator.js';
import { requestContext } from '#platform';

/** Who sends a ticket command, as the pipeline records it in the events' metadata. */
export interface Caller {
  commandId: string;
  correlationId: string;
  causationId: string | undefined;
  apiKeyId: string;
  service: string;
  /** importer and admin keys may state an occurredAt further back than the clock skew */
  mayBackdate: boolean;
}

export const CommandCaller = createParamDecorator((): Caller => {
  const context = requestContext();
  const key = context.caller;
  if (!key) throw new Error('a ticket command ran without an authenticated caller');
  return {
    commandId: context.commandId,
    correlationId: context.correlationId,
    causationId: context.causationId,
    apiKeyId: key.apiKeyId,
    service: key.name,
    mayBackdate: key.roles.includes('importer') || key.roles.includes('admin'),
  };
});

/** Ticket commands are for services and importers (admin always may), and honour Idempotency-Key. */
export const CommandEndpoint = (): MethodDecorator => applyDecorators(Roles('service', 'importer'), Idempotent());
