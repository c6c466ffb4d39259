import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { decide, evolve, initialState, type Resolution, type TicketCommand, type TicketEvent, type TicketState } from '#ticketing';

/**
 * The golden-small workload (../shared/fixtures/golden-small): commands with neutral names,
 * their mapping to our API, and — computed here from the commands alone, not from our
 * domain code — the delays KPIS.md derives for phases that ended late.
 */

export interface GoldenCommand {
  ticket: string;
  cmd: 'open' | 'route' | 'claim' | 'release' | 'respond' | 'hold' | 'resume' | 'escalate' | 'close' | 'reopen' | 'survey';
  at: string;
  args: Record<string, string | number | boolean>;
}

export interface ExpectedDelay {
  ticket: string;
  phase: 'claim' | 'response' | 'resolution';
  unitId: string;
  userId: string | null;
  dueAt: string;
}

const here = path.dirname(fileURLToPath(import.meta.url));

export function goldenSmallDir(): string {
  const dir = process.env.GOLDEN_SMALL_DIR ?? path.resolve(here, '../../../shared/fixtures/golden-small');
  if (!existsSync(path.join(dir, 'commands.jsonl'))) {
    throw new Error(`golden-small fixture not found at ${dir}: the repository expects ../shared beside it, or set GOLDEN_SMALL_DIR`);
  }
  return dir;
}

export function loadGoldenCommands(): GoldenCommand[] {
  return readFileSync(path.join(goldenSmallDir(), 'commands.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as GoldenCommand);
}

export function loadGoldenExpected(): { asOf: string; tickets: Array<Record<string, unknown> & { ticket: string }> } & Record<
  string,
  unknown
> {
  return JSON.parse(readFileSync(path.join(goldenSmallDir(), 'expected.json'), 'utf8'));
}

/** The HTTP request for one fixture command: path below /tickets and body. */
export function toHttpRequest(command: GoldenCommand): { path: string; body: Record<string, unknown> } {
  const a = command.args;
  const t = command.ticket;
  const at = command.at;
  switch (command.cmd) {
    case 'open':
      return {
        path: '',
        body: {
          ticketId: t,
          channel: a.channel,
          customer: a.customer,
          category: a.category,
          priority: a.priority,
          subject: a.subject,
          unitId: a.unit,
          ...(a.claimBy ? { claimBy: a.claimBy } : {}),
          occurredAt: at,
        },
      };
    case 'route':
      return { path: `/${t}/route`, body: { toUnitId: a.toUnit, reason: a.reason, ...(a.user ? { userId: a.user } : {}), occurredAt: at } };
    case 'claim':
      return { path: `/${t}/claim`, body: { userId: a.user, occurredAt: at } };
    case 'release':
      return { path: `/${t}/release`, body: { userId: a.user, reason: a.reason, occurredAt: at } };
    case 'respond':
      return { path: `/${t}/respond`, body: { userId: a.user, solution: a.solution, occurredAt: at } };
    case 'hold':
      return { path: `/${t}/hold`, body: { userId: a.user, reason: a.reason, occurredAt: at } };
    case 'resume':
      return { path: `/${t}/resume`, body: { userId: a.user, occurredAt: at } };
    case 'escalate':
      return { path: `/${t}/escalate`, body: { userId: a.user, level: a.level, reason: a.reason, occurredAt: at } };
    case 'close':
      return { path: `/${t}/close`, body: { userId: a.user, resolution: a.resolution, requestMet: a.requestMet, occurredAt: at } };
    case 'reopen':
      return { path: `/${t}/reopen`, body: { userId: a.user, reason: a.reason, occurredAt: at } };
    case 'survey':
      return {
        path: `/${t}/survey`,
        body: {
          score: a.score,
          resolved: a.resolved,
          resolvedOnFirstContact: a.resolvedOnFirstContact,
          channel: a.channel,
          occurredAt: at,
        },
      };
  }
}

const MINUTE = 60_000;
const CLAIM_MS = 30 * MINUTE;
const RESPONSE_MS = 4 * 60 * MINUTE;
const RESOLUTION_MS = 3 * 24 * 60 * MINUTE;

/**
 * KPIS.md "Phases and delays", read straight off the command timeline with the fixture's
 * policy (README.md): a claim phase per pool wait, a response and a resolution phase per
 * cycle; hold pauses the response (while unanswered) and resolution clocks; a delay goes to
 * whoever held the ticket at the due time (the pool's unit for claims).
 */
export function expectedLateDelays(commands: GoldenCommand[]): ExpectedDelay[] {
  const byTicket = new Map<string, GoldenCommand[]>();
  for (const c of commands) byTicket.set(c.ticket, [...(byTicket.get(c.ticket) ?? []), c]);
  const delays: ExpectedDelay[] = [];
  for (const [ticket, list] of byTicket) {
    let unit = '';
    let pool: { unit: string; due: number } | null = null;
    let cycle = { respDue: 0, resDue: 0, responded: false, holdStart: null as number | null };
    let custody: Array<{ from: number; unit: string; user: string | null }> = [];
    const holderAt = (due: number) => {
      const holder = custody.filter((c) => c.from <= due).at(-1);
      if (holder === undefined) throw new Error(`${ticket}: nobody holds it at ${new Date(due).toISOString()}`);
      return holder;
    };
    const add = (phase: ExpectedDelay['phase'], due: number, who: { unit: string; user: string | null }) =>
      delays.push({ ticket, phase, unitId: who.unit, userId: who.user, dueAt: new Date(due).toISOString() });
    const endPoolUnclaimed = (t: number) => {
      if (pool && t > pool.due) add('claim', pool.due, { unit: pool.unit, user: null });
      pool = null;
    };
    const claim = (t: number, user: string) => {
      if (pool && t > pool.due) add('claim', pool.due, { unit: pool.unit, user: null });
      pool = null;
      custody.push({ from: t, unit, user });
    };
    for (const c of list) {
      const t = Date.parse(c.at);
      const a = c.args;
      switch (c.cmd) {
        case 'open':
          unit = String(a.unit);
          pool = { unit, due: t + CLAIM_MS };
          cycle = { respDue: t + RESPONSE_MS, resDue: t + RESOLUTION_MS, responded: false, holdStart: null };
          custody = [{ from: t, unit, user: null }];
          if (a.claimBy) claim(t, String(a.claimBy));
          break;
        case 'route':
          endPoolUnclaimed(t);
          unit = String(a.toUnit);
          pool = { unit, due: t + CLAIM_MS };
          custody.push({ from: t, unit, user: null });
          break;
        case 'claim':
          claim(t, String(a.user));
          break;
        case 'release':
          pool = { unit, due: t + CLAIM_MS };
          custody.push({ from: t, unit, user: null });
          break;
        case 'respond':
          if (!cycle.responded && t > cycle.respDue) add('response', cycle.respDue, holderAt(cycle.respDue));
          cycle.responded = true;
          break;
        case 'hold':
          cycle.holdStart = t;
          break;
        case 'resume': {
          const paused = t - (cycle.holdStart ?? t);
          if (!cycle.responded) cycle.respDue += paused;
          cycle.resDue += paused;
          cycle.holdStart = null;
          break;
        }
        case 'close': {
          const clock = cycle.holdStart ?? t;
          endPoolUnclaimed(t);
          if (!cycle.responded && clock > cycle.respDue) add('response', cycle.respDue, holderAt(cycle.respDue));
          if (clock > cycle.resDue) add('resolution', cycle.resDue, holderAt(cycle.resDue));
          break;
        }
        case 'reopen':
          pool = { unit, due: t + CLAIM_MS };
          cycle = { respDue: t + RESPONSE_MS, resDue: t + RESOLUTION_MS, responded: false, holdStart: null };
          custody = [{ from: t, unit, user: null }];
          break;
        case 'escalate':
        case 'survey':
          break;
      }
    }
  }
  return delays;
}

/** The fixture's neutral commands as domain commands (for specs that replay through decide/evolve). */
export function toDomainCommand(c: GoldenCommand): TicketCommand {
  const a = c.args;
  const s = (k: string) => String(a[k]);
  switch (c.cmd) {
    case 'open':
      return {
        type: 'OpenTicket',
        data: {
          channel: s('channel'),
          customer: s('customer'),
          category: s('category'),
          priority: s('priority'),
          subject: s('subject'),
          unitId: s('unit'),
          claimBy: a.claimBy ? s('claimBy') : null,
        },
      };
    case 'route':
      return { type: 'RouteTicket', data: { toUnitId: s('toUnit'), reason: s('reason'), userId: a.user ? s('user') : null } };
    case 'claim':
      return { type: 'ClaimTicket', data: { userId: s('user') } };
    case 'release':
      return { type: 'ReleaseTicket', data: { userId: s('user'), reason: s('reason') } };
    case 'respond':
      return { type: 'RespondToTicket', data: { userId: s('user'), solution: Boolean(a.solution) } };
    case 'hold':
      return { type: 'PutTicketOnHold', data: { userId: s('user'), reason: s('reason') } };
    case 'resume':
      return { type: 'ResumeTicket', data: { userId: s('user') } };
    case 'escalate':
      return { type: 'EscalateTicket', data: { userId: s('user'), level: Number(a.level), reason: s('reason') } };
    case 'close':
      return {
        type: 'CloseTicket',
        data: { userId: s('user'), resolution: s('resolution') as Resolution, requestMet: Boolean(a.requestMet) },
      };
    case 'reopen':
      return { type: 'ReopenTicket', data: { userId: s('user'), reason: s('reason') } };
    case 'survey':
      return {
        type: 'SurveyTicket',
        data: {
          score: Number(a.score),
          resolved: a.resolved as boolean,
          resolvedOnFirstContact: a.resolvedOnFirstContact as boolean,
          channel: s('channel'),
        },
      };
  }
}

/** Every ticket's events after replaying the commands through decide/evolve, in memory. */
export function replayThroughDomain(commands: GoldenCommand[]): Map<string, TicketEvent[]> {
  const streams = new Map<string, TicketEvent[]>();
  const states = new Map<string, TicketState>();
  for (const command of commands) {
    const state = states.get(command.ticket) ?? initialState;
    const result = decide(state, toDomainCommand(command), { at: new Date(command.at).toISOString(), ticketId: command.ticket });
    if (!Array.isArray(result))
      throw new Error(`${command.cmd} on ${command.ticket} at ${command.at} refused: ${result.code} ${result.message}`);
    states.set(command.ticket, result.reduce(evolve, state));
    streams.set(command.ticket, [...(streams.get(command.ticket) ?? []), ...result]);
  }
  return streams;
}
