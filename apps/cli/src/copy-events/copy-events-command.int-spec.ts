import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { uuidV5 } from '#event-store';
import { targetIdentity } from '#event-store/copy/index.js';
import { bulkLoad, type BulkAppend } from '#event-store/postgres/bulk-load.js';
import { migrateEventStore } from '#event-store/postgres/index.js';
import { createTestDatabase, type TestDatabase } from '#read-model/testing/test-database.js';

const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../dist/apps/cli/src/main.js');
const run = promisify(execFile);
const NAMESPACE = '7d9c2f30-1b4e-4c55-8f1a-6e2d0b3a9c48';

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * 600 events over 60 ticket streams in rounds (each stream's events apart), 2 of a reference-data
 * stream, and an event of another stream the copy leaves.
 */
function* appends(): Generator<BulkAppend> {
  for (let round = 0; round < 10; round++) {
    for (let ticket = 0; ticket < 60; ticket++) {
      const events = [
        {
          eventId: uuidV5(`${round}-${ticket}`, NAMESPACE),
          type: round === 0 ? 'TicketOpened' : 'TicketClaimed',
          data: { round, ticket },
          metadata: {},
        },
      ];
      yield { streamId: `ticket-${uuidV5(String(ticket), NAMESPACE)}`, expectedRevision: round === 0 ? 'no_stream' : round - 1, events };
    }
  }
  yield {
    streamId: 'ref-unit-front',
    expectedRevision: 'no_stream',
    events: ['Front', 'Front office'].map((name) => ({
      eventId: uuidV5(`ref-${name}`, NAMESPACE),
      type: 'UnitDefined',
      data: { id: 'front', by: 'cli', definition: { name, calendar: null, parentUnit: null, escalationContacts: [] } },
      metadata: {},
    })),
  };
  yield {
    streamId: 'other-1',
    expectedRevision: 'no_stream',
    events: [{ eventId: uuidV5('other', NAMESPACE), type: 'X', data: {}, metadata: {} }],
  };
}

/** `cli copy-events` as the built CLI runs it (`npm test` builds first), from one PostgreSQL database into another. */
describe('cli copy-events', () => {
  let source: TestDatabase;
  let target: TestDatabase;
  let untouched: TestDatabase;
  let dataDir: string;

  async function cli(database: TestDatabase, ...args: string[]): Promise<Outcome> {
    const env = { PATH: process.env.PATH ?? '', DATABASE_URL: database.url, DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
    return run(process.execPath, [CLI, 'copy-events', ...args], { env }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
    );
  }

  async function query<T extends pg.QueryResultRow>(database: TestDatabase, text: string): Promise<T[]> {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      return (await client.query<T>(text)).rows;
    } finally {
      await client.end();
    }
  }

  const hasEventStore = async (database: TestDatabase): Promise<boolean> =>
    (await query<{ n: number }>(database, `SELECT count(*)::int AS n FROM pg_namespace WHERE nspname = 'event_store'`))[0].n === 1;

  beforeAll(async () => {
    [source, target, untouched] = await Promise.all([
      createTestDatabase('cli_copy_source'),
      createTestDatabase('cli_copy_target'),
      createTestDatabase('cli_copy_untouched'),
    ]);
    dataDir = mkdtempSync(path.join(tmpdir(), 'bildirim-cli-copy-'));
    const pool = new pg.Pool({ connectionString: source.url, max: 2 });
    try {
      await migrateEventStore(pool);
      await bulkLoad(pool, appends(), { eventsPerBatch: 200 });
    } finally {
      await pool.end();
    }
  });

  afterAll(async () => {
    await Promise.all([source, target, untouched].filter((database) => database !== undefined).map((database) => database.drop()));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses wrong usage with exit code 2 and an unreachable target with 1, writing nothing', async () => {
    const missing = await cli(untouched);
    expect(missing).toMatchObject({ code: 2, stderr: expect.stringContaining('copy-events needs --to <connection string>') });
    const size = await cli(untouched, '--to', target.url, '--batch-size', '0');
    expect(size).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--batch-size must be a whole number of events from 1 to 100,000'),
    });
    const scheme = await cli(untouched, '--to', 'https://admin:changeit@127.0.0.1:2113');
    expect(scheme).toMatchObject({
      code: 2,
      stderr: expect.stringContaining(
        'a https:// target is not supported; accepted: esdb://…, esdb+discover://…, postgres://…, postgresql://…',
      ),
    });
    const silentNode = await cli(untouched, '--to', 'esdb://admin:changeit@127.0.0.1:1?tls=false');
    expect(silentNode.code).toBe(1);
    expect(silentNode.stderr).toContain('cannot reach the target esdb://127.0.0.1:1?tls=false');
    expect(silentNode.stderr).not.toContain('changeit');
    const unreachable = await cli(untouched, '--to', 'postgres://someone:s3cret@127.0.0.1:1/nothing');
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toContain('cannot reach the target postgres://127.0.0.1:1/nothing');
    expect(unreachable.stderr).not.toContain('s3cret');
    // Neither the source nor the target was migrated, let alone given a checkpoint.
    expect(await hasEventStore(untouched)).toBe(false);
    expect(await hasEventStore(target)).toBe(false);
  });

  it('copies, verifies, copies nothing the second time, and exits 1 when the stores differ', async () => {
    const first = await cli(source, '--to', target.url, '--batch-size', '100');
    expect(first.stderr).toContain('copy-events: copying 602 events of the ticket and reference-data streams onto');
    expect(first.stderr).not.toContain('\r');
    expect(first).toMatchObject({
      code: 0,
      stdout: expect.stringContaining('copy-events: 602 events copied, 0 skipped as already there, 61 streams'),
    });
    expect(first.stdout).toContain('verified: both stores hold the same 602 events in 61 streams');
    expect(await query(target, `SELECT count(*)::int AS n FROM event_store.events`)).toEqual([{ n: 602 }]);
    const [checkpoint] = await query<{ target: string; events_copied: string }>(
      source,
      'SELECT target, events_copied FROM event_store.copies',
    );
    expect(checkpoint.events_copied).toBe('602');
    expect(checkpoint.target).toBe(targetIdentity(target.url));
    expect(checkpoint.target).toMatch(new RegExp(`^postgres(ql)?://[^@]+/${target.name}$`));

    const second = await cli(source, '--to', target.url);
    expect(second).toMatchObject({ code: 0, stdout: expect.stringContaining('0 events copied, 0 skipped as already there, 0 streams') });
    expect(second.stdout).toContain('(continued after 602 events copied earlier)');

    const [stream] = await query<{ stream_id: string }>(
      target,
      `SELECT stream_id FROM event_store.events WHERE starts_with(stream_id, 'ticket-') ORDER BY stream_id LIMIT 1`,
    );
    await query(target, `UPDATE event_store.events SET type = 'Tampered' WHERE stream_id = '${stream.stream_id}' AND revision = 4`);
    const third = await cli(source, '--to', target.url);
    expect(third.code).toBe(1);
    expect(third.stdout).toContain('verification failed: 0 streams missing from the target, 0 extra in it, 1 holding other events');
    expect(third.stdout).toContain(`  different  ${stream.stream_id} (source 10 events, target 10)`);
    const unchecked = await cli(source, '--to', target.url, '--no-verify');
    expect(unchecked).toMatchObject({ code: 0, stdout: expect.stringContaining('not verified (--no-verify).') });
  });
});
