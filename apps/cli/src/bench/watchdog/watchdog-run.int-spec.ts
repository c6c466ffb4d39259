import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '#read-model/testing/test-database.js';
import { runWatchdogBench } from './watchdog-run.js';
import { watchdogWorkload } from './watchdog-workload.js';

/**
 * `bench watchdog` at a tiny size (200 tickets, the virtual hour in 6 s): the suite's invariants,
 * never its timings — every planned due delayed once at its own dueAt, and the figures it
 * reports consistent with that.
 */
const SEED = process.env.WATCHDOG_BENCH_SEED ? Number(process.env.WATCHDOG_BENCH_SEED) : Math.floor(Math.random() * 2 ** 31);

describe(`bench watchdog, 200 tickets (WATCHDOG_BENCH_SEED=${SEED})`, () => {
  let db: TestDatabase;

  beforeAll(async () => {
    console.log(`watchdog bench spec: WATCHDOG_BENCH_SEED=${SEED}`);
    db = await createTestDatabase('watchdog_bench');
  });

  afterAll(async () => {
    await db?.drop();
  });

  it('plans one due per ticket inside the virtual hour, every event at or before its start', () => {
    const start = Date.parse('2026-03-02T09:00:00.000Z');
    const workload = watchdogWorkload(500, SEED, start);
    expect(workload.dues).toHaveLength(500);
    expect(new Set(workload.dues.map((due) => due.streamId)).size).toBe(500);
    for (const due of workload.dues) expect(due.dueAt >= start && due.dueAt < start + 3_600_000).toBe(true);
    const instants = workload.appends.flatMap((append) => append.events.map((event) => Date.parse(String(event.metadata.occurredAt))));
    expect(instants.filter((at) => at > start)).toEqual([]);
    expect(new Set(workload.dues.map((due) => due.phase))).toEqual(new Set(['claim', 'response']));
  });

  it('delays every due exactly once at its own dueAt: 0 missed, 0 duplicates', async () => {
    const result = await runWatchdogBench({
      url: db.url,
      tickets: 200,
      speed: 600,
      intervalMs: 100,
      seed: SEED,
      stallMs: 10_000,
      log: () => undefined,
    });
    expect({
      delays: result.delays,
      // Every ticket stays open past both thresholds of the built-in policy.
      warnings: result.warnings,
      missed: result.missed,
      duplicates: result.duplicates,
      wrongDue: result.wrongDue,
      errors: result.watchdogErrors,
    }).toEqual({ delays: 200, warnings: 400, missed: 0, duplicates: 0, wrongDue: 0, errors: 0 });
    expect(Object.values(result.dues).reduce((a, b) => a + b, 0)).toBe(200);
    // Causality, not speed: each delay is appended after its due passed on the virtual clock.
    expect(result.latencyMs.min).toBeGreaterThan(0);
  }, 120_000);
});
