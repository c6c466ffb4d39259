import { SetMetadata, applyDecorators } from '@nestjs/common';
import { ApiHeader, ApiUnprocessableEntityResponse } from '@nestjs/swagger';

export const IDEMPOTENT_ENDPOINT = 'idempotency:endpoint';
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
export const IDEMPOTENT_REPLAYED_HEADER = 'Idempotent-Replayed';

/**
 * A command endpoint that honours `Idempotency-Key` (DESIGN.md §3): the first answer (a
 * success or a 4xx) is stored and replayed for the same key with `Idempotent-Replayed: true`;
 * the key with another request is 422 IDEMPOTENCY_KEY_REUSED. The handler reads its command
 * id from `requestContext().commandId`. Checked before the handler's own `If-Match`.
 */
export function Idempotent(): MethodDecorator {
  return applyDecorators(
    SetMetadata(IDEMPOTENT_ENDPOINT, true),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description:
        'Retry-safe key (1–200 visible ASCII characters), scoped to the API key: ' +
        'the first answer is stored and replayed with Idempotent-Replayed: true.',
    }),
    ApiUnprocessableEntityResponse({ description: 'IDEMPOTENCY_KEY_REUSED: the key was used for a different request.' }),
  );
}
