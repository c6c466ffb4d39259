import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { createReadModelDataSource, destroyDataSource, endPool, migrateReadModel } from '#read-model';
import { createTestDatabase, type TestDatabase } from '#read-model/testing/test-database.js';
import { ApiKeyRecord, ApiKeys, systemClock } from '#platform';
import { IdempotencyService, type CommandAnswer, type IdempotentCall } from './idempotency.service.js';
import { requestHash } from './request-hash.js';
import { OWNER_LOCK_NAMESPACE } from './commands-table.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Two "processes": each has its own pool and service, as two API processes on one database would. */
describe('IdempotencyService on PostgreSQL', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  const pools: pg.Pool[] = [];
  const services: IdempotencyService[] = [];
  let apiKeyId: string;

  beforeAll(async () => {
    database = await createTestDatabase('idem');
    dataSource = createReadModelDataSource({ url: database.url, applicationName: 'idempotency-spec', entities: [ApiKeyRecord] });
    await dataSource.initialize();
    await migrateReadModel(dataSource);
    apiKeyId = (await new ApiKeys(dataSource, systemClock).create('spec', ['service'], 'spec')).id;
    for (const name of ['process-a', 'process-b']) {
      const pool = new pg.Pool({ connectionString: database.url, max: 20, application_name: name });
      pools.push(pool);
      services.push(new IdempotencyService(pool, systemClock));
    }
  });

  afterAll(async () => {
    for (const pool of pools) await endPool(pool);
    await destroyDataSource(dataSource);
    await database.drop();
  });

  function call(key: string, body: unknown = { userId: 'u-1' }): IdempotentCall {
    return {
      apiKeyId,
      idempotencyKey: key,
      commandId: randomUUID(),
      method: 'POST',
      path: '/tickets/1/claim',
      requestHash: requestHash('POST', '/tickets/1/claim', body),
    };
  }

  function counting(answer: CommandAnswer, delayMs = 0) {
    let runs = 0;
    return {
      runs: () => runs,
      execute: async (): Promise<CommandAnswer> => {
        runs += 1;
        await sleep(delayMs);
        return answer;
      },
    };
  }

  it('runs the command once and replays its stored answer for the same key', async () => {
    const key = randomUUID();
    const command = counting({ status: 201, body: { ticketId: 't-1', position: '17' }, headers: { location: '/tickets/t-1' } });
    const first = await services[0].run(call(key), command.execute);
    const again = await services[1].run(call(key), command.execute);
    expect(command.runs()).toBe(1);
    expect(first).toEqual({
      replayed: false,
      answer: { status: 201, body: { ticketId: 't-1', position: '17' }, headers: { location: '/tickets/t-1' } },
    });
    expect(again).toEqual({ ...first, replayed: true });
  });

  it('stores a 4xx rejection and replays it too', async () => {
    const key = randomUUID();
    const command = counting({ status: 409, body: { statusCode: 409, code: 'TICKET_ALREADY_CLAIMED' }, headers: {} });
    await services[0].run(call(key), command.execute);
    const again = await services[0].run(call(key), command.execute);
    expect(command.runs()).toBe(1);
    expect(again).toMatchObject({ replayed: true, answer: { status: 409, body: { code: 'TICKET_ALREADY_CLAIMED' } } });
  });

  it('refuses the same key with a different request (422 IDEMPOTENCY_KEY_REUSED)', async () => {
    const key = randomUUID();
    const command = counting({ status: 200, body: { ok: true }, headers: {} });
    await services[0].run(call(key, { userId: 'u-1' }), command.execute);
    await expect(services[1].run(call(key, { userId: 'u-2' }), command.execute)).rejects.toMatchObject({
      code: 'IDEMPOTENCY_KEY_REUSED',
      kind: 'rule',
      details: { idempotencyKey: key, firstRequest: { method: 'POST', path: '/tickets/1/claim' } },
    });
    expect(command.runs()).toBe(1);
  });

  it('keeps idempotency keys of different API keys apart', async () => {
    const other = (await new ApiKeys(dataSource, systemClock).create('other', ['service'], 'spec')).id;
    const key = randomUUID();
    const command = counting({ status: 200, body: { ok: true }, headers: {} });
    await services[0].run(call(key), command.execute);
    const theirs = await services[0].run({ ...call(key, { different: true }), apiKeyId: other }, command.execute);
    expect(theirs.replayed).toBe(false);
    expect(command.runs()).toBe(2);
  });

  it('does not store a failure (5xx): the retry runs the command again', async () => {
    const key = randomUUID();
    await expect(
      services[0].run(call(key), async () => {
        throw new Error('database went away');
      }),
    ).rejects.toThrow('database went away');
    const command = counting({ status: 200, body: { ok: true }, headers: {} });
    expect(await services[0].run(call(key), command.execute)).toMatchObject({ replayed: false });
    expect(command.runs()).toBe(1);
  });

  it('runs a command sent ten times at once, over two processes, exactly once; all get the same answer', async () => {
    const key = randomUUID();
    const command = counting({ status: 200, body: { revision: 3, position: '99' }, headers: {} }, 150);
    const outcomes = await Promise.all(Array.from({ length: 10 }, (_, index) => services[index % 2].run(call(key), command.execute)));
    expect(command.runs()).toBe(1);
    expect(outcomes.filter((outcome) => !outcome.replayed)).toHaveLength(1);
    expect(new Set(outcomes.map((outcome) => JSON.stringify(outcome.answer))).size).toBe(1);
  });

  it('lets the next waiter run the command when the owner fails', async () => {
    const key = randomUUID();
    let runs = 0;
    const execute = async (): Promise<CommandAnswer> => {
      runs += 1;
      await sleep(100);
      if (runs === 1) throw new Error('the owner crashed');
      return { status: 200, body: { ok: true }, headers: {} };
    };
    const outcomes = await Promise.allSettled(Array.from({ length: 4 }, (_, index) => services[index % 2].run(call(key), execute)));
    expect(runs).toBe(2);
    expect(outcomes.filter((outcome) => outcome.status === 'rejected')).toHaveLength(1);
    const answered = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
    expect(answered.filter((outcome) => !outcome.replayed)).toHaveLength(1);
    expect(answered.filter((outcome) => outcome.replayed)).toHaveLength(2);
  });

  it("lets a waiter take over when the owner's connection dies mid-command (a killed process)", async () => {
    const key = randomUUID();
    const killer = new pg.Client({ connectionString: database.url });
    await killer.connect();
    let runs = 0;
    let killed: unknown;
    const ownerDies = async (): Promise<CommandAnswer> => {
      runs += 1;
      // process-a's liveness: the session of process-a holding its owner lock. Waits until it is gone (locks released).
      const { rows } = await killer.query<{ terminated: boolean }>(
        `SELECT pg_terminate_backend(a.pid, 10000) AS terminated
           FROM pg_stat_activity a JOIN pg_locks l ON l.pid = a.pid
          WHERE a.application_name = 'process-a' AND a.datname = current_database()
            AND l.locktype = 'advisory' AND l.classid = $1 AND l.objsubid = 2 AND l.granted`,
        [OWNER_LOCK_NAMESPACE],
      );
      killed = rows;
      return { status: 200, body: { from: 'the dead owner' }, headers: {} };
    };
    const survivor = async (): Promise<CommandAnswer> => {
      runs += 1;
      return { status: 200, body: { from: 'the survivor' }, headers: {} };
    };
    const owner = services[0].run(call(key), ownerDies);
    await sleep(20);
    const waiter = services[1].run(call(key), survivor);
    await expect(owner).rejects.toThrow();
    expect(killed).toEqual([{ terminated: true }]);
    expect(await waiter).toEqual({ replayed: false, answer: { status: 200, body: { from: 'the survivor' }, headers: {} } });
    expect(runs).toBe(2);
    await killer.end();
  });

  it('takes over a row a dead process left unanswered (its owner holds no liveness lock), and runs the command once', async () => {
    const key = randomUUID();
    const abandoned = call(key);
    // What a process killed between claiming the key and storing the answer leaves behind.
    await pools[0].query(
      `INSERT INTO commands (api_key_id, idempotency_key, command_id, request_method, request_path, request_hash, created_at, owner)
       VALUES ($1, $2, $3, $4, $5, $6, now(), 42)`,
      [apiKeyId, key, abandoned.commandId, abandoned.method, abandoned.path, abandoned.requestHash],
    );
    const command = counting({ status: 200, body: { ok: true }, headers: {} });
    const outcomes = await Promise.all([services[0].run(call(key), command.execute), services[1].run(call(key), command.execute)]);
    expect(command.runs()).toBe(1);
    expect(outcomes.map((outcome) => outcome.replayed).sort()).toEqual([false, true]);
    const { rows } = await pools[0].query('SELECT status_code FROM commands WHERE api_key_id = $1 AND idempotency_key = $2', [
      apiKeyId,
      key,
    ]);
    expect(rows).toEqual([{ status_code: 200 }]);
  });

  it('holds no transaction open while a command runs (readers of the event store are not held back)', async () => {
    const key = randomUUID();
    let during: unknown;
    await services[0].run(call(key), async () => {
      const { rows } = await pools[1].query<{ count: string }>(
        `SELECT count(*) FROM pg_stat_activity
          WHERE application_name = 'process-a' AND datname = current_database() AND backend_xid IS NOT NULL`,
      );
      during = rows[0].count;
      return { status: 200, body: { ok: true }, headers: {} };
    });
    expect(during).toBe('0');
  });
});
