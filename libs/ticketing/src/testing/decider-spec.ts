import { expect } from '@jest/globals';
import type { TicketCommand } from '../ticket/commands.js';
import { decide } from '../ticket/decide.js';
import { DomainError, type DomainErrorCode, type DomainErrorKind } from '../ticket/errors.js';
import type { TicketEvent } from '../ticket/events.js';
import { fold } from '../ticket/state.js';
import type { ReferenceContext } from '../ticket/reference-rules.js';
import type { SlaCatalogue } from '../sla/terms.js';
import { TICKET_ID } from './events.js';

/**
 * Given/when/then for the ticket decider (STYLE.md, after Dudycz): given past events, when a
 * command is decided at an instant, then exactly these new events (compared whole: types,
 * data with the computed due times, and `occurredAt`) or a rejection with this code.
 */

export interface WhenOptions {
  sla?: SlaCatalogue;
  reference?: ReferenceContext;
  ticketId?: string;
}

export interface Outcome {
  then(...expected: TicketEvent[]): void;
  /** `details`: fields the rejection's details must have (e.g. the `field` a 422 names) */
  thenRejects(code: DomainErrorCode, kind?: DomainErrorKind, details?: Record<string, unknown>): void;
}

function describeResult(result: TicketEvent[] | DomainError): string {
  return Array.isArray(result) ? `events ${JSON.stringify(result, null, 2)}` : `${result.code} (${result.kind}): ${result.message}`;
}

export function given(...history: TicketEvent[]) {
  return {
    when(command: TicketCommand, at: string, options: WhenOptions = {}): Outcome {
      const state = fold(history);
      const result = decide(state, command, {
        at,
        ticketId: options.ticketId ?? TICKET_ID,
        sla: options.sla,
        reference: options.reference,
      });
      return {
        then(...expected) {
          if (!Array.isArray(result)) throw new Error(`expected events, got the rejection ${describeResult(result)}`);
          expect(result).toEqual(expected);
          // What decide writes must fold onto the stream it was decided from.
          expect(() => fold(result, state)).not.toThrow();
        },
        thenRejects(code, kind, details) {
          if (!(result instanceof DomainError)) throw new Error(`expected the rejection ${code}, got ${describeResult(result)}`);
          expect(kind === undefined ? { code: result.code } : { code: result.code, kind: result.kind }).toEqual(
            kind === undefined ? { code } : { code, kind },
          );
          if (details !== undefined) expect(result.details).toMatchObject(details);
        },
      };
    },
  };
}
