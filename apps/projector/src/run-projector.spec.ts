import { describe, expect, it } from '@jest/globals';
import { ConfigError } from '#platform';
import { runProjector } from './run-projector.js';

/** The projector refuses a bad setting before it connects to anything. */
describe('the projector’s watchdog settings', () => {
  it.each([
    [{ WATCHDOG: 'maybe' }, 'WATCHDOG must be on or off, got "maybe"'],
    [{ WATCHDOG_INTERVAL: 'soon' }, 'WATCHDOG_INTERVAL must be a duration from 1ms to 60s such as 1s or 500ms, got "soon"'],
    [{ WATCHDOG_INTERVAL: '2min' }, 'WATCHDOG_INTERVAL must be a duration from 1ms to 60s such as 1s or 500ms, got "2min"'],
    [{ WATCHDOG_INTERVAL: '0' }, 'WATCHDOG_INTERVAL must be a duration from 1ms to 60s such as 1s or 500ms, got "0"'],
  ])('%j: %s', async (env, problem) => {
    const failure = await runProjector([], { env }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(ConfigError);
    expect((failure as ConfigError).problems).toEqual([problem]);
  });
});
