import { applyDecorators } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiProduces,
  ApiServiceUnavailableResponse,
  ApiUnauthorizedResponse,
  type SchemaObject,
} from '@nestjs/swagger';
import { ERROR_BODY_SCHEMA, RETRY_AFTER_HEADER } from '../platform/errors/error-body.schema.js';

/**
 * The OpenAPI answers of the report endpoints, exact to what is sent: every JSON field with
 * its type and nullability (PostgreSQL's counts are cast to int, rates and durations are
 * float8: all JSON numbers), so the answers validate against /docs-json.
 */

export const text: SchemaObject = { type: 'string' };
export const integer: SchemaObject = { type: 'integer' };
export const number: SchemaObject = { type: 'number' };
export const boolean: SchemaObject = { type: 'boolean' };
export const instant: SchemaObject = { type: 'string', format: 'date-time' };
export const localDate: SchemaObject = { type: 'string', format: 'date' };

export function nullable(schema: SchemaObject): SchemaObject {
  return schema.enum ? { ...schema, nullable: true, enum: [...schema.enum, null] } : { ...schema, nullable: true };
}

export function oneOf(values: readonly string[]): SchemaObject {
  return { type: 'string', enum: [...values] };
}

/** An object with exactly these fields, every one present unless listed as optional. */
export function record(properties: Record<string, SchemaObject>, optional: readonly string[] = []): SchemaObject {
  const required = Object.keys(properties).filter((name) => !optional.includes(name));
  return { type: 'object', additionalProperties: false, ...(required.length > 0 ? { required } : {}), properties };
}

const ERROR_CONTENT = { 'application/json': { schema: ERROR_BODY_SCHEMA } };

export interface ReportAnswerShape {
  /** the `report` field of the answer */
  report: string;
  /** what the 200 is */
  description: string;
  /** the answer's own fields between the envelope and `rows` */
  head?: Record<string, SchemaObject>;
  /** one row of `rows` */
  row: SchemaObject;
}

/** The JSON body: the envelope, the report's own fields, then `rows`. */
export function reportBodySchema(shape: ReportAnswerShape): SchemaObject {
  return record({
    report: { type: 'string', enum: [shape.report] },
    asOf: instant,
    period: record({ from: instant, to: instant }),
    timeZone: text,
    ...shape.head,
    rows: { type: 'array', items: shape.row },
  });
}

/** 200 as JSON or CSV, 400, 401, 403 and 503 (with Retry-After), each with its body's schema. */
export function ReportAnswers(shape: ReportAnswerShape): MethodDecorator {
  return applyDecorators(
    ApiProduces('application/json', 'text/csv'),
    ApiOkResponse({
      description:
        `${shape.description}. JSON, or with \`Accept: text/csv\` CSV (a header row, then the rows with the window's columns ` +
        'as_of, period_from, period_to, time_zone; also in the Report-* headers). Streamed as it is read.',
      content: {
        'application/json': { schema: reportBodySchema(shape) },
        'text/csv': { schema: { type: 'string', description: 'RFC 4180, CRLF line ends, UTF-8' } },
      },
    }),
    ApiBadRequestResponse({
      description:
        'VALIDATION_FAILED naming each bad parameter in `errors` — also a period touching more than REPORT_MAX_DAYS local days, ' +
        'and limit/offset/n out of range — or INVALID_POSITION (minPosition).',
      content: ERROR_CONTENT,
    }),
    ApiUnauthorizedResponse({ description: 'No API key, or an unknown or revoked one (UNAUTHENTICATED).', content: ERROR_CONTENT }),
    ApiForbiddenResponse({ description: 'The key has none of the roles analyst, admin (FORBIDDEN_ROLE).', content: ERROR_CONTENT }),
    ApiServiceUnavailableResponse({
      description:
        'Try again after Retry-After: REPORT_TIMEOUT (the statement ran past REPORT_STATEMENT_TIMEOUT; once the answer has begun, ' +
        'that breaks the connection instead), ' +
        'REPORTS_BUSY (no report connection freed up in that time), ' +
        'PROJECTION_NOT_CAUGHT_UP (minPosition not reached).',
      headers: RETRY_AFTER_HEADER,
      content: ERROR_CONTENT,
    }),
  );
}
