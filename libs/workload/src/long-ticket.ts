import { randomUUID } from 'node:crypto';
import { eventIdFor } from '#event-store/ids/uuid-v5.js';
import type { EventStore, EventToAppend } from '#event-store/port/event-store.js';
import { decide, encodeTicketEvent, evolve, initialState, ticketStreamId, type TicketCommand, type TicketState } from '#ticketing';

/**
 * A ticket of `events` events — opened, claimed by `holder`, then answered again and again —
 * decided by the domain and written through the port in one append, as a long-lived ticket
 * would stand after years of correspondence. Its instants end an hour ago, so commands sent
 * now follow it.
 */
export async function appendLongTicket(
  store: EventStore,
  events: number,
  holder: string,
  caller: { service: string; apiKeyId: string },
): Promise<string> {
  if (events < 2) throw new RangeError('a long ticket has at least its opening and its claim');
  const ticketId = randomUUID();
  const commands: TicketCommand[] = [
    {
      type: 'OpenTicket',
      data: {
        channel: 'email',
        customer: 'cust-long',
        category: 'billing',
        priority: 'normal',
        subject: 'A long correspondence',
        unitId: 'front',
      },
    },
    { type: 'ClaimTicket', data: { userId: holder } },
    ...Array.from({ length: events - 2 }, (): TicketCommand => ({ type: 'RespondToTicket', data: { userId: holder, solution: false } })),
  ];
  const start = Date.now() - 3_600_000 - events;
  let state: TicketState = initialState;
  const appended: EventToAppend[] = [];
  commands.forEach((command, index) => {
    const decided = decide(state, command, { at: new Date(start + index).toISOString(), ticketId });
    if (!Array.isArray(decided)) throw new Error(`seeding a long ticket: ${command.type} refused (${decided.code})`);
    const commandId = randomUUID();
    const envelope = { commandId, correlationId: commandId, causationId: commandId, caller };
    decided.forEach((event, position) => {
      state = evolve(state, event);
      appended.push(encodeTicketEvent(command, event, envelope, eventIdFor(commandId, position)) as EventToAppend);
    });
  });
  await store.append(ticketStreamId(ticketId), appended, { expectedRevision: 'no_stream' });
  return ticketId;
}
