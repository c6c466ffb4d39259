import { describe, expect, it } from '@jest/globals';
import { runWithRequestContext, type RequestContext } from '../context/request-context.js';
import { JsonLogger } from './json-logger.js';

function capture(level: ConstructorParameters<typeof JsonLogger>[0] = 'info') {
  const lines: string[] = [];
  const logger = new JsonLogger(level, (line) => lines.push(line));
  const entries = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { logger, lines, entries };
}

describe('JsonLogger', () => {
  it('writes one JSON object per line with time, level and msg', () => {
    const { logger, lines, entries } = capture();
    logger.info('hello', { port: 3000 });
    expect(lines).toHaveLength(1);
    expect(lines[0].endsWith('\n')).toBe(true);
    expect(entries()[0]).toEqual({ time: expect.any(String), level: 'info', msg: 'hello', port: 3000 });
  });

  it('adds the correlation id of the request being served', () => {
    const { logger, entries } = capture();
    const context: RequestContext = {
      correlationId: 'corr-42',
      causationId: undefined,
      method: 'GET',
      path: '/x',
      startedAt: 0,
      caller: undefined,
      commandId: 'c-1',
      idempotencyKey: undefined,
    };
    runWithRequestContext(context, () => logger.info('inside'));
    logger.info('outside');
    expect(entries().map((entry) => entry.correlationId)).toEqual(['corr-42', undefined]);
  });

  it('drops entries below the threshold, and everything when silent', () => {
    const warn = capture('warn');
    warn.logger.info('no');
    warn.logger.debug('no');
    warn.logger.warn('yes');
    warn.logger.error('yes');
    expect(warn.entries().map((entry) => entry.level)).toEqual(['warn', 'error']);
    const silent = capture('silent');
    silent.logger.fatal('no');
    expect(silent.lines).toEqual([]);
  });

  it("reads Nest's calling conventions: a context, and a stack for errors", () => {
    const { logger, entries } = capture();
    logger.log('Mapped {/health, GET} route', 'RouterExplorer');
    logger.error('boom', 'Error: boom\n    at somewhere (file.js:1:1)', 'ExceptionHandler');
    expect(entries()).toEqual([
      expect.objectContaining({ level: 'info', msg: 'Mapped {/health, GET} route', context: 'RouterExplorer' }),
      expect.objectContaining({ level: 'error', msg: 'boom', context: 'ExceptionHandler', stack: expect.stringContaining('at somewhere') }),
    ]);
  });

  it('logs an Error with its name, message and stack, and bigints as strings', () => {
    const { logger, entries } = capture();
    logger.error(new TypeError('bad'));
    logger.info('position', { position: 12n });
    expect(entries()[0]).toMatchObject({
      level: 'error',
      msg: 'bad',
      error: 'TypeError',
      errorMessage: 'bad',
      stack: expect.stringContaining('TypeError'),
    });
    expect(entries()[1]).toMatchObject({ position: '12' });
  });
});
