import { createParamDecorator } from '@nestjs/common';
import { requestContext } from '#platform';
import type { CommandOrigin } from '../../pipeline/ticket-command-pipeline.js';

/**
 * The command's origin from the request: the command id (derived from Idempotency-Key when one
 * was sent), correlation and causation, and the calling key — the envelope every event of the
 * command records.
 */
export const CommandOriginOf = createParamDecorator((): CommandOrigin => {
  const context = requestContext();
  const key = context.caller;
  if (!key) throw new Error('a ticket command ran without an authenticated caller');
  return {
    envelope: {
      commandId: context.commandId,
      correlationId: context.correlationId,
      causationId: context.causationId ?? context.commandId,
      caller: { service: key.name, apiKeyId: key.apiKeyId },
    },
    mayBackdate: key.roles.includes('importer') || key.roles.includes('admin'),
  };
});
