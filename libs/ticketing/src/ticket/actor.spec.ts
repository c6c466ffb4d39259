import { describe, expect, it } from '@jest/globals';
import { claim, close, escalate, markDelayed, open, respond, route, survey } from '../testing/commands.js';
import { claimed, opened, plus, TICKET_ID } from '../testing/events.js';
import { actorOf } from './actor.js';
import { encodeTicketEvent, type CommandEnvelope } from './codec.js';
import { TICKET_EVENT_SCHEMA_VERSION } from './events.js';
import type { TicketCommand } from './commands.js';
import { decide } from './decide.js';
import type { TicketEvent } from './events.js';
import { fold } from './state.js';

/** Given past events, when a command is decided, then each new event's actor is … */

const T0 = '2026-03-02T09:00:00.000Z';

function actorsOf(history: TicketEvent[], command: TicketCommand, at: string) {
  const events = decide(fold(history), command, { at, ticketId: TICKET_ID });
  if (!Array.isArray(events)) throw new Error(`refused: ${events.code}`);
  return events.map((event) => ({ type: event.type, ...actorOf(command, event) }));
}

describe('actorOf: who did what each event records', () => {
  it('a supervisor’s assignment is the supervisor’s act; the assignee stays in the data', () => {
    expect(
      actorsOf([opened(T0), claimed(plus(T0, '5m'), { userId: 'deniz', unitId: 'front' })], claim('elif', 'supervisor-1'), plus(T0, '10m')),
    ).toEqual([
      { type: 'TicketReleased', kind: 'user', userId: 'supervisor-1' },
      { type: 'TicketClaimed', kind: 'user', userId: 'supervisor-1' },
    ]);
  });

  it('a self-claim is the claimer’s', () => {
    expect(actorsOf([opened(T0)], claim('deniz'), plus(T0, '5m'))).toEqual([{ type: 'TicketClaimed', kind: 'user', userId: 'deniz' }]);
  });

  it('an open on a call is the agent’s; an open by a web form is the service’s', () => {
    expect(actorsOf([], open({ claimBy: 'deniz' }), T0)).toEqual([
      { type: 'TicketOpened', kind: 'user', userId: 'deniz' },
      { type: 'TicketClaimed', kind: 'user', userId: 'deniz' },
    ]);
    expect(actorsOf([], open(), T0)).toEqual([{ type: 'TicketOpened', kind: 'service', userId: null }]);
  });

  it('a late completion is the user’s, the delay it finds is the system’s', () => {
    expect(actorsOf([opened(T0), claimed(plus(T0, '5m'), { userId: 'deniz', unitId: 'front' })], respond('deniz'), plus(T0, '5h'))).toEqual(
      [
        { type: 'TicketDelayed', kind: 'system', userId: null },
        { type: 'TicketResponded', kind: 'user', userId: 'deniz' },
      ],
    );
  });

  it('an escalation that names no user, its route included, and the watchdog’s delay are the system’s', () => {
    expect(actorsOf([opened(T0)], escalate({ reason: 'rule', toUnitId: 'managers' }), plus(T0, '1m'))).toEqual([
      { type: 'TicketEscalated', kind: 'system', userId: null },
      { type: 'TicketRouted', kind: 'system', userId: null },
    ]);
    expect(actorsOf([opened(T0)], markDelayed('claim'), plus(T0, '31m'))).toEqual([
      { type: 'TicketDelayed', kind: 'system', userId: null },
    ]);
  });

  it('a triage route and a survey name no person: the service’s', () => {
    expect(actorsOf([opened(T0)], route('billing'), plus(T0, '1m'))).toEqual([{ type: 'TicketRouted', kind: 'service', userId: null }]);
    const closedAt = plus(T0, '2m');
    const history = fold([opened(T0)]);
    const closing = decide(history, close(null), { at: closedAt, ticketId: TICKET_ID });
    if (!Array.isArray(closing)) throw new Error(closing.code);
    expect(actorsOf([opened(T0), ...closing], survey({ score: 4 }), plus(T0, '3m'))).toEqual([
      { type: 'TicketSurveyed', kind: 'service', userId: null },
    ]);
  });
});

describe('encodeTicketEvent', () => {
  it('records the envelope, the event’s actor with the calling key, occurredAt and the schema version', () => {
    const envelope: CommandEnvelope = {
      commandId: 'c-1',
      correlationId: 'corr',
      causationId: 'cause',
      caller: { service: 'crm', apiKeyId: 'k-1' },
    };
    const event = claimed(T0, { userId: 'elif', unitId: 'front', assignedBy: 'supervisor-1' });
    expect(encodeTicketEvent(claim('elif', 'supervisor-1'), event, envelope, 'e-1')).toEqual({
      eventId: 'e-1',
      type: 'TicketClaimed',
      data: event.data,
      metadata: {
        eventId: 'e-1',
        commandId: 'c-1',
        commandType: 'ClaimTicket',
        correlationId: 'corr',
        causationId: 'cause',
        actor: { kind: 'user', userId: 'supervisor-1', service: 'crm', apiKeyId: 'k-1' },
        occurredAt: T0,
        schemaVersion: TICKET_EVENT_SCHEMA_VERSION,
      },
    });
  });
});
