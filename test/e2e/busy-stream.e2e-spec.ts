import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { PostgresEventStore } from '#event-store/postgres/index.js';
import { createTestDatabase, type TestDatabase } from '#read-model/testing/test-database.js';
import { appendLongTicket } from '#workload';
import { ApiProcess, createApiKey, createApiKeyWithId, stopAll } from '../support/api-process.js';
import { requireTicketLog } from '../support/ticket-log.js';
import { percentile } from '#cli/bench/shared/measure.js';

/**
 * A busy stream never fails a command that did not ask for a revision: 8 writers × 100
 * commands without If-Match on a ticket of 3,000 events all succeed, each exactly once. The
 * per-command times are printed beside a 10-event ticket's (`npm run bench -- commands`
 * measures them properly); nothing here asserts a timing.
 */

const WRITERS = 8;
const COMMANDS_PER_WRITER = 100;

describe('a busy stream', () => {
  let db: TestDatabase;
  let api: ApiProcess;
  let pool: pg.Pool;
  let store: PostgresEventStore;
  let service: string;
  let auditor: string;
  let serviceKeyId: string;

  beforeAll(async () => {
    db = await createTestDatabase('e2e_busy_stream');
    pool = new pg.Pool({ connectionString: db.url, max: 4 });
    api = await ApiProcess.start({ databaseUrl: db.url, name: 'busy-stream-api', env: { PROJECTIONS: 'off' } });
    ({ key: service, id: serviceKeyId } = await createApiKeyWithId(api, ['service'], 'busy-writers'));
    auditor = await createApiKey(api, ['auditor']);
    store = new PostgresEventStore(pool);
  }, 180_000);

  afterAll(async () => {
    await stopAll(api);
    await pool?.end();
    await db?.drop();
  });

  async function eightWriters(ticketId: string): Promise<{ statuses: number[]; msPerCommand: number[] }> {
    const statuses: number[] = [];
    const msPerCommand: number[] = [];
    await Promise.all(
      Array.from({ length: WRITERS }, async () => {
        for (let n = 0; n < COMMANDS_PER_WRITER; n++) {
          const started = performance.now();
          const answer = await api.http.post(`/tickets/${ticketId}/respond`, { userId: 'deniz', solution: false }, { key: service });
          msPerCommand.push(performance.now() - started);
          statuses.push(answer.status);
        }
      }),
    );
    return { statuses, msPerCommand };
  }

  it(`takes ${WRITERS} writers × ${COMMANDS_PER_WRITER} commands without If-Match to a 3,000-event ticket: 2xx, once each`, async () => {
    const caller = { service: 'seed', apiKeyId: serviceKeyId };
    const short = await appendLongTicket(store, 10, 'deniz', caller);
    const long = await appendLongTicket(store, 3000, 'deniz', caller);
    const onShort = await eightWriters(short);
    const onLong = await eightWriters(long);
    const describe = (name: string, run: { msPerCommand: number[] }) =>
      `${name}: p50 ${percentile(run.msPerCommand, 50).toFixed(1)} ms, p99 ${percentile(run.msPerCommand, 99).toFixed(1)} ms`;
    console.log(
      `busy-stream spec: ${WRITERS} writers × ${COMMANDS_PER_WRITER} commands each; ${describe('10-event ticket', onShort)}; ` +
        `${describe('3,000-event ticket', onLong)}`,
    );

    expect(onLong.statuses.filter((status) => status !== 200)).toEqual([]);
    expect(onShort.statuses.filter((status) => status !== 200)).toEqual([]);
    const log = await requireTicketLog(api.http, auditor, long);
    expect(log.revision).toBe(3000 + WRITERS * COMMANDS_PER_WRITER - 1);
    const commandIds = log.events.slice(3000).map((event) => event.metadata.commandId);
    expect(new Set(commandIds).size).toBe(WRITERS * COMMANDS_PER_WRITER);
  });
});
