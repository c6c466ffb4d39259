import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import {
  eventIdFor,
  migrateEventStore,
  PostgresEventStore,
  WrongExpectedRevisionError,
  type EventStore,
  type EventToAppend,
} from '#event-store';
import { EventStoreDbEventStore } from '#event-store/eventstoredb/index.js';
import { startDouble } from '#event-store/eventstoredb/testing/double/index.js';
import { ReferenceStore, type Clock } from '#platform';
import { createDeadlinesProjection } from '#projections/deadlines/deadlines.projection.js';
import { createReadModelDataSource, destroyDataSource, migrateReadModel } from '#read-model';
import { endPool } from '#read-model/postgres/close-pools.js';
import { migrateProjections, ProjectionDaemon, silentLog } from '#read-model/projections/index.js';
import { createTestDatabase, type TestDatabase } from '#read-model/testing/test-database.js';
import {
  decide,
  decodeTicketEvent,
  DomainError,
  encodeTicketEvent,
  fold,
  ticketStreamId,
  type EscalationLevel,
  type EscalationTarget,
  type Phase,
  type TicketBreachWarnedData,
  type TicketCommand,
  type TicketDelayedData,
  type TicketEscalatedData,
} from '#ticketing';
import { Watchdog } from '#automation';

/**
 * The SLA watchdog against a real store, the deadlines projection following it live, and two
 * watchdogs sharing one injected clock (one active, one standing by). Commands carry their own
 * instants (as imports and late commands do), so a spec sets what the watchdogs' "now" is apart
 * from when a command happened. "Within 5 s" is a poll's bound, not a measurement.
 */
const T0 = Date.parse('2026-03-02T09:00:00.000Z');
const MIN = 60_000;
const HOUR = 60 * MIN;
const iso = (ms: number) => new Date(T0 + ms).toISOString();

class SpecClock implements Clock {
  private ms = T0;
  now(): Date {
    return new Date(this.ms);
  }
  set(offsetMs: number): void {
    this.ms = T0 + offsetMs;
  }
}

interface Store {
  store: EventStore;
  close(): Promise<void>;
}

describe.each([
  {
    name: 'PostgreSQL',
    connect: (pool: pg.Pool): Promise<Store> => {
      const store = new PostgresEventStore(pool);
      return Promise.resolve({ store, close: () => store.close() });
    },
  },
  {
    name: 'the EventStoreDB double',
    connect: async (): Promise<Store> => {
      const double = await startDouble();
      const store = EventStoreDbEventStore.connect(double.connectionString);
      return {
        store,
        close: async () => {
          await store.close();
          await double.close();
        },
      };
    },
  },
])('the SLA watchdog on $name', ({ connect }) => {
  let db: TestDatabase;
  let pool: pg.Pool;
  let store: EventStore;
  let connected: Store | undefined;
  let daemon: ProjectionDaemon;
  let reference: ReferenceStore;
  const clock = new SpecClock();
  const watchdogs: Watchdog[] = [];

  const newWatchdog = () => new Watchdog({ pool, store, reference, referenceMode: 'auto', clock, intervalMs: 50, log: silentLog });

  /** A command as the API would run it: decide at `at`, append at the revision read, retry a lost race. */
  async function run(ticketId: string, command: TicketCommand, at: number, backdated = false): Promise<void> {
    for (;;) {
      const state = fold((await store.readStream(ticketStreamId(ticketId))).map((recorded) => decodeTicketEvent(recorded)));
      const decision = decide(state, command, { at: iso(at), ticketId });
      if (decision instanceof DomainError) throw decision;
      const commandId = randomUUID();
      const envelope = {
        commandId,
        correlationId: commandId,
        causationId: commandId,
        caller: { service: 'spec', apiKeyId: 'spec' },
        ...(backdated ? { backdated } : {}),
      };
      const events = decision.map(
        (event, index) => encodeTicketEvent(command, event, envelope, eventIdFor(commandId, index)) as EventToAppend,
      );
      try {
        await store.append(ticketStreamId(ticketId), events, { expectedRevision: state.exists ? state.revision : 'no_stream' });
        return;
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
      }
    }
  }

  const open = async (at: number, category = 'billing'): Promise<string> => {
    const ticketId = randomUUID();
    await run(
      ticketId,
      {
        type: 'OpenTicket',
        data: { channel: 'phone', customer: 'c-1', category, priority: 'high', subject: 'refund', unitId: 'front' },
      },
      at,
    );
    return ticketId;
  };

  /** The ticket's escalations and routes in stream order: `escalated <level> to <unit>/<user> by <by> (<rule>)`, `routed to <unit>`. */
  async function escalations(ticketId: string): Promise<string[]> {
    return (await store.readStream(ticketStreamId(ticketId)))
      .filter((recorded) => recorded.type === 'TicketEscalated' || recorded.type === 'TicketRouted')
      .map((recorded) => {
        if (recorded.type === 'TicketRouted') return `routed to ${String(recorded.data.toUnitId)}`;
        const e = recorded.data as unknown as TicketEscalatedData;
        return `escalated ${e.level} to ${String(e.toUnitId)}/${String(e.toUserId)} by ${e.by} (${String(e.ruleId)}, ${String(e.phase)})`;
      });
  }
  const claim = (ticketId: string, at: number) => run(ticketId, { type: 'ClaimTicket', data: { userId: 'ayse' } }, at);

  interface Delay extends TicketDelayedData {
    commandType: unknown;
    actor: unknown;
  }

  async function delays(ticketId: string, phase: Phase): Promise<Delay[]> {
    return (await store.readStream(ticketStreamId(ticketId)))
      .filter((recorded) => recorded.type === 'TicketDelayed' && recorded.data.phase === phase)
      .map((recorded) => ({
        ...(recorded.data as unknown as TicketDelayedData),
        commandType: recorded.metadata.commandType,
        actor: recorded.metadata.actor,
      }));
  }

  /** The watchdog's writes for one phase, in stream order: warnings as `warned <threshold> at <warnAt>`, delays as `delayed at <dueAt>`. */
  async function writes(ticketId: string, phase: Phase): Promise<string[]> {
    return (await store.readStream(ticketStreamId(ticketId)))
      .filter((recorded) => (recorded.type === 'TicketBreachWarned' || recorded.type === 'TicketDelayed') && recorded.data.phase === phase)
      .map((recorded) => {
        const kind = (recorded.metadata.actor as { kind: string }).kind;
        if (recorded.type === 'TicketDelayed') return `${kind} delayed at ${(recorded.data as unknown as TicketDelayedData).dueAt}`;
        const warning = recorded.data as unknown as TicketBreachWarnedData;
        return `${kind} warned ${warning.threshold} at ${warning.warnAt} (${warning.unitId}, ${String(warning.userId)})`;
      });
  }

  async function eventually<T>(probe: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
    const until = Date.now() + 5_000;
    for (;;) {
      const value = await probe();
      if (done(value) || Date.now() > until) return value;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** The projection has folded the ticket's events so far: a scan from now on sees its deadlines as they stand. */
  async function projected(ticketId: string): Promise<void> {
    const revision = (await store.readStream(ticketStreamId(ticketId))).length - 1;
    const seen = await eventually(
      async () =>
        (await pool.query<{ revision: number }>('SELECT revision FROM analytics.deadline_tickets WHERE ticket_id = $1', [ticketId])).rows[0]
          ?.revision ?? -1,
      (value) => value >= revision,
    );
    // The watchdog may have appended since the stream was read.
    expect(seen).toBeGreaterThanOrEqual(revision);
  }

  /**
   * Whatever the active watchdog would write at the clock's now, it has written: a marker ticket
   * whose claim due is the last instant before now is the last deadline of a scan (earliest due
   * first), so its delay comes after every other the scan writes.
   */
  async function settled(): Promise<void> {
    const marker = await open(clock.now().getTime() - T0 - 30 * MIN - 1);
    await projected(marker);
    const written = await eventually(
      () => delays(marker, 'claim'),
      (found) => found.length === 1,
    );
    expect(written).toHaveLength(1);
  }

  beforeAll(async () => {
    db = await createTestDatabase('watchdog');
    pool = new pg.Pool({ connectionString: db.url, max: 12 });
    await migrateEventStore(pool);
    await migrateProjections(pool);
    const dataSource = createReadModelDataSource({ url: db.url, applicationName: 'watchdog-spec', entities: [] });
    await dataSource.initialize();
    await migrateReadModel(dataSource);
    await destroyDataSource(dataSource);
    connected = await connect(pool);
    store = connected.store;
    reference = new ReferenceStore(store, pool);
    daemon = new ProjectionDaemon({ pool, store }, [createDeadlinesProjection()], { runner: { batchSize: 100 }, log: silentLog });
    await daemon.start();
    watchdogs.push(newWatchdog(), newWatchdog());
    for (const watchdog of watchdogs) watchdog.start();
  }, 120_000);

  afterAll(async () => {
    for (const watchdog of watchdogs) await watchdog.stop();
    await daemon?.stop();
    await connected?.close();
    if (pool) await endPool(pool);
    await db?.drop();
  });

  it('writes exactly one claim delay, with the original due, for a ticket left in its pool past the claim due', async () => {
    const ticketId = await open(0);
    await projected(ticketId);
    clock.set(30 * MIN + 1_000);
    const written = await eventually(
      () => delays(ticketId, 'claim'),
      (found) => found.length > 0,
    );
    await settled();
    expect(await delays(ticketId, 'claim')).toEqual([
      {
        phase: 'claim',
        unitId: 'front',
        userId: null,
        dueAt: iso(30 * MIN),
        escalation: null,
        commandType: 'MarkTicketDelayed',
        actor: { kind: 'system', userId: null, service: 'sla-watchdog', apiKeyId: 'sla-watchdog' },
      },
    ]);
    expect(written).toHaveLength(1);
    expect(watchdogs.filter((watchdog) => watchdog.isActive)).toHaveLength(1);
  });

  it('leaves a response answered late to the command: one delay, written by the respond', async () => {
    const ticketId = await open(clock.now().getTime() - T0);
    await claim(ticketId, 40 * MIN);
    // Answered 10 minutes past the 4 h due, before the watchdogs' clock reaches it.
    await run(ticketId, { type: 'RespondToTicket', data: { userId: 'ayse', solution: false } }, 4 * HOUR + 40 * MIN);
    await projected(ticketId);
    clock.set(5 * HOUR);
    await settled();
    expect((await delays(ticketId, 'response')).map(({ commandType, dueAt }) => ({ commandType, dueAt }))).toEqual([
      { commandType: 'RespondToTicket', dueAt: iso(4 * HOUR + 30 * MIN + 1_000) },
    ]);
  });

  it('racing a late respond, exactly one response delay is written, whoever wins', async () => {
    const racers = await Promise.all([1, 2, 3, 4, 5, 6].map(() => open(clock.now().getTime() - T0)));
    const openedAt = clock.now().getTime() - T0;
    for (const ticketId of racers) await claim(ticketId, openedAt + MIN);
    const late = openedAt + 4 * HOUR + 10 * MIN;
    const bystander = newWatchdog();
    await Promise.all(
      racers.flatMap((ticketId) => [
        bystander.markDelayed(ticketId, 'response', new Date(T0 + late)),
        run(ticketId, { type: 'RespondToTicket', data: { userId: 'ayse', solution: false } }, late),
      ]),
    );
    for (const ticketId of racers) expect(await delays(ticketId, 'response')).toHaveLength(1);
  });

  it('writes no delay while a hold stops the clock past the due, and one after the resume, at the moved due', async () => {
    const start = clock.now().getTime() - T0;
    const ticketId = await open(start);
    await claim(ticketId, start + MIN);
    await run(ticketId, { type: 'PutTicketOnHold', data: { userId: 'ayse', reason: 'awaiting customer' } }, start + HOUR);
    await projected(ticketId);
    clock.set(start + 5 * HOUR);
    await settled();
    expect(await delays(ticketId, 'response')).toEqual([]);
    // Resumed 4 h after the hold began: the 3 h the response clock had left run from the resume.
    await run(ticketId, { type: 'ResumeTicket', data: { userId: 'ayse' } }, start + 5 * HOUR);
    await projected(ticketId);
    clock.set(start + 8 * HOUR + 1_000);
    const written = await eventually(
      () => delays(ticketId, 'response'),
      (found) => found.length > 0,
    );
    expect(written.map(({ dueAt, userId, commandType }) => ({ dueAt, userId, commandType }))).toEqual([
      { dueAt: iso(start + 8 * HOUR), userId: 'ayse', commandType: 'MarkTicketDelayed' },
    ]);
  });

  it('after a stop, the standby takes over and catches up on the dues that passed meanwhile, each at its original due', async () => {
    const start = clock.now().getTime() - T0;
    const ticketId = await open(start);
    await claim(ticketId, start + MIN);
    await projected(ticketId);
    const active = watchdogs.find((watchdog) => watchdog.isActive);
    await active?.stop();
    // Downtime of the active one: both the response and the resolution dues pass.
    clock.set(start + 3 * 24 * HOUR + HOUR);
    const written = await eventually(
      async () => [...(await delays(ticketId, 'response')), ...(await delays(ticketId, 'resolution'))],
      (found) => found.length === 2,
    );
    expect(written.map(({ phase, dueAt }) => ({ phase, dueAt }))).toEqual([
      { phase: 'response', dueAt: iso(start + 4 * HOUR) },
      { phase: 'resolution', dueAt: iso(start + 3 * 24 * HOUR) },
    ]);
    expect(watchdogs.filter((watchdog) => watchdog.isActive)).toHaveLength(1);
  });

  it('leaves a ticket whose history an importer is replaying alone until it has been quiet, then writes its delay', async () => {
    const start = clock.now().getTime() - T0 - 5 * HOUR;
    const ticketId = randomUUID();
    const openTicket: TicketCommand = {
      type: 'OpenTicket',
      data: { channel: 'phone', customer: 'c-1', category: 'billing', priority: 'high', subject: 'refund', unitId: 'front' },
    };
    await run(ticketId, openTicket, start, true);
    const quietMs = 1_500;
    const patient = new Watchdog({
      pool,
      store,
      reference,
      referenceMode: 'auto',
      clock,
      intervalMs: 50,
      log: silentLog,
      backfillQuietMs: quietMs,
    });
    expect(await patient.markDelayed(ticketId, 'claim', clock.now())).toBe('skipped');
    // The replay goes on: its next command, an hour into the ticket's history, is accepted and records its own late claim.
    await run(ticketId, { type: 'ClaimTicket', data: { userId: 'ayse' } }, start + HOUR, true);
    expect(await patient.markDelayed(ticketId, 'response', clock.now())).toBe('skipped');
    await new Promise((resolve) => setTimeout(resolve, quietMs + 200));
    expect(await patient.markDelayed(ticketId, 'response', clock.now())).toBe('delayed');
    const written = [...(await delays(ticketId, 'claim')), ...(await delays(ticketId, 'response'))];
    expect(written.map(({ phase, dueAt, commandType }) => ({ phase, dueAt, commandType }))).toEqual([
      { phase: 'claim', dueAt: iso(start + 30 * MIN), commandType: 'ClaimTicket' },
      { phase: 'response', dueAt: iso(start + 4 * HOUR), commandType: 'MarkTicketDelayed' },
    ]);
  });

  it('warns a ticket left in its pool at 75% and 90% of the claim target, then delays it: each once, in order', async () => {
    const start = clock.now().getTime() - T0;
    const ticketId = await open(start);
    await projected(ticketId);
    const warned75 = `system warned 75 at ${iso(start + 22 * MIN + 30_000)} (front, null)`;
    const warned90 = `system warned 90 at ${iso(start + 27 * MIN)} (front, null)`;
    clock.set(start + 23 * MIN);
    expect(
      await eventually(
        () => writes(ticketId, 'claim'),
        (found) => found.length >= 1,
      ),
    ).toEqual([warned75]);
    clock.set(start + 28 * MIN);
    expect(
      await eventually(
        () => writes(ticketId, 'claim'),
        (found) => found.length >= 2,
      ),
    ).toEqual([warned75, warned90]);
    clock.set(start + 31 * MIN);
    await eventually(
      () => writes(ticketId, 'claim'),
      (found) => found.length >= 3,
    );
    await settled();
    expect(await writes(ticketId, 'claim')).toEqual([warned75, warned90, `system delayed at ${iso(start + 30 * MIN)}`]);
  });

  it('after downtime past both thresholds and the due, writes 75%, 90% and the delay, each once, with their own instants', async () => {
    const start = clock.now().getTime() - T0;
    const ticketId = await open(start);
    await projected(ticketId);
    clock.set(start + 45 * MIN);
    await eventually(
      () => writes(ticketId, 'claim'),
      (found) => found.length >= 3,
    );
    await settled();
    expect(await writes(ticketId, 'claim')).toEqual([
      `system warned 75 at ${iso(start + 22 * MIN + 30_000)} (front, null)`,
      `system warned 90 at ${iso(start + 27 * MIN)} (front, null)`,
      `system delayed at ${iso(start + 30 * MIN)}`,
    ]);
  });

  describe('with escalation rules', () => {
    const level = (n: number, afterSeconds: number, to: EscalationTarget, route = false): EscalationLevel => ({
      level: n,
      afterSeconds,
      to,
      route,
    });

    beforeAll(async () => {
      // Only tickets of these categories match, so the earlier specs' tickets never escalate.
      await reference.importDocument(
        {
          units: {
            front: { name: 'Front', calendar: null, parentUnit: null, escalationContacts: [] },
            escalations: { name: 'Escalations', calendar: null, parentUnit: null, escalationContacts: [] },
          },
          users: {
            selin: { name: 'Selin', memberships: [{ unit: 'front', supervisor: true }] },
            omer: { name: 'Omer', memberships: [{ unit: 'escalations', supervisor: true }] },
          },
          categories: { 'escalate-me': { name: 'Escalate me', parent: null }, 'route-me': { name: 'Route me', parent: null } },
          escalationRules: {
            'late-response': [
              {
                name: 'Late responses',
                effectiveFrom: '2026-01-01T00:00:00Z',
                order: 1,
                match: { category: 'escalate-me' },
                phase: 'response',
                levels: [
                  level(1, 0, { supervisorOf: null }),
                  level(2, 1800, { supervisorOf: 'escalations' }),
                  level(3, 3600, { unit: 'escalations' }),
                ],
              },
            ],
            'late-claim': [
              {
                name: 'Forgotten in the pool',
                effectiveFrom: '2026-01-01T00:00:00Z',
                order: 2,
                match: { category: 'route-me' },
                phase: 'claim',
                levels: [level(1, 0, { unit: 'escalations' }, true)],
              },
            ],
          },
        },
        { at: iso(0), by: 'spec' },
      );
    });

    it('escalates a late response to level 1 at the delay and level 2 after the grace time, then stops when answered', async () => {
      const start = clock.now().getTime() - T0;
      const ticketId = await open(start, 'escalate-me');
      await claim(ticketId, start + MIN);
      await projected(ticketId);
      const level1 = 'escalated 1 to front/selin by system (late-response@1, response)';
      const level2 = 'escalated 2 to escalations/omer by system (late-response@1, response)';
      clock.set(start + 4 * HOUR + 1_000);
      expect(
        await eventually(
          () => escalations(ticketId),
          (found) => found.length >= 1,
        ),
      ).toEqual([level1]);
      clock.set(start + 4 * HOUR + 31 * MIN);
      expect(
        await eventually(
          () => escalations(ticketId),
          (found) => found.length >= 2,
        ),
      ).toEqual([level1, level2]);
      await run(ticketId, { type: 'RespondToTicket', data: { userId: 'ayse', solution: false } }, start + 4 * HOUR + 40 * MIN);
      await projected(ticketId);
      // Level 3 was due at 5 h; answered before, it never comes.
      clock.set(start + 5 * HOUR + MIN);
      await settled();
      expect(await escalations(ticketId)).toEqual([level1, level2]);
    });

    it('a rule with routing moves a ticket forgotten in its pool to the escalation unit, in the delay’s append', async () => {
      const start = clock.now().getTime() - T0;
      const ticketId = await open(start, 'route-me');
      await projected(ticketId);
      clock.set(start + 31 * MIN);
      await eventually(
        () => escalations(ticketId),
        (found) => found.length >= 2,
      );
      await settled();
      expect(await escalations(ticketId)).toEqual([
        'escalated 1 to escalations/omer by system (late-claim@1, claim)',
        'routed to escalations',
      ]);
      const types = (await store.readStream(ticketStreamId(ticketId))).map((recorded) => recorded.type);
      expect(types.slice(types.indexOf('TicketDelayed'))).toEqual(['TicketDelayed', 'TicketEscalated', 'TicketRouted']);
    });
  });
});
