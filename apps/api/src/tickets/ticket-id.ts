import { applyDecorators, Param, type PipeTransform } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';
import { RequestValidationError } from '#platform';

/** A UUID in any case; the product keeps the lower-case form (RFC 9562 §4: compare case-insensitively). */
export const TICKET_ID_PATTERN = '^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$';
const TICKET_ID = new RegExp(TICKET_ID_PATTERN);

/** One ticket per id: `237B…` and `237b…` are the same ticket, stored and found as `237b…`. */
export function canonicalTicketId(id: string): string {
  return id.toLowerCase();
}

export function isTicketId(value: unknown): value is string {
  return typeof value === 'string' && TICKET_ID.test(value);
}

class TicketIdPipe implements PipeTransform<unknown, string> {
  transform(value: unknown): string {
    if (!isTicketId(value))
      throw new RequestValidationError([
        { field: 'id', messages: ['id must be a ticket id: a UUID such as 0b7c4e0e-8d0c-4c3f-9f7e-1f2a3b4c5d6e'] },
      ]);
    return canonicalTicketId(value);
  }
}

const pipe = new TicketIdPipe();

/** The `:id` path parameter, checked and lower-cased. */
export const TicketIdParam = (): ParameterDecorator => Param('id', pipe);

export const ApiTicketIdParam = (): MethodDecorator =>
  applyDecorators(
    ApiParam({
      name: 'id',
      description: 'The ticket id, a UUID (any case; the lower-case form is kept)',
      schema: { type: 'string', pattern: TICKET_ID_PATTERN },
    }),
  );
