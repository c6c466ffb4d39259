import type { ApiErrorCode } from '#platform';
import type { DomainErrorCode } from '#ticketing';

/** Codes the HTTP layer answers with itself: validation, the body parser, a failed health check, a fault of ours. */
export type HttpLayerErrorCode = 'VALIDATION_FAILED' | 'INVALID_JSON' | 'PAYLOAD_TOO_LARGE' | 'SERVICE_UNAVAILABLE' | 'INTERNAL_ERROR';

/** Every code an answer of the API may carry: documented per endpoint (ApiErrors) and checked by the compiler in specs. */
export type ErrorCode = DomainErrorCode | ApiErrorCode | HttpLayerErrorCode;
