import { RequestValidationError } from '#platform';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A path parameter that must be a UUID: 400 VALIDATION_FAILED naming it, before PostgreSQL would refuse the cast. */
export function requireUuid(field: string, value: string): string {
  if (!UUID.test(value)) throw new RequestValidationError([{ field, messages: [`${field} must be a UUID`] }]);
  return value.toLowerCase();
}
