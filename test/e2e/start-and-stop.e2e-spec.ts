import { afterEach, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { isAlive } from '#read-model/postgres/data-dir-lock.js';
import { ApiProcess, createApiKey } from '../support/api-process.js';
import { openTicketBody, seededRandom } from '../support/ticket-log.js';

/**
 * `npm start` as an operator meets it, on the embedded PostgreSQL: two first starts at once on
 * one fresh DATA_DIR, and Ctrl-C in the terminal (SIGINT to the whole foreground group).
 */

const SEED = process.env.START_SEED ? Number(process.env.START_SEED) : Math.floor(Math.random() * 2 ** 31);
const ROUNDS = 3;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The promise's value, or `undefined` after `ms` (the timer is cleared either way). */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

async function waitUntilDead(pid: number, timeoutMs: number): Promise<boolean> {
  for (let waited = 0; waited < timeoutMs && isAlive(pid); waited += 50) await sleep(50);
  return !isAlive(pid);
}

function postmasterPid(dataDir: string): number | undefined {
  const file = path.join(dataDir, 'pg', 'postmaster.pid');
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/** Not under /root (mode 700): as root the embedded server runs as the `postgres` OS user. */
function freshDataDir(): string {
  const dir = mkdtempSync('/tmp/bildirim-e2e-start-');
  chmodSync(dir, 0o755);
  return dir;
}

const started: ApiProcess[] = [];
const dataDirs: string[] = [];

afterEach(async () => {
  await Promise.all(started.splice(0).map((api) => api.stop().catch(() => undefined)));
  // A process that died without stopping its PostgreSQL leaves it running: stop it (by its pid) before removing the folder.
  for (const dir of dataDirs.splice(0)) {
    const orphan = postmasterPid(dir);
    if (orphan !== undefined && isAlive(orphan)) {
      process.kill(orphan, 'SIGINT');
      if (!(await waitUntilDead(orphan, 20_000))) process.kill(orphan, 'SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);

describe('two first starts at once on one fresh DATA_DIR', () => {
  const random = seededRandom(SEED);

  it(`one serves, the other says once that DATA_DIR is in use and exits 1 (${ROUNDS} rounds, seed ${SEED})`, async () => {
    console.log(`start-and-stop spec: seed ${SEED} (repeat with START_SEED=${SEED})`);
    for (let round = 1; round <= ROUNDS; round++) {
      const dataDir = freshDataDir();
      dataDirs.push(dataDir);
      // The second start lands during the first one's initdb, its server start, or once it serves.
      const delayMs = Math.floor(random() * 1500);
      const first = await ApiProcess.spawn({ dataDir, name: `first-${round}`, logLevel: 'info' });
      started.push(first);
      await sleep(delayMs);
      const second = await ApiProcess.spawn({ dataDir, name: `second-${round}`, logLevel: 'info' });
      started.push(second);

      const loser = await within(Promise.race([first.exited().then(() => first), second.exited().then(() => second)]), 90_000);
      if (!loser)
        throw new Error(`round ${round} (delay ${delayMs} ms): neither start exited within 90 s.\n${first.output()}\n${second.output()}`);
      const winner = loser === first ? second : first;
      await winner.waitHealthy(90_000);

      const exit = await loser.exited();
      // The harness marks stderr lines with "! " (also the empty rest after the last newline).
      const lines = loser
        .output()
        .split('\n')
        .filter((line) => line.replace(/^! ?/, '') !== '');
      const context = { round, delayMs, loser: loser.options.name };
      expect({ ...context, exit }).toEqual({ ...context, exit: { code: 1, signal: null } });
      // Nothing else: no PostgreSQL FATAL, no stack trace, no log line from a start that went ahead.
      const inUse = new RegExp(
        `^! bildirim: DATA_DIR ${escapeRegExp(dataDir)} is in use by a running process \\(pid ${winner.pid}` +
          `(, PostgreSQL on port \\d+)?\\)\\. ` +
          'Stop it first, or give this process another DATA_DIR, or point it at that server with DATABASE_URL\\.$',
      );
      expect({ ...context, lines }).toEqual({ ...context, lines: [expect.stringMatching(inUse)] });
      expect(await winner.stop()).toEqual({ code: null, signal: 'SIGTERM' });
    }
  }, 600_000);
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('Ctrl-C of a running API', () => {
  it('stops the runners, then the pools, then PostgreSQL, with no warning, and says it shut down cleanly', async () => {
    const dataDir = freshDataDir();
    dataDirs.push(dataDir);
    const api = await ApiProcess.start({ dataDir, name: 'ctrl-c-api', logLevel: 'info', processGroup: true });
    started.push(api);
    const service = await createApiKey(api, ['service']);
    // Work for the projection runners, so they hold their locks and have batches to apply.
    for (let n = 0; n < 20; n++) {
      const answer = await api.http.post('/tickets', openTicketBody({ ticketId: randomUUID(), subject: `ctrl-c ${n}` }), { key: service });
      expect(answer.status).toBe(201);
    }
    const postmaster = postmasterPid(dataDir);
    expect(postmaster).toBeDefined();
    const before = api.output().length;

    api.interrupt();
    const exit = (await within(api.exited(), 60_000)) ?? 'still running after 60 s';
    const after = api.output().slice(before);
    expect({ exit, after }).toEqual({
      exit: { code: null, signal: 'SIGINT' },
      after: expect.stringContaining('"msg":"shut down cleanly"'),
    });

    const complaints = after
      .split('\n')
      .filter((line) => /"level":"(warn|error|fatal)"/.test(line) || line.startsWith('! ') || /lock was lost/.test(line));
    expect(complaints).toEqual([]);
    // PostgreSQL was stopped by the app (after its pools), not left behind, and the folder is free again.
    expect(await waitUntilDead(postmaster ?? -1, 10_000)).toBe(true);
    expect(existsSync(path.join(dataDir, 'pg', 'postmaster.pid'))).toBe(false);
    expect(existsSync(path.join(dataDir, 'owner.lock'))).toBe(false);
  }, 180_000);
});
