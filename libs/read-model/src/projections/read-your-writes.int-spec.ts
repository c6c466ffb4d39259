import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { endPool } from '../postgres/close-pools.js';
import { migrateEventStore, PostgresEventStore } from '#event-store';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { planProjection } from './catalog.js';
import { InvalidPositionError, ProjectionNotCaughtUpError } from './errors.js';
import { silentLog } from './log.js';
import { ProjectionRunner } from './runner/projection-runner.js';
import { readProjectionStatus } from './projection-status.js';
import { ProjectionPositions } from './read-your-writes.js';
import { eventCountsProjection } from './sample/event-counts.projection.js';
import { migrateProjections } from './schema/migrate-projections.js';
import { seedEvents, SPEC_TYPES } from './testing/projection-fixtures.js';

describe('read-your-writes and status (PostgreSQL)', () => {
  let database: TestDatabase;
  let pool: pg.Pool;
  let store: PostgresEventStore;
  const projection = eventCountsProjection({ name: 'ryw', tablePrefix: 'ryw_', eventTypes: SPEC_TYPES });

  beforeAll(async () => {
    database = await createTestDatabase('projections_ryw');
    pool = new pg.Pool({ connectionString: database.url, max: 8 });
    await migrateEventStore(pool);
    await migrateProjections(pool);
    store = new PostgresEventStore(pool);
    await seedEvents(store, { streams: 10, eventsPerStream: 8, writers: 2 });
    await planProjection(pool, [projection], silentLog);
  });

  afterAll(async () => {
    await store.close();
    await endPool(pool);
    await database.drop();
  });

  it('times out with PROJECTION_NOT_CAUGHT_UP and the positions it saw, while nothing runs', async () => {
    const appended = await store.append(`s-${randomUUID()}`, [{ eventId: randomUUID(), type: 'A', data: {}, metadata: {} }], {
      expectedRevision: 'no_stream',
    });
    const positions = new ProjectionPositions(pool, store);
    const started = performance.now();
    const failure = await positions.waitForPosition(['ryw', 'never-registered'], appended.position, 150).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(failure).toBeInstanceOf(ProjectionNotCaughtUpError);
    expect(failure).toMatchObject({
      code: 'PROJECTION_NOT_CAUGHT_UP',
      minPosition: appended.position,
      positions: [
        { name: 'ryw', version: 1, position: null },
        { name: 'never-registered', version: null, position: null },
      ],
    });
  });

  it('refuses a position that is not the store’s', async () => {
    await expect(new ProjectionPositions(pool, store).waitForPosition(['ryw'], '42', 10)).rejects.toBeInstanceOf(InvalidPositionError);
  });

  it('shows the lag in events and seconds while behind, and none once caught up; waitForPosition then resolves', async () => {
    const behind = await readProjectionStatus(pool, store, new Date(Date.now() + 10_000));
    const row = behind.find((entry) => entry.name === 'ryw');
    // 10 streams × 8 events, 3 of every 4 of a type it reads, plus the one appended above.
    expect(row).toMatchObject({ state: 'live', version: 1, position: null, lagEvents: 61, lagEventsExact: true, eventsApplied: 0 });
    expect(row?.lagSeconds).toBeGreaterThanOrEqual(10);
    const capped = await readProjectionStatus(pool, store, new Date(), { lagScanLimit: 20 });
    const cappedRow = capped.find((entry) => entry.name === 'ryw');
    expect(cappedRow?.lagEventsExact).toBe(false);
    expect(cappedRow?.lagEvents).toBeLessThanOrEqual(20);

    const appended = await store.append(`s-${randomUUID()}`, [{ eventId: randomUUID(), type: 'X', data: {}, metadata: {} }], {
      expectedRevision: 'no_stream',
    });
    const runner = new ProjectionRunner({ pool, store }, projection, 1, { idlePollMs: 5 });
    const running = runner.start();
    try {
      await new ProjectionPositions(pool, store).waitForPosition(['ryw'], appended.position, 10_000);
      const caughtUp = (await readProjectionStatus(pool, store, new Date())).find((entry) => entry.name === 'ryw');
      expect(caughtUp).toMatchObject({
        lagEvents: 0,
        lagSeconds: 0,
        eventsApplied: 61,
        position: appended.position,
        tables: ['projections.ryw_event_type_counts_v1', 'projections.ryw_stream_counts_v1'],
      });
    } finally {
      await runner.stop();
      await running;
    }
  });
});
