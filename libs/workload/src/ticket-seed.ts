import { eventIdFor } from '#event-store/ids/uuid-v5.js';
import type { EventToAppend } from '#event-store/port/event-store.js';
import type { BulkAppend } from '#event-store/postgres/bulk-load.js';
import {
  decide,
  DomainError,
  encodeTicketEvent,
  evolve,
  initialState,
  ticketStreamId,
  type CommandEnvelope,
  type ReferenceContext,
  type SlaCatalogue,
  type TicketCommand,
  type TicketEvent,
  type TicketState,
} from '#ticketing';
import { commandIdFor } from '#event-store/ids/command-id.js';
import { generateTickets, type GeneratedTicket } from './ticket-load.js';
import { MinHeap } from './min-heap.js';

/**
 * The bench's seed: the generated workload (ticket-load.ts, a BPI 2013-like mix) as
 * the appends the API would have made for it, in the order it would have made them. Each
 * generated command is decided again with `decide` (the generator keeps no link from a command
 * to its events) and becomes one append with the metadata the API's command pipeline writes
 * (TicketStreamRepository), as if an importer had sent it with the Idempotency-Key
 * `<ticket>/<n>`. The tickets' commands are merged into time order, as live traffic would
 * have interleaved them; streaming, so millions of tickets never sit in memory at once.
 */
export interface SeedWorkload {
  tickets: number;
  seed: number;
  /** first opening */
  start: Date;
  /** tickets open over this many days: evenly (seedAppends), or by the centre's weekly profile (centreAppends) */
  days: number;
  /** mark the events as history replayed (as the API and the importer mark old instants), so the watchdog lets them settle first */
  backdated?: boolean;
}

/** The importer key the seeded commands are recorded under (no key list holds it). */
export const SEED_API_KEY_ID = '0b5e7a1c-2d4f-4e6a-9c8b-3f1d2e4c5a6b';
export const SEED_SERVICE = 'bench-seed';

/**
 * How much later than its slot a generated ticket may open (ticket-load.ts adds up to a
 * minute), so no ticket still to come opens before `last opening − this`.
 */
const OPENING_JITTER_MS = 60_000;

/** Generated tickets, in the order they open, and what to decide their commands with. */
export interface TicketSource {
  tickets: Iterable<GeneratedTicket>;
  backdated: boolean;
  /** the reference data the generator decided with; absent = open mode, the built-in policy */
  reference?: ReferenceContext;
  /** its SLA lookups, made once (by default decide makes them from `reference` at every command) */
  sla?: SlaCatalogue;
}

interface Cursor {
  backdated: boolean;
  reference: ReferenceContext | undefined;
  sla: SlaCatalogue | undefined;
  ordinal: number;
  ticket: GeneratedTicket;
  /** index of the next command to append */
  next: number;
  /** its instant, in epoch ms */
  at: number;
  state: TicketState;
  revision: number | 'no_stream';
  eventsDecided: number;
}

/** One seeded append, with the command and envelope it was encoded from (what the API's pipeline would get). */
export interface SeedAppend extends BulkAppend {
  ticketId: string;
  command: TicketCommand;
  envelope: CommandEnvelope;
  decided: TicketEvent[];
}

export function* seedAppends(workload: SeedWorkload, onTicket?: (ticket: GeneratedTicket, ordinal: number) => void): Generator<SeedAppend> {
  const tickets = generateTickets({ tickets: workload.tickets, seed: workload.seed, start: workload.start, spreadDays: workload.days });
  yield* appendsInTimeOrder({ tickets, backdated: workload.backdated === true }, onTicket);
}

/**
 * Any generator's tickets as appends merged in time order (see seedAppends). The tickets must
 * come in the order they open, each at most OPENING_JITTER_MS before the one before it.
 */
export function* appendsInTimeOrder(
  source: TicketSource,
  onTicket?: (ticket: GeneratedTicket, ordinal: number) => void,
): Generator<SeedAppend> {
  const pending = new MinHeap<Cursor>((a, b) => a.at < b.at || (a.at === b.at && a.ordinal < b.ordinal));
  let ordinal = 0;
  for (const ticket of source.tickets) {
    onTicket?.(ticket, ordinal);
    const opensAt = Date.parse(ticket.commands[0].at);
    pending.push({
      backdated: source.backdated,
      reference: source.reference,
      sla: source.sla,
      ordinal,
      ticket,
      next: 0,
      at: opensAt,
      state: initialState,
      revision: 'no_stream',
      eventsDecided: 0,
    });
    ordinal += 1;
    const watermark = opensAt - OPENING_JITTER_MS;
    for (let first = pending.peek(); first !== undefined && first.at < watermark; first = pending.peek()) {
      const append = take(pending);
      if (append) yield append;
    }
  }
  while (pending.size > 0) {
    const append = take(pending);
    if (append) yield append;
  }
}

/**
 * The earliest command as its append (undefined when it decided no events: the API would
 * append nothing either); the ticket goes back in line for its next one.
 */
function take(pending: MinHeap<Cursor>): SeedAppend | undefined {
  const cursor = pending.pop();
  if (!cursor) throw new Error('take from an empty line');
  const append = appendOf(cursor);
  if (cursor.next < cursor.ticket.commands.length) {
    cursor.at = Date.parse(cursor.ticket.commands[cursor.next].at);
    pending.push(cursor);
  } else if (cursor.eventsDecided !== cursor.ticket.events.length) {
    throw new Error(
      `ticket ${cursor.ticket.ticketId}: deciding its commands again gave ${cursor.eventsDecided} events, ` +
        `the generator ${cursor.ticket.events.length}`,
    );
  }
  return append;
}

function appendOf(cursor: Cursor): SeedAppend | undefined {
  const { ticketId } = cursor.ticket;
  const index = cursor.next;
  const { command, at } = cursor.ticket.commands[index];
  const decided = decide(cursor.state, command, { at, ticketId, reference: cursor.reference, sla: cursor.sla });
  if (decided instanceof DomainError)
    throw new Error(`ticket ${ticketId}: generated command ${index} (${command.type}) was refused: ${decided.code}`);
  const commandId = commandIdFor(SEED_API_KEY_ID, `${ticketId}/${index}`);
  const envelope: CommandEnvelope = {
    commandId,
    correlationId: commandId,
    causationId: commandId,
    caller: { service: SEED_SERVICE, apiKeyId: SEED_API_KEY_ID },
    ...(cursor.backdated ? { backdated: true } : {}),
  };
  // Encoded as TicketStreamRepository.append encodes a command of the API.
  const events = decided.map(
    (event, position) => encodeTicketEvent(command, event, envelope, eventIdFor(commandId, position)) as EventToAppend,
  );
  const append: SeedAppend | undefined =
    events.length === 0
      ? undefined
      : { streamId: ticketStreamId(ticketId), expectedRevision: cursor.revision, events, ticketId, command, envelope, decided };
  for (const event of decided) cursor.state = evolve(cursor.state, event);
  if (decided.length > 0) cursor.revision = (cursor.revision === 'no_stream' ? -1 : cursor.revision) + decided.length;
  cursor.eventsDecided += decided.length;
  cursor.next += 1;
  return append;
}
