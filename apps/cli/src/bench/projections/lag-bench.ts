import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { EventStore } from '#event-store';
import { ProjectionPositions } from '#read-model/projections/index.js';
import type { TicketCommand, TicketCommandType } from '#ticketing';
import { generateTickets, type GeneratedCommand } from '#workload';
import { describeRefusal, type HttpAnswer, type HttpClient } from '../shared/http-client.js';
import { percentile } from '../shared/measure.js';
import { timelineRows, TimelineSampler, type TimelineRow } from './lag-timeline.js';

/**
 * (b): how long after a command's answer its events are visible in the read models, under a
 * steady open-loop load of real commands over HTTP. The load is the generator's command
 * streams: tickets opened and moved along (route, claim, release, respond, hold, resume,
 * escalate, close, survey, reopen) with server time, each ticket's commands in order and one
 * at a time, many tickets interleaved. The commands go out at the rate's schedule whatever
 * the answers' pace (open loop), so a slow API shows as latency, not as a lower rate.
 *
 * Visibility: the projections' live checkpoints (projections.checkpoints, the read-your-writes
 * query) are polled every `pollMs`; a command's events are visible in a projection once its
 * checkpoint is at or past the position the command answered with.
 */
export interface LagBenchOptions {
  rate: number;
  seconds: number;
  /** the generator's seed for the commands (their ticket ids are fresh every run) */
  seed: number;
  pollMs: number;
  projectionNames: string[];
  serviceKey: string;
  /** Sample a per-second timeline (lag-timeline.ts) through this pool of one connection, with the API process's CPU. */
  timeline?: { pool: pg.Pool; apiPid: number };
}

export interface LagResult {
  sent: number;
  answered: number;
  /** refusals by status and code */
  refused: Map<string, number>;
  /** requests without an answer (connection errors, timeouts), by message */
  failed: Map<string, number>;
  ticketsOpened: number;
  /** commands sent, by type */
  mix: Map<string, number>;
  sendSeconds: number;
  /** first request to last answer */
  answerSeconds: number;
  /** answer → visible in every projection, ms */
  lagFromAnswer: number[];
  /** answer → visible, per projection, ms (also for commands some other projection never showed) */
  lagByProjection: Map<string, number[]>;
  /** request sent → visible in every projection, ms */
  lagFromRequest: number[];
  /** request → answer, ms */
  roundTrip: number[];
  /** answered commands whose events were not seen within the drain time */
  neverVisible: number;
  /** the same, per projection */
  neverVisibleIn: Map<string, number>;
  /** projections whose live version had not read everything when the load began (the API building a new version, a failing handler) */
  behindAtStart: string[];
  /** per second of the load, when asked for (LagBenchOptions.timeline) */
  timeline?: TimelineRow[];
}

/** Tickets moved along at once: enough for the commands of many tickets to interleave. */
const TICKETS_IN_PROGRESS = 100;
const DRAIN_TIMEOUT_MS = 60_000;
const STATUS_EVERY_MS = 10_000;

const PATHS: Record<TicketCommandType, string | undefined> = {
  OpenTicket: '',
  RouteTicket: 'route',
  ClaimTicket: 'claim',
  ReleaseTicket: 'release',
  RespondToTicket: 'respond',
  PutTicketOnHold: 'hold',
  ResumeTicket: 'resume',
  ReclassifyTicket: 'reclassify',
  EscalateTicket: 'escalate',
  CloseTicket: 'close',
  ReopenTicket: 'reopen',
  SurveyTicket: 'survey',
  // The SLA watchdog's command; no endpoint, and the generator never makes it.
  MarkTicketDelayed: undefined,
  WarnOfBreach: undefined,
};

export const CAUGHT_UP_TIMEOUT_MS = 30_000;

/**
 * Before the load: every projection's live checkpoint at the store's head, so the lag measures
 * following live appends, not a catch-up. Returns the projections still behind after the wait.
 */
async function waitUntilCaughtUp(
  positions: ProjectionPositions,
  store: Pick<EventStore, 'comparePositions' | 'headPosition'>,
  names: string[],
): Promise<string[]> {
  const head = await store.headPosition();
  const deadline = performance.now() + CAUGHT_UP_TIMEOUT_MS;
  for (;;) {
    const live = await positions.livePositions(names);
    const behind = live
      .filter((entry) => head !== undefined && (entry.position === null || store.comparePositions(entry.position, head) < 0))
      .map((entry) => entry.name);
    if (behind.length === 0 || performance.now() > deadline) return behind;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The HTTP request of a command: the DTOs take the command's data fields by name; null means "not given". */
export function commandRequest(ticketId: string, command: TicketCommand): { path: string; body: Record<string, unknown> } | undefined {
  const suffix = PATHS[command.type];
  if (suffix === undefined) return undefined;
  const body: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(command.data)) if (value !== null && value !== undefined) body[field] = value;
  if (command.type === 'OpenTicket') return { path: '/tickets', body: { ticketId, ...body } };
  return { path: `/tickets/${ticketId}/${suffix}`, body };
}

interface Ticket {
  id: string;
  commands: GeneratedCommand[];
  next: number;
}

interface Tracked {
  sentAt: number;
  answeredAt: number;
  position: string;
  visibleAt: Map<string, number>;
}

export async function lagBench(
  api: HttpClient,
  pollPool: pg.Pool,
  store: Pick<EventStore, 'comparePositions' | 'headPosition'>,
  options: LagBenchOptions,
): Promise<LagResult> {
  const result: LagResult = {
    sent: 0,
    answered: 0,
    refused: new Map(),
    failed: new Map(),
    ticketsOpened: 0,
    mix: new Map(),
    sendSeconds: 0,
    answerSeconds: 0,
    lagFromAnswer: [],
    lagByProjection: new Map(options.projectionNames.map((name) => [name, []])),
    lagFromRequest: [],
    roundTrip: [],
    neverVisible: 0,
    neverVisibleIn: new Map(),
    behindAtStart: [],
  };
  const positions = new ProjectionPositions(pollPool, store);
  const latest = new Map<string, string | null>();
  const reached = (name: string, position: string): boolean => {
    const checkpoint = latest.get(name);
    return checkpoint !== null && checkpoint !== undefined && store.comparePositions(checkpoint, position) >= 0;
  };
  const waiting = new Set<Tracked>();
  const answeredCommands: Tracked[] = [];

  const settle = (tracked: Tracked, now: number): void => {
    for (const name of options.projectionNames) {
      if (tracked.visibleAt.has(name) || !reached(name, tracked.position)) continue;
      const visibleAt = Math.max(now, tracked.answeredAt);
      tracked.visibleAt.set(name, visibleAt);
      result.lagByProjection.get(name)?.push(visibleAt - tracked.answeredAt);
    }
    if (tracked.visibleAt.size < options.projectionNames.length) return;
    waiting.delete(tracked);
    const visibleAt = Math.max(...tracked.visibleAt.values());
    result.lagFromAnswer.push(visibleAt - tracked.answeredAt);
    result.lagFromRequest.push(visibleAt - tracked.sentAt);
  };

  let polling = true;
  let pollFailure: { error: unknown } | undefined;
  // Its failure is kept (not left unhandled while the load runs) and raised when the load ends.
  const poller = (async () => {
    while (polling) {
      const live = await positions.livePositions(options.projectionNames);
      const now = performance.now();
      for (const entry of live) latest.set(entry.name, entry.position);
      for (const tracked of [...waiting]) settle(tracked, now);
      await new Promise((resolve) => setTimeout(resolve, options.pollMs));
    }
  })().catch((error: unknown) => {
    pollFailure = { error };
    polling = false;
  });

  const generated = generateTickets({ tickets: 10_000_000, seed: options.seed, start: new Date(), spreadDays: 1 })[Symbol.iterator]();
  const ready: Ticket[] = [];
  let inProgress = 0;
  const inFlight = new Set<Promise<void>>();
  const headers = (): Record<string, string> => ({ authorization: `Bearer ${options.serviceKey}`, 'idempotency-key': randomUUID() });

  const openTicket = (): Ticket => {
    const next = generated.next();
    if (next.done) throw new Error('the generator ran out of tickets');
    inProgress += 1;
    result.ticketsOpened += 1;
    return { id: randomUUID(), commands: next.value.commands, next: 0 };
  };
  const onAnswer = (ticket: Ticket, sentAt: number, answer: HttpAnswer): void => {
    const answeredAt = performance.now();
    const position =
      typeof answer.body === 'object' && answer.body !== null && 'position' in answer.body ? answer.body.position : undefined;
    if ((answer.status === 200 || answer.status === 201) && typeof position === 'string') {
      result.answered += 1;
      result.roundTrip.push(answeredAt - sentAt);
      const command: Tracked = { sentAt, answeredAt, position, visibleAt: new Map() };
      answeredCommands.push(command);
      waiting.add(command);
      settle(command, answeredAt);
      if (ticket.next < ticket.commands.length) ready.push(ticket);
      else inProgress -= 1;
      return;
    }
    const refusal = describeRefusal(answer);
    result.refused.set(refusal, (result.refused.get(refusal) ?? 0) + 1);
    inProgress -= 1;
  };
  const sendOne = (): void => {
    const ticket = (inProgress < TICKETS_IN_PROGRESS ? undefined : ready.shift()) ?? openTicket();
    const { command } = ticket.commands[ticket.next];
    ticket.next += 1;
    const request = commandRequest(ticket.id, command);
    if (!request) {
      inProgress -= 1;
      return;
    }
    const sentAt = performance.now();
    result.sent += 1;
    result.mix.set(command.type, (result.mix.get(command.type) ?? 0) + 1);
    const flight = api
      .request('POST', request.path, { headers: headers(), body: request.body, timeoutMs: 60_000 })
      .then(
        (answer) => onAnswer(ticket, sentAt, answer),
        (error: unknown) => {
          const reason = error instanceof Error ? error.message : String(error);
          result.failed.set(reason, (result.failed.get(reason) ?? 0) + 1);
          inProgress -= 1;
        },
      )
      .finally(() => inFlight.delete(flight));
    inFlight.add(flight);
  };

  result.behindAtStart = await waitUntilCaughtUp(positions, store, options.projectionNames);
  const started = performance.now();
  const sampler = options.timeline ? new TimelineSampler(options.timeline.pool, options.timeline.apiPid) : undefined;
  await sampler?.start(started);
  const endAt = started + options.seconds * 1000;
  let nextStatus = started + STATUS_EVERY_MS;
  let scheduled = 0;
  try {
    for (let now = performance.now(); now < endAt && polling; now = performance.now()) {
      const due = Math.floor(((now - started) * options.rate) / 1000) + 1;
      while (scheduled < due) {
        sendOne();
        scheduled += 1;
      }
      if (now >= nextStatus) {
        nextStatus += STATUS_EVERY_MS;
        const total = (counts: Map<string, number>): number => [...counts.values()].reduce((sum, count) => sum + count, 0);
        process.stderr.write(
          `(b) ${Math.round((now - started) / 1000)} s: ${result.sent} commands sent, ${result.answered} answered, ` +
            `${total(result.refused)} refused, ${total(result.failed)} failed; ` +
            `append → visible p99 so far ` +
            `${result.lagFromAnswer.length === 0 ? '–' : `${Math.round(percentile(result.lagFromAnswer, 99))} ms`}\n`,
        );
      }
      const nextDue = started + (scheduled * 1000) / options.rate;
      await new Promise((resolve) => setTimeout(resolve, Math.max(1, nextDue - performance.now())));
    }
    result.sendSeconds = (performance.now() - started) / 1000;
    await Promise.all([...inFlight]);
    result.answerSeconds = (performance.now() - started) / 1000;
    const seconds = await sampler?.stop();
    const drainUntil = performance.now() + DRAIN_TIMEOUT_MS;
    while (waiting.size > 0 && performance.now() < drainUntil) await new Promise((resolve) => setTimeout(resolve, options.pollMs));
    result.neverVisible = waiting.size;
    for (const name of options.projectionNames)
      result.neverVisibleIn.set(name, [...waiting].filter((command) => !command.visibleAt.has(name)).length);
    if (seconds)
      result.timeline = timelineRows(
        answeredCommands.map((command) => ({
          sentAt: command.sentAt - started,
          answeredAt: command.answeredAt - started,
          visibleAt: waiting.has(command) ? undefined : Math.max(...command.visibleAt.values()) - started,
        })),
        seconds,
      );
  } finally {
    sampler?.cancel();
    polling = false;
    await poller;
  }
  if (pollFailure) throw pollFailure.error;
  return result;
}
