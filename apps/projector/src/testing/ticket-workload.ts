import { eventIdFor, type EventStore, type EventToAppend, type JsonObject } from '#event-store';
import { ticketStreamId, type TicketEvent } from '#ticketing';
import { generateTickets, seededRandom } from '#workload';

/** Some events of one ticket, appended together at the stream's next revision. */
export interface TicketAppend {
  streamId: string;
  /** the revision of the first event */
  revision: number;
  events: EventToAppend[];
}

export interface TicketWorkload {
  tickets: number;
  /** every event, appended or held back */
  events: number;
  /** what is appended before the projectors start, tickets interleaved */
  initial: TicketAppend[];
  /**
   * The rest of some tickets' streams, held back to be appended while projectors run: they
   * extend tickets whose first events were projected already.
   */
  later: TicketAppend[];
}

export interface WorkloadOptions {
  seed: number;
  /** tickets are generated until their events reach this many */
  minEvents: number;
  /** share of tickets whose second half is held back for `later`; default 0.06 */
  heldBackShare?: number;
  /** tickets whose appends interleave; default 40 */
  interleave?: number;
}

function toAppend(ticketId: string, revision: number, events: TicketEvent[]): TicketAppend {
  return {
    streamId: ticketStreamId(ticketId),
    revision,
    events: events.map((event, index) => ({
      eventId: eventIdFor(ticketId, revision + index),
      type: event.type,
      data: event.data as unknown as JsonObject,
      metadata: { occurredAt: event.occurredAt, schemaVersion: 1, commandId: `${ticketId}/${revision + index}` },
    })),
  };
}

/** A ticket's events cut into appends of 1–4 events. */
function chunks(random: () => number, ticketId: string, from: number, events: TicketEvent[]): TicketAppend[] {
  const appends: TicketAppend[] = [];
  for (let start = 0; start < events.length;) {
    const size = 1 + Math.floor(random() * 4);
    appends.push(toAppend(ticketId, from + start, events.slice(start, start + size)));
    start += size;
  }
  return appends;
}

/** Round-robin over the tickets' appends, so one ticket's events spread among the others'. */
function interleaved(perTicket: TicketAppend[][]): TicketAppend[] {
  const out: TicketAppend[] = [];
  for (let round = 0; perTicket.some((appends) => round < appends.length); round++) {
    for (const appends of perTicket) if (round < appends.length) out.push(appends[round]);
  }
  return out;
}

/**
 * The seeded ticket workload (libs/workload, ≈8.5 events per ticket, BPI 2013-like) as
 * appends through the event-store port: each ticket's stream in chunks of 1–4 events, the
 * chunks of `interleave` tickets at a time round-robin, and the second half of a share of the
 * tickets held back. The same seed gives the same workload.
 */
export function ticketWorkload(options: WorkloadOptions): TicketWorkload {
  const random = seededRandom(options.seed ^ 0x5eed);
  const heldBackShare = options.heldBackShare ?? 0.06;
  const group = options.interleave ?? 40;
  const initial: TicketAppend[] = [];
  const later: TicketAppend[][] = [];
  let pending: TicketAppend[][] = [];
  let events = 0;
  let tickets = 0;
  // Generous: the generator is lazy, and stops being asked once the events suffice.
  const generator = generateTickets({
    tickets: Math.ceil(options.minEvents / 6),
    seed: options.seed,
    start: new Date('2026-01-05T00:00:00Z'),
    spreadDays: 60,
  });
  for (const ticket of generator) {
    if (events >= options.minEvents) break;
    tickets += 1;
    events += ticket.events.length;
    const cut = ticket.events.length >= 4 && random() < heldBackShare ? Math.floor(ticket.events.length / 2) : ticket.events.length;
    pending.push(chunks(random, ticket.ticketId, 0, ticket.events.slice(0, cut)));
    if (cut < ticket.events.length) later.push(chunks(random, ticket.ticketId, cut, ticket.events.slice(cut)));
    if (pending.length === group) {
      initial.push(...interleaved(pending));
      pending = [];
    }
  }
  initial.push(...interleaved(pending));
  if (events < options.minEvents) throw new Error(`the generator gave ${events} events, fewer than ${options.minEvents}`);
  return { tickets, events, initial, later: interleaved(later) };
}

/**
 * Appends in order per stream, by `writers` concurrent appenders that each own a share of the
 * streams, so transactions of different tickets commit out of order (DESIGN.md §4).
 */
export async function appendTickets(store: EventStore, appends: readonly TicketAppend[], writers = 6): Promise<number> {
  const shares: TicketAppend[][] = Array.from({ length: writers }, () => []);
  for (const append of appends) shares[Number.parseInt(append.streamId.slice(-8), 16) % writers].push(append);
  await Promise.all(
    shares.map(async (share) => {
      for (const append of share)
        await store.append(append.streamId, append.events, { expectedRevision: append.revision === 0 ? 'no_stream' : append.revision - 1 });
    }),
  );
  return appends.reduce((n, append) => n + append.events.length, 0);
}

/** `appends` cut into `parts` slices of about equal length, in order. */
export function slices<T>(appends: readonly T[], parts: number): T[][] {
  const size = Math.ceil(appends.length / parts);
  return Array.from({ length: parts }, (_, part) => appends.slice(part * size, (part + 1) * size));
}
