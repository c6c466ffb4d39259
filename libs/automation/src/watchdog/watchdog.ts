import type pg from 'pg';
import { eventIdFor, WrongExpectedRevisionError, type EventStore, type EventToAppend, type RecordedEvent } from '#event-store';
import type { Clock, ReferenceStore } from '#platform';
import {
  decide,
  decodeTicketEvent,
  DomainError,
  encodeTicketEvent,
  fold,
  openDeadlines,
  pendingWarnings,
  referenceMode,
  slaCatalogueOf,
  ticketStreamId,
  warnablePhase,
  type CalendarLookup,
  type DeadlineKind,
  type DomainErrorCode,
  type EscalateTicket,
  type OpenDeadline,
  type MarkTicketDelayed,
  type Phase,
  type ReferenceModeSetting,
  type TicketState,
  type WarnOfBreach,
} from '#ticketing';
import { errorFields, LockedLoop, type LoopLog, type LoopLogLevel } from '../locked-loop.js';
import { delayEnvelope, watchdogCommandId } from './delay-command.js';

export type WatchdogLogLevel = LoopLogLevel;
export type WatchdogLog = LoopLog;

export interface WatchdogOptions {
  /** the event store's PostgreSQL (the lock, and the open_deadlines view of the deadlines projection) */
  pool: pg.Pool;
  store: EventStore;
  reference: ReferenceStore;
  referenceMode: ReferenceModeSetting;
  clock: Clock;
  /** WATCHDOG_INTERVAL: between the end of one scan and the start of the next */
  intervalMs: number;
  log: WatchdogLog;
  /** deadlines taken per scan, earliest due first; a full scan is followed by the next one at once */
  scanLimit?: number;
  /** tickets worked on at once within a scan (each ticket's deadlines one after the other); default 8 */
  concurrency?: number;
  /**
   * WATCHDOG_BACKFILL_QUIET: a ticket whose last event was backdated (an importer replaying its
   * history) is left alone until it has had no event for this long; default 10 minutes.
   */
  backfillQuietMs?: number;
}

/** What one deadline came to. */
export type DeadlineOutcome = 'delayed' | 'warned' | 'escalated' | 'already-recorded' | 'not-due' | 'skipped';

const OUTCOME_OF: Record<DeadlineKind, DeadlineOutcome> = { delay: 'delayed', warning: 'warned', escalation: 'escalated' };

const DEFAULT_SCAN_LIMIT = 500;
const DEFAULT_CONCURRENCY = 8;
const DEFAULT_BACKFILL_QUIET_MS = 10 * 60 * 1000;
/** Lost races on one ticket before it waits for the next scan (a busy ticket is re-read each time). */
const MAX_ATTEMPTS = 5;

/**
 * The SLA watchdog (issue 11, KPIS.md "Phases and delays"): writes `TicketDelayed` when a due time
 * passes, through the same decide and encoding as a command. Each scan takes the deadlines of the
 * deadlines projection whose due is before now, and for each one re-reads the ticket's stream:
 * the projection may lag, so the stream decides whether the phase is still open and what its due
 * is. After downtime the scan catches up; the delay keeps the original dueAt (decide's).
 *
 * Exactly once per phase instance: the command id, hence the event id, derives from (ticket,
 * phase, instance, dueAt), the append expects the revision read, and a command that completed the
 * phase late wrote the delay itself (then decide answers PHASE_ALREADY_DELAYED or PHASE_NOT_DUE).
 * One watchdog is active (an advisory lock); the others stand by and take over at their next tick.
 */
export class Watchdog {
  private readonly loop: LockedLoop<Map<DeadlineOutcome | typeof FAILED, number>>;

  constructor(private readonly options: WatchdogOptions) {
    // The lock's key is unchanged from the first watchdog, so old and new ones still exclude each other.
    this.loop = new LockedLoop({
      pool: options.pool,
      lock: { key: 'sla.watchdog', role: 'watchdog' },
      name: 'the SLA watchdog',
      intervalMs: options.intervalMs,
      log: options.log,
      work: () => this.scan(),
      again: (outcomes) => this.wasFull(outcomes),
    });
  }

  start(): void {
    this.loop.start();
  }

  /** Finishes the scan in flight, frees the lock (for a standby) and closes its connection. */
  async stop(): Promise<void> {
    await this.loop.stop();
  }

  /** True while this watchdog holds the lock. */
  get isActive(): boolean {
    return this.loop.isActive;
  }

  /** One round: take the lock or stand by; if active, scan. */
  tick(): Promise<Map<DeadlineOutcome | typeof FAILED, number> | undefined> {
    return this.loop.tick();
  }

  /**
   * A scan that hit its limit left passed deadlines behind: the next one starts at once. Only if it
   * got somewhere: deadlines the projection has not caught up with (skipped) or that fail would spin.
   */
  private wasFull(outcomes: Map<DeadlineOutcome | typeof FAILED, number>): boolean {
    const taken = [...outcomes.values()].reduce((sum, n) => sum + n, 0);
    const written = outcomes.has('delayed') || outcomes.has('warned') || outcomes.has('escalated') || outcomes.has('already-recorded');
    return taken >= this.scanLimit && written;
  }

  private get scanLimit(): number {
    return this.options.scanLimit ?? DEFAULT_SCAN_LIMIT;
  }

  /**
   * Every deadline past due now, earliest first, up to the scan limit. Tickets are worked on
   * `concurrency` at a time (each costs a read and a durable append, so a scan waits mostly on
   * commits); one ticket's deadlines go one after the other, as they would race on its stream.
   */
  async scan(): Promise<Map<DeadlineOutcome | typeof FAILED, number>> {
    const now = this.options.clock.now();
    const { rows } = await this.options.pool.query<{ ticket_id: string; phase: Phase; kind: DeadlineKind }>(
      `SELECT ticket_id, phase, kind FROM analytics.open_deadlines WHERE due_at < $1
        ORDER BY due_at, ticket_id, phase, kind LIMIT $2`,
      [now, this.scanLimit],
    );
    const byTicket = new Map<string, Array<{ phase: Phase; kind: DeadlineKind }>>();
    for (const row of rows) {
      const deadlines = byTicket.get(row.ticket_id) ?? [];
      deadlines.push({ phase: row.phase, kind: row.kind });
      byTicket.set(row.ticket_id, deadlines);
    }
    const tickets = [...byTicket.entries()];
    const outcomes = new Map<DeadlineOutcome | typeof FAILED, number>();
    const count = (outcome: DeadlineOutcome | typeof FAILED) => outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    let next = 0;
    const worker = async () => {
      for (let taken = next++; taken < tickets.length; taken = next++) {
        const [ticketId, deadlines] = tickets[taken];
        for (const { phase, kind } of deadlines) {
          try {
            count(await this.record(ticketId, phase, kind, now));
          } catch (error) {
            // One ticket that cannot be read or written must not hold back the others' deadlines.
            this.options.log('error', `the SLA watchdog could not record a ${kind}`, { ticketId, phase, ...errorFields(error) });
            count(FAILED);
          }
        }
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, this.options.concurrency ?? DEFAULT_CONCURRENCY) }, worker));
    return outcomes;
  }

  /** What one open_deadlines row asks for. */
  async record(ticketId: string, phase: Phase, kind: DeadlineKind, now: Date): Promise<DeadlineOutcome> {
    switch (kind) {
      case 'delay':
        return this.markDelayed(ticketId, phase, now);
      case 'warning':
        return this.warnOfBreach(ticketId, phase, now);
      case 'escalation':
        return this.escalate(ticketId, phase, now);
      default: {
        const unknownKind: never = kind;
        throw new Error(`unknown deadline kind ${String(unknownKind)}`);
      }
    }
  }

  /** Escalates a late phase to the next level of its rule's schedule once that level's instant has passed. */
  async escalate(ticketId: string, phase: Phase, now: Date): Promise<DeadlineOutcome> {
    return this.act(ticketId, phase, 'escalation', now, (_state, _calendars, deadline) => ({
      command: { type: 'EscalateTicket', data: { phase, reason: `${phase} still late: escalation rule, level ${String(deadline.level)}` } },
      label: `escalation/${String(deadline.level)}`,
    }));
  }

  /** Records the delay of the open instance of `phase` if the ticket's stream says it is past due at `now`. */
  async markDelayed(ticketId: string, phase: Phase, now: Date): Promise<DeadlineOutcome> {
    return this.act(ticketId, phase, 'delay', now, () => ({ command: { type: 'MarkTicketDelayed', data: { phase } }, label: 'delay' }));
  }

  /** Writes the breach warnings of the open instance of `phase` whose instants have come by `now`, lowest threshold first. */
  async warnOfBreach(ticketId: string, phase: Phase, now: Date): Promise<DeadlineOutcome> {
    return this.act(ticketId, phase, 'warning', now, (state, calendars) => {
      const open = state.exists ? warnablePhase(state, phase) : undefined;
      const due = open ? pendingWarnings(open, calendars).filter((warning) => Date.parse(warning.warnAt) < now.getTime()) : [];
      const highest = due[due.length - 1];
      if (highest === undefined) return undefined;
      return {
        command: { type: 'WarnOfBreach', data: { phase, threshold: highest.threshold } },
        label: `warning/${due.map((warning) => warning.threshold).join(',')}`,
      };
    });
  }

  /**
   * Re-reads the stream, re-derives the deadline of `kind` for `phase`, and if it has passed at `now`
   * decides the watchdog's command and appends its events with ids derived from the phase instance.
   */
  private async act(
    ticketId: string,
    phase: Phase,
    kind: DeadlineKind,
    now: Date,
    commandFor: (
      state: TicketState,
      calendars: CalendarLookup,
      deadline: OpenDeadline,
    ) => { command: WatchdogCommand; label: string } | undefined,
  ): Promise<DeadlineOutcome> {
    const streamId = ticketStreamId(ticketId);
    for (let attempt = 1; ; attempt++) {
      const recorded = await this.options.store.readStream(streamId);
      const last = recorded.at(-1);
      if (last !== undefined && isBackfilling(last, this.options.backfillQuietMs ?? DEFAULT_BACKFILL_QUIET_MS)) {
        // A delay stamped now would refuse the rest of the history being replayed ("a ticket's time never goes backwards").
        this.options.log('debug', 'the ticket is being backfilled; its deadline waits', { ticketId, phase, kind });
        return 'skipped';
      }
      const state = fold(recorded.map((event) => decodeTicketEvent(event)));
      const catalogue = await this.options.reference.current();
      const sla = slaCatalogueOf(catalogue);
      const calendars: CalendarLookup = (id) => sla.calendar(id);
      const deadline = openDeadlines(state, calendars).find((open) => open.phase === phase && open.kind === kind);
      const planned =
        deadline !== undefined && Date.parse(deadline.dueAt) < now.getTime() ? commandFor(state, calendars, deadline) : undefined;
      if (!state.exists || deadline === undefined || planned === undefined) {
        // The projection lags the stream: the phase completed, was delayed, warned, paused or moved meanwhile.
        this.options.log('debug', 'deadline no longer open on the stream', { ticketId, phase, kind });
        return 'skipped';
      }
      // Never before the stream's last event (decide refuses that); a later event's stamp may run ahead of this clock.
      const at = new Date(Math.max(now.getTime(), Date.parse(state.lastOccurredAt))).toISOString();
      const { command, label } = planned;
      const decision = decide(state, command, {
        at,
        ticketId,
        sla,
        reference: { catalogue, mode: referenceMode(this.options.referenceMode, catalogue) },
      });
      if (decision instanceof DomainError) {
        const outcome = NORMAL_REFUSALS[decision.code];
        if (outcome !== undefined) {
          this.options.log('debug', 'nothing to record', { ticketId, phase, kind, code: decision.code });
          return outcome;
        }
        throw decision;
      }
      const commandId = watchdogCommandId(ticketId, deadline, label);
      const envelope = delayEnvelope(commandId);
      // The domain's events are plain JSON by construction: encodeTicketEvent's shape is the port's EventToAppend.
      const events = decision.map(
        (event, index) => encodeTicketEvent(command, event, envelope, eventIdFor(commandId, index)) as EventToAppend,
      );
      try {
        const appended = await this.options.store.append(streamId, events, { expectedRevision: state.revision });
        if (appended.alreadyAppended) {
          this.options.log('debug', 'already recorded by another watchdog', { ticketId, phase, kind });
          return 'already-recorded';
        }
        this.options.log('info', `${kind} recorded`, {
          ticketId,
          phase,
          dueAt: deadline.dueAt,
          events: decision.map((event) => event.type),
          revision: appended.nextExpectedRevision,
        });
        return OUTCOME_OF[kind];
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError) || attempt >= MAX_ATTEMPTS) throw error;
        // Another writer got there first: read again; decide then says whether anything is still due.
        this.options.log('debug', 'lost a race on the ticket; reading it again', { ticketId, phase, kind, attempt });
      }
    }
  }
}

type WatchdogCommand = MarkTicketDelayed | WarnOfBreach | EscalateTicket;

/** A deadline whose ticket could not be read or written (logged); counted so a full scan is still seen as full. */
const FAILED = 'failed';

/**
 * Backdated by an importer, and recently: its history may still be arriving. Measured on the wall
 * clock, as the store's recordedAt is: the quiet period is about writes, not business time.
 */
function isBackfilling(last: RecordedEvent, quietMs: number): boolean {
  return last.metadata.backdated === true && Date.now() - last.recordedAt.getTime() < quietMs;
}

/** Refusals that mean another writer (a command, another watchdog) got there first: normal outcomes, not errors. */
const NORMAL_REFUSALS: Partial<Record<DomainErrorCode, DeadlineOutcome>> = {
  PHASE_ALREADY_DELAYED: 'already-recorded',
  BREACH_ALREADY_WARNED: 'already-recorded',
  PHASE_NOT_DUE: 'not-due',
  BREACH_WARNING_NOT_DUE: 'not-due',
  ESCALATION_NOT_DUE: 'not-due',
  ESCALATION_LEVEL_NOT_HIGHER: 'already-recorded',
  PHASE_NOT_OPEN: 'skipped',
  TICKET_ON_HOLD: 'skipped',
};
