import { describe, expect, it } from '@jest/globals';
import { ApiProcess } from '../support/api-process.js';

/** The harness itself: a process that cannot start fails the spec quickly, with its output. */
describe('the API process harness', () => {
  it('reports a process that exits before it is healthy, with what it printed', async () => {
    const started = Date.now();
    await expect(ApiProcess.start({ databaseUrl: 'not-a-url', name: 'bad-config-api', startTimeoutMs: 30_000 })).rejects.toThrow(
      /bad-config-api exited before it was healthy[\s\S]*DATABASE_URL/,
    );
    expect(Date.now() - started).toBeLessThan(30_000);
  });
});
