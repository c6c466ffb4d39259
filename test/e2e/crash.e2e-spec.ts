import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { isAlive } from '#read-model/postgres/data-dir-lock.js';
import { ApiProcess, createApiKey, type HttpAnswer } from '../support/api-process.js';
import { asReplayed, openTicketBody, readTicketLog, seededRandom, type CommandAnswer, type LogEvent } from '../support/ticket-log.js';

/**
 * Acceptance: the app is SIGKILLed at random moments under a command load, several times (the
 * seed printed; CRASH_SEED repeats the kill moments and the workload); after each kill it is
 * started again the same way and comes up by itself, stopping the orphaned embedded
 * PostgreSQL (DESIGN.md §11); no command answered with success is lost, and retrying the
 * unanswered commands with their keys applies each exactly once.
 */

const ROUNDS = 4;
const CLIENTS = 4;
const SEED = process.env.CRASH_SEED ? Number(process.env.CRASH_SEED) : Math.floor(Math.random() * 2 ** 31);

interface SentCommand {
  idempotencyKey: string;
  ticketId: string;
  path: string;
  body: Record<string, unknown>;
  round: number;
  /** the answer, if one came back */
  answer?: HttpAnswer<CommandAnswer>;
  /** why no answer came back (the process died under it, or was down) */
  error?: string;
}

function hasAnswer(command: SentCommand): command is SentCommand & { answer: HttpAnswer<CommandAnswer> } {
  return command.answer !== undefined;
}

/** One ticket's life, in commands a single client sends in order. */
function ticketScript(ticketId: string, user: string): Array<{ path: string; body: Record<string, unknown> }> {
  return [
    { path: '/tickets', body: openTicketBody({ ticketId, subject: `crash load ${ticketId.slice(0, 8)}` }) },
    { path: `/tickets/${ticketId}/claim`, body: { userId: user } },
    { path: `/tickets/${ticketId}/hold`, body: { userId: user, reason: 'waiting for the customer' } },
    { path: `/tickets/${ticketId}/resume`, body: { userId: user } },
    { path: `/tickets/${ticketId}/respond`, body: { userId: user, solution: true } },
    { path: `/tickets/${ticketId}/close`, body: { userId: user, resolution: 'resolved', requestMet: true } },
    { path: `/tickets/${ticketId}/survey`, body: { score: 5, channel: 'sms' } },
  ];
}

function postmasterPid(dataDir: string): number | undefined {
  const file = path.join(dataDir, 'pg', 'postmaster.pid');
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitUntilDead(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && isAlive(pid)) await sleep(50);
  return !isAlive(pid);
}

describe('crash: SIGKILL under load, embedded PostgreSQL, restart by itself', () => {
  let dataDir: string;
  let api: ApiProcess;
  let service: string;
  let auditor: string;
  const random = seededRandom(SEED);
  const sent: SentCommand[] = [];

  beforeAll(() => {
    // Not under /root (mode 700): as root the embedded server runs as the `postgres` OS user.
    dataDir = mkdtempSync('/tmp/bildirim-e2e-crash-');
    chmodSync(dataDir, 0o755);
    console.log(`crash spec: seed ${SEED} (repeat with CRASH_SEED=${SEED}), DATA_DIR ${dataDir}`);
  });

  afterAll(async () => {
    await api?.stop().catch(() => undefined);
    // if the app died without stopping its PostgreSQL, stop that one (by its pid) before removing the folder
    const orphan = dataDir ? postmasterPid(dataDir) : undefined;
    if (orphan !== undefined && isAlive(orphan)) {
      process.kill(orphan, 'SIGINT');
      if (!(await waitUntilDead(orphan, 20_000))) process.kill(orphan, 'SIGKILL');
    }
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it(`survives ${ROUNDS} SIGKILLs under load, losing no answered command and applying each retried one once`, async () => {
    const started = Date.now();
    api = await ApiProcess.start({ dataDir, name: 'crash-api', logLevel: 'info', startTimeoutMs: 120_000 });
    service = await createApiKey(api, ['service']);
    auditor = await createApiKey(api, ['auditor']);

    let up = true;
    let stopping = false;
    let round = 1;
    const http = () => api.http;

    const client = async (clientNo: number) => {
      let script: ReturnType<typeof ticketScript> = [];
      let ticketId = '';
      let step = 0;
      let n = 0;
      while (!stopping) {
        if (!up) {
          await sleep(10);
          continue;
        }
        if (step >= script.length) {
          ticketId = randomUUID();
          script = ticketScript(ticketId, `agent-${clientNo}`);
          step = 0;
        }
        const command: SentCommand = { idempotencyKey: `crash-${clientNo}-${n++}`, ticketId, round, ...script[step] };
        sent.push(command);
        try {
          command.answer = await http().post<CommandAnswer>(command.path, command.body, {
            key: service,
            idempotencyKey: command.idempotencyKey,
          });
        } catch (error) {
          command.error = String((error as Error).cause ?? error);
        }
        // After an unanswered command the ticket's state is unknown: leave it, so the retry at the end is valid either way.
        step = command.answer && command.answer.status < 300 ? step + 1 : script.length;
        if (!command.answer) await sleep(5);
      }
    };
    const clients = Array.from({ length: CLIENTS }, (_, i) => client(i));

    try {
      for (; round <= ROUNDS; round++) {
        await sleep(300 + Math.floor(random() * 1500));
        const orphanBefore = postmasterPid(dataDir);
        await api.kill();
        up = false;
        if (orphanBefore === undefined) throw new Error(`no postmaster.pid in ${dataDir} before the kill`);
        expect(isAlive(orphanBefore)).toBe(true); // SIGKILL left the embedded PostgreSQL running: an orphan
        await sleep(Math.floor(random() * 200));

        api = await api.restart();
        expect(isAlive(orphanBefore)).toBe(false);
        expect(postmasterPid(dataDir)).not.toBe(orphanBefore);
        expect(api.output()).toMatch(/orphan/i);
        up = true;
      }
      await sleep(300);
    } finally {
      stopping = true;
      await Promise.all(clients);
    }

    const answered = sent.filter(hasAnswer).filter((c) => c.answer.status < 300);
    const refused = sent.filter(hasAnswer).filter((c) => c.answer.status >= 300);
    const unanswered = sent.filter((c) => !c.answer);
    console.log(
      `crash spec: ${sent.length} commands in ${ROUNDS} rounds, ${answered.length} answered 2xx, ${unanswered.length} unanswered, ` +
        `${refused.length} refused; load phase ${Date.now() - started} ms`,
    );
    const perRound = Array.from({ length: ROUNDS + 1 }, (_, i) => i + 1).map((r) => {
      const mine = sent.filter((c) => c.round === r);
      const ok = mine.filter((c) => c.answer && c.answer.status < 300).length;
      const refusedInRound = mine.filter((c) => c.answer && c.answer.status >= 300).length;
      return `round ${r}: ${ok} ok, ${mine.filter((c) => !c.answer).length} unanswered, ${refusedInRound} refused`;
    });
    console.log(`crash spec: ${perRound.join('; ')}`);
    // every command of the load is valid when sent, so any answer but 2xx is a bug
    expect(firstFew(refused.map((c) => `${c.idempotencyKey} ${c.path} ${c.answer.status} ${c.answer.text}`))).toEqual([]);
    expect(answered.length).toBeGreaterThan(20);
    expect(unanswered.length).toBeGreaterThan(0);

    const tickets = [...new Set(sent.map((c) => c.ticketId))];
    const readAll = async () => {
      const logs = new Map<string, LogEvent[]>();
      await inBatches(tickets, 8, async (ticketId) => logs.set(ticketId, (await readTicketLog(http(), auditor, ticketId))?.events ?? []));
      return logs;
    };

    // 1. every command answered with success is in the store, as answered
    const before = await readAll();
    const lost: string[] = [];
    for (const command of answered) {
      const events = before.get(command.ticketId) ?? [];
      for (const wanted of command.answer.body.events) {
        const found = events.find((e) => e.eventId === wanted.eventId);
        if (
          !found ||
          found.type !== wanted.type ||
          found.revision !== wanted.revision ||
          found.metadata.commandId !== command.answer.body.commandId
        ) {
          lost.push(`${command.idempotencyKey} ${command.path}: ${wanted.type} ${wanted.eventId}`);
        }
      }
    }
    expect(firstFew(lost)).toEqual([]);

    // 2. an answered command sent again with its key is replayed byte for byte, saying it is a replay
    const replays = await inBatches(answered, 8, (c) => http().post(c.path, c.body, { key: service, idempotencyKey: c.idempotencyKey }));
    const differing = answered.filter((c, i) => replays[i].status !== c.answer.status || replays[i].text !== asReplayed(c.answer.text));
    expect(
      firstFew(
        answered.flatMap((c, i) => (differing.includes(c) ? [`${c.idempotencyKey}: ${c.answer.text} then ${replays[i].text}`] : [])),
      ),
    ).toEqual([]);

    // 3. every unanswered command, retried with its key, is applied (or found applied) and answered 2xx
    const retries = await inBatches(unanswered, 8, (c) =>
      http().post<CommandAnswer>(c.path, c.body, { key: service, idempotencyKey: c.idempotencyKey }),
    );
    expect(
      firstFew(
        unanswered
          .map((c, i) => `${c.idempotencyKey} ${c.path}: ${retries[i].status} ${retries[i].text}`)
          .filter((_, i) => retries[i].status >= 300),
      ),
    ).toEqual([]);
    const foundApplied = retries.filter((r) => r.headers.get('idempotent-replayed') === 'true' || r.body.replayed === true).length;
    console.log(
      `crash spec: of ${unanswered.length} unanswered commands, ${foundApplied} had been applied before the kill ` +
        `(the retry replayed them), ${unanswered.length - foundApplied} were applied by the retry`,
    );
    const again = await inBatches(unanswered, 8, (c) => http().post(c.path, c.body, { key: service, idempotencyKey: c.idempotencyKey }));
    expect(
      firstFew(
        unanswered
          .filter((_, i) => again[i].status !== retries[i].status || again[i].text !== asReplayed(retries[i].text))
          .map((c) => c.idempotencyKey),
      ),
    ).toEqual([]);

    // 4. each command's events are in the store exactly once: one set per command id, and nothing unaccounted for
    const after = await readAll();
    const byCommand = new Map<string, LogEvent[]>();
    for (const events of after.values()) {
      expect(events.map((e) => e.revision)).toEqual(events.map((_, i) => i));
      for (const event of events) byCommand.set(event.metadata.commandId, [...(byCommand.get(event.metadata.commandId) ?? []), event]);
    }
    const known = [...answered.map((c) => c.answer.body), ...retries.map((r) => r.body)];
    const problems: string[] = [];
    for (const answer of known) {
      const stored = (byCommand.get(answer.commandId) ?? []).map((e) => e.eventId);
      const expectedIds = answer.events.map((e) => e.eventId);
      if (JSON.stringify(stored) !== JSON.stringify(expectedIds))
        problems.push(`${answer.commandId}: stored ${stored.join(',')} answered ${expectedIds.join(',')}`);
    }
    const knownIds = new Set(known.map((answer) => answer.commandId));
    for (const commandId of byCommand.keys()) if (!knownIds.has(commandId)) problems.push(`events of an unknown command ${commandId}`);
    expect(firstFew(problems)).toEqual([]);
    expect(knownIds.size).toBe(answered.length + unanswered.length);
    console.log(`crash spec: verified in ${Date.now() - started} ms in all`);
  }, 240_000);

  it('stops its embedded PostgreSQL on SIGTERM: a clean stop leaves no orphan', async () => {
    const pgPid = postmasterPid(dataDir);
    if (pgPid === undefined) throw new Error(`no postmaster.pid in ${dataDir} before the stop`);
    const exit = await api.stop();
    // Nest's shutdown hooks re-raise the signal once they are done, so "killed by SIGTERM" is a clean exit too
    expect([JSON.stringify({ code: 0, signal: null }), JSON.stringify({ code: null, signal: 'SIGTERM' })]).toContain(JSON.stringify(exit));
    expect(api.output()).not.toMatch(/"level":"(error|fatal)"/);
    expect(await waitUntilDead(pgPid, 5_000)).toBe(true);
    expect(existsSync(path.join(dataDir, 'pg', 'postmaster.pid'))).toBe(false);
  }, 60_000);
});

/** Keeps a failure message readable: the first few items and how many there were. */
function firstFew(items: string[], n = 8): string[] {
  return items.length <= n ? items : [...items.slice(0, n), `… and ${items.length - n} more`];
}

async function inBatches<T, R>(items: T[], size: number, run: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(size, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await run(items[index]);
      }
    }),
  );
  return results;
}
