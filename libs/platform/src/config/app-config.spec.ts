import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig, loadDatabaseConfig, parseByteSize, parseDuration } from './app-config.js';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env, '/srv/app');
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('loadConfig', () => {
  it('gives the documented defaults for an empty environment', () => {
    expect(loadConfig({}, '/srv/app')).toEqual({
      port: 3000,
      dataDir: '/srv/app/.data',
      databaseUrl: undefined,
      adminApiKey: undefined,
      logLevel: 'info',
      bodyLimitBytes: 256 * 1024,
      eventStore: { kind: 'postgres' },
      reportingTimeZone: 'Europe/Istanbul',
      clockSkewMs: 5000,
      earliestOccurredAt: new Date('2000-01-01T00:00:00Z'),
      commandRetryBudgetMs: 5000,
      ticketCacheSize: 10_000,
      rateLimitPerSecond: 1000,
      authFailuresPerMinute: 30,
      reports: { maxDays: 366, statementTimeoutMs: 30_000, poolSize: 4 },
      referenceMode: 'auto',
      watchdog: { enabled: true, intervalMs: 1000, backfillQuietMs: 10 * 60 * 1000 },
      webhooks: { maxAttempts: 8, retryBaseMs: 1000, retryMaxMs: 600_000, timeoutMs: 5000 },
      trustProxy: false,
      dashboardSessionTtlMs: 8 * 60 * 60 * 1000,
    });
  });

  it('reads every variable', () => {
    const config = loadConfig(
      {
        PORT: '8080',
        DATA_DIR: '/var/tmp/b',
        DATABASE_URL: 'postgres://u:p@db:5432/bildirim',
        ADMIN_API_KEY: 'a'.repeat(32),
        LOG_LEVEL: 'DEBUG',
        BODY_LIMIT: '1mb',
        EVENT_STORE: 'postgres',
        REPORTING_TIME_ZONE: 'UTC',
        CLOCK_SKEW: '2s',
        EARLIEST_OCCURRED_AT: '2010-01-01',
        COMMAND_RETRY_BUDGET: '1500ms',
        TICKET_CACHE_SIZE: '0',
        RATE_LIMIT: '600',
        AUTH_FAILURE_LIMIT: '5',
        REPORT_MAX_DAYS: '731',
        REPORT_STATEMENT_TIMEOUT: '2min',
        REPORT_POOL_SIZE: '2',
        REFERENCE_MODE: 'Strict',
        WATCHDOG: 'OFF',
        WATCHDOG_INTERVAL: '250ms',
        WATCHDOG_BACKFILL_QUIET: '2min',
        WEBHOOK_MAX_ATTEMPTS: '3',
        WEBHOOK_RETRY_BASE: '200ms',
        WEBHOOK_RETRY_MAX: '30s',
        WEBHOOK_TIMEOUT: '2s',
        TRUST_PROXY: 'loopback, 10.0.0.0/8',
        DASHBOARD_SESSION_TTL: '30min',
      },
      '/srv/app',
    );
    expect(config).toEqual({
      port: 8080,
      dataDir: '/var/tmp/b',
      databaseUrl: 'postgres://u:p@db:5432/bildirim',
      adminApiKey: 'a'.repeat(32),
      logLevel: 'debug',
      bodyLimitBytes: 1024 * 1024,
      eventStore: { kind: 'postgres' },
      reportingTimeZone: 'UTC',
      clockSkewMs: 2000,
      earliestOccurredAt: new Date('2010-01-01T00:00:00Z'),
      commandRetryBudgetMs: 1500,
      ticketCacheSize: 0,
      rateLimitPerSecond: 600,
      authFailuresPerMinute: 5,
      reports: { maxDays: 731, statementTimeoutMs: 120_000, poolSize: 2 },
      referenceMode: 'strict',
      watchdog: { enabled: false, intervalMs: 250, backfillQuietMs: 120_000 },
      webhooks: { maxAttempts: 3, retryBaseMs: 200, retryMaxMs: 30_000, timeoutMs: 2000 },
      trustProxy: ['loopback', '10.0.0.0/8'],
      dashboardSessionTtlMs: 30 * 60 * 1000,
    });
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '  ' }, '/srv/app')).toMatchObject({ port: 3000, databaseUrl: undefined });
  });

  it('names every bad variable at once', () => {
    const problems = problemsOf({
      PORT: '70000',
      DATABASE_URL: 'mysql://x',
      ADMIN_API_KEY: 'short',
      LOG_LEVEL: 'loud',
      BODY_LIMIT: 'lots',
      REPORTING_TIME_ZONE: 'Mars/Olympus',
      CLOCK_SKEW: '5 minutes',
      EARLIEST_OCCURRED_AT: '2010-01-01T00:00:00',
      COMMAND_RETRY_BUDGET: '2h',
      TICKET_CACHE_SIZE: '-1',
      RATE_LIMIT: 'many',
      AUTH_FAILURE_LIMIT: '1e3',
      REPORT_MAX_DAYS: '7',
      REPORT_STATEMENT_TIMEOUT: '0',
      REPORT_POOL_SIZE: '0',
      REFERENCE_MODE: 'lenient',
      WEBHOOK_MAX_ATTEMPTS: '0',
      WEBHOOK_RETRY_BASE: 'soon',
      WEBHOOK_TIMEOUT: '2min',
      TRUST_PROXY: 'everyone',
      DASHBOARD_SESSION_TTL: '0',
    });
    const names = [
      ...[
        'PORT',
        'DATABASE_URL',
        'ADMIN_API_KEY',
        'LOG_LEVEL',
        'BODY_LIMIT',
        'REPORTING_TIME_ZONE',
        'CLOCK_SKEW',
        'EARLIEST_OCCURRED_AT',
        'COMMAND_RETRY_BUDGET',
      ],
      ...['TICKET_CACHE_SIZE', 'RATE_LIMIT', 'AUTH_FAILURE_LIMIT', 'REPORT_MAX_DAYS', 'REPORT_STATEMENT_TIMEOUT', 'REPORT_POOL_SIZE'],
      'REFERENCE_MODE',
      ...['WEBHOOK_MAX_ATTEMPTS', 'WEBHOOK_RETRY_BASE', 'WEBHOOK_TIMEOUT'],
      ...['TRUST_PROXY', 'DASHBOARD_SESSION_TTL'],
    ];
    expect(problems).toHaveLength(names.length);
    for (const name of names) {
      expect(problems.some((problem) => problem.startsWith(name))).toBe(true);
    }
  });

  it('bounds the report limits: a month at least, a timeout of 1 ms to 24 h, 1 to 100 connections', () => {
    expect(loadConfig({ REPORT_MAX_DAYS: '31', REPORT_STATEMENT_TIMEOUT: '1', REPORT_POOL_SIZE: '100' }, '/srv/app').reports).toEqual({
      maxDays: 31,
      statementTimeoutMs: 1,
      poolSize: 100,
    });
    expect(problemsOf({ REPORT_MAX_DAYS: '30' })).toEqual([expect.stringContaining('at least 31')]);
    expect(problemsOf({ REPORT_MAX_DAYS: '1e3' })).toHaveLength(1);
    expect(problemsOf({ REPORT_STATEMENT_TIMEOUT: '25h' })).toHaveLength(1);
    expect(problemsOf({ REPORT_STATEMENT_TIMEOUT: '1441min' })).toHaveLength(1);
    expect(problemsOf({ REPORT_POOL_SIZE: '101' })).toHaveLength(1);
  });

  it('selects EventStoreDB with its connection string, single node or cluster', () => {
    for (const connectionString of ['esdb://localhost:2113?tls=false', 'esdb+discover://n1:2113,n2:2113,n3:2113?tls=false']) {
      expect(loadConfig({ EVENT_STORE: 'EventStoreDB', EVENTSTORE_CONNECTION_STRING: connectionString }).eventStore).toEqual({
        kind: 'eventstoredb',
        connectionString,
      });
    }
    expect(loadDatabaseConfig({ EVENT_STORE: 'eventstoredb', EVENTSTORE_CONNECTION_STRING: 'esdb://es:2113' }).eventStore).toEqual({
      kind: 'eventstoredb',
      connectionString: 'esdb://es:2113',
    });
  });

  it('says what EventStoreDB needs, and never shows a password', () => {
    expect(problemsOf({ EVENT_STORE: 'eventstoredb' })).toEqual([expect.stringContaining('needs EVENTSTORE_CONNECTION_STRING')]);
    const wrongScheme = problemsOf({ EVENT_STORE: 'eventstoredb', EVENTSTORE_CONNECTION_STRING: 'https://admin:changeit@es:2113' });
    expect(wrongScheme).toEqual([expect.stringContaining('must start with esdb:// or esdb+discover://')]);
    expect(wrongScheme[0]).toContain('admin:***@');
    expect(wrongScheme[0]).not.toContain('changeit');
    expect(problemsOf({ EVENT_STORE: 'kafka' })).toEqual([
      expect.stringContaining('EVENT_STORE must be postgres (the default) or eventstoredb'),
    ]);
  });

  it('puts the problems in the error message', () => {
    expect(() => loadConfig({ PORT: 'x' })).toThrow(/invalid configuration:\n {2}- PORT/);
  });
});

describe('loadDatabaseConfig', () => {
  it('reads only what the CLI needs, so a bad PORT does not stop it', () => {
    expect(loadDatabaseConfig({ PORT: 'x', DATA_DIR: 'd' }, '/srv')).toEqual({
      dataDir: '/srv/d',
      databaseUrl: undefined,
      eventStore: { kind: 'postgres' },
    });
  });
});

describe('parseDuration', () => {
  it.each([
    ['30s', 30_000],
    ['500ms', 500],
    ['2min', 120_000],
    ['1500', 1500],
    ['10 S', 10_000],
  ])('%s is %d ms', (raw, ms) => {
    expect(parseDuration(raw)).toBe(ms);
  });

  it('refuses what it cannot read', () => {
    expect(parseDuration('1h')).toBeUndefined();
    expect(parseDuration('-5s')).toBeUndefined();
    expect(parseDuration('1.5s')).toBeUndefined();
  });
});

describe('parseByteSize', () => {
  it.each([
    ['65536', 65536],
    ['256kb', 262144],
    ['2MB', 2097152],
    ['10 b', 10],
  ])('%s is %d bytes', (raw, bytes) => {
    expect(parseByteSize(raw)).toBe(bytes);
  });

  it('refuses what it cannot read', () => {
    expect(parseByteSize('1gb')).toBeUndefined();
    expect(parseByteSize('-1')).toBeUndefined();
  });
});
