import type { SchemaObject } from '@nestjs/swagger';

/** OpenAPI schema of HttpErrorBody (to-http-error.ts): the body of every error answer. */
export const ERROR_BODY_SCHEMA: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  required: ['statusCode', 'code', 'message'],
  properties: {
    statusCode: { type: 'integer', description: 'The HTTP status, repeated' },
    code: {
      type: 'string',
      description: 'Stable and machine-readable: VALIDATION_FAILED, UNAUTHENTICATED, FORBIDDEN_ROLE, REPORT_TIMEOUT …',
    },
    message: { type: 'string', description: 'A sentence for people' },
    details: {
      type: 'object',
      additionalProperties: true,
      description: 'What the code needs to be acted on (e.g. retryAfterSeconds of a 503)',
    },
    errors: {
      type: 'array',
      description: 'VALIDATION_FAILED only: each invalid field with its messages',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['field', 'messages'],
        properties: { field: { type: 'string' }, messages: { type: 'array', items: { type: 'string' } } },
      },
    },
    correlationId: { type: 'string', description: 'Finds the request in the server log' },
  },
};

/** `Retry-After` of a 503 (an ApiError of kind `unavailable`): whole seconds. */
export const RETRY_AFTER_HEADER = {
  'Retry-After': {
    description: 'Seconds to wait before sending the request again (details.retryAfterSeconds, rounded up)',
    schema: { type: 'integer', minimum: 1 },
  },
};
