import type { HttpAnswer, HttpClient } from './api-process.js';

/** One event of `GET /tickets/{id}/events`. */
export interface LogEvent {
  revision: number;
  position: string;
  eventId: string;
  type: string;
  occurredAt: string;
  recordedAt: string;
  data: Record<string, unknown>;
  metadata: LogEventMetadata;
}

/** What the API writes in every event's metadata (its OpenAPI description lists the fields). */
export interface LogEventMetadata extends Record<string, unknown> {
  commandId: string;
  correlationId: string;
  causationId: string;
  actor: Record<string, unknown>;
  schemaVersion: number;
}

/** What `GET /tickets/{id}` and (as `state`) `GET /tickets/{id}/state?at=` answer. */
export type { TicketViewDto as TicketState, TicketStateAtDto as TicketStateAt } from '#api/tickets/audit/ticket-view.dto.js';

/** A page of `GET /tickets/{id}/events`. */
export interface LogPage {
  ticketId: string;
  revision: number;
  nextFromRevision: number | null;
  events: LogEvent[];
}

/** What a ticket command answers. */
export interface CommandAnswer {
  ticketId: string;
  commandId: string;
  revision: number;
  position: string;
  events: Array<{ eventId: string; type: string; revision: number; occurredAt: string }>;
  replayed: boolean;
}

/** A ticket's whole log, following `nextFromRevision` page by page; undefined for 404. */
export async function readTicketLog(
  http: HttpClient,
  key: string,
  ticketId: string,
): Promise<{ revision: number; events: LogEvent[] } | undefined> {
  const events: LogEvent[] = [];
  let from: number | null = 0;
  let revision = -1;
  for (let page = 0; from !== null; page++) {
    if (page > 10_000) throw new Error(`GET /tickets/${ticketId}/events never ends`);
    const answer: HttpAnswer<LogPage> = await http.get(`/tickets/${ticketId}/events${from === 0 ? '' : `?fromRevision=${from}`}`, { key });
    if (answer.status === 404) return undefined;
    if (answer.status !== 200) throw new Error(`GET /tickets/${ticketId}/events answered ${answer.status}: ${answer.text}`);
    events.push(...answer.body.events);
    revision = answer.body.revision;
    const next = answer.body.nextFromRevision ?? null;
    if (next !== null && next <= from)
      throw new Error(`GET /tickets/${ticketId}/events: nextFromRevision ${next} does not advance past ${from}`);
    from = next;
  }
  return { revision, events };
}

/** The log of a ticket that must exist: a 404 fails the spec, naming the ticket. */
export async function requireTicketLog(http: HttpClient, key: string, ticketId: string): Promise<{ revision: number; events: LogEvent[] }> {
  const log = await readTicketLog(http, key, ticketId);
  if (log === undefined) throw new Error(`GET /tickets/${ticketId}/events answered 404: the ticket should exist`);
  return log;
}

/** A valid body for `POST /tickets`; override any field. */
export function openTicketBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    channel: 'phone',
    customer: 'cust-57',
    category: 'wrong-invoice',
    priority: 'normal',
    subject: 'Invoice charged twice',
    unitId: 'front',
    ...overrides,
  };
}

/** The seeded PRNG of the workload generator, so a failing random run can be repeated from its seed. */
export { seededRandom } from '#workload/ticket-load.js';

/**
 * A command answer as its replay says it, byte for byte: the same text with the flag set
 * (the first answer's `"replayed":false` becomes `true`; other answers are unchanged).
 */
export function asReplayed(text: string): string {
  return text.replace('"replayed":false', '"replayed":true');
}
