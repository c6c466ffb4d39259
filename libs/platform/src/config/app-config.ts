import path from 'node:path';
import type { ReferenceModeSetting } from '#ticketing';

export const APP_CONFIG = Symbol('APP_CONFIG');

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'verbose'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];
/** `silent` turns logging off (tests that assert on output use a sink instead). */
export type LogThreshold = LogLevelName | 'silent';

const LOG_THRESHOLDS: readonly string[] = [...LOG_LEVELS, 'silent'];

export function isLogThreshold(level: string): level is LogThreshold {
  return LOG_THRESHOLDS.includes(level);
}

/**
 * Where the ticket streams live (EVENT_STORE): in PostgreSQL beside the read models (the
 * zero-setup default), or in EventStoreDB (EVENTSTORE_CONNECTION_STRING), PostgreSQL then keeping
 * the read models, checkpoints, command idempotency and API keys.
 */
export type EventStoreConfig = { kind: 'postgres' } | { kind: 'eventstoredb'; connectionString: string };

export interface DatabaseConfig {
  /** Absolute folder of the embedded server's files and `postgres.json`. */
  dataDir: string;
  /** Unset: the embedded PostgreSQL under `dataDir`. */
  databaseUrl: string | undefined;
  eventStore: EventStoreConfig;
}

/** What bounds every report request (README "Configuration"; docs/decisions.md "Reports that cannot take the service down"). */
export interface ReportLimits {
  /** A report's period [from, to) may touch at most this many local days of its zone. */
  maxDays: number;
  /** PostgreSQL statement_timeout of the report connections, and the longest wait for one of them. */
  statementTimeoutMs: number;
  /** Report connections: at most this many report statements run at once per API process. */
  poolSize: number;
}

/** The defaults of ReportLimits: a year of days (leap years included), 30 s, 4 connections. */
export const DEFAULT_REPORT_LIMITS: ReportLimits = { maxDays: 366, statementTimeoutMs: 30_000, poolSize: 4 };

/** Below this REPORT_MAX_DAYS would refuse the default period (the local month of asOf). */
export const MIN_REPORT_MAX_DAYS = 31;
const MAX_REPORT_POOL_SIZE = 100;
// PostgreSQL's statement_timeout is an int of milliseconds; a day is far beyond any report.
const MAX_REPORT_STATEMENT_TIMEOUT_MS = 24 * 60 * 60 * 1000;

export interface AppConfig extends DatabaseConfig {
  port: number;
  adminApiKey: string | undefined;
  logLevel: LogThreshold;
  /** Largest request body, in bytes; a larger one is answered 413. */
  bodyLimitBytes: number;
  /** IANA time zone in which reports cut days and weeks. */
  reportingTimeZone: string;
  /** How far ahead of the server's clock a stated occurredAt may be (CLOCK_SKEW). */
  clockSkewMs: number;
  /** No occurredAt before this instant is accepted (EARLIEST_OCCURRED_AT). */
  earliestOccurredAt: Date;
  /** How long a command without If-Match retries lost races before 503 TICKET_BUSY (COMMAND_RETRY_BUDGET). */
  commandRetryBudgetMs: number;
  /** Tickets whose folded state the API keeps in memory (TICKET_CACHE_SIZE; 0: none). */
  ticketCacheSize: number;
  /** Requests per API key per second, with bursts of as many (RATE_LIMIT; 0: unlimited). */
  rateLimitPerSecond: number;
  /** Failed authentications per client address per minute before it is refused (AUTH_FAILURE_LIMIT). */
  authFailuresPerMinute: number;
  reports: ReportLimits;
  /**
   * REFERENCE_MODE: open (any unit, user, category… name is accepted), strict (only defined
   * ones), auto (strict once a unit is defined). The default: auto.
   */
  referenceMode: ReferenceModeSetting;
  watchdog: WatchdogConfig;
  webhooks: WebhookConfig;
  /**
   * TRUST_PROXY: which proxies' X-Forwarded-Proto/-For the API believes (Express `trust proxy`):
   * false (off, the default) or loopback, uniquelocal, linklocal and addresses/CIDRs, comma-separated.
   * Decides whether the dashboard's session cookie is marked Secure behind a TLS-terminating proxy.
   */
  trustProxy: false | string[];
  /** DASHBOARD_SESSION_TTL: how long a dashboard session lasts from sign-in (default 8 h, at most 24 h). */
  dashboardSessionTtlMs: number;
}

/** The SLA watchdog (issue 11): WATCHDOG=on|off, WATCHDOG_INTERVAL between scans. */
export interface WatchdogConfig {
  enabled: boolean;
  intervalMs: number;
  /** WATCHDOG_BACKFILL_QUIET: how long a backdated (imported) ticket must be quiet before the watchdog judges it */
  backfillQuietMs: number;
}

/** What the background work on the event log needs, in the API (PROJECTIONS=inline) and the projector alike. */
export interface AutomationConfig {
  referenceMode: ReferenceModeSetting;
  watchdog: WatchdogConfig;
  webhooks: WebhookConfig;
}

/** Webhook delivery (issue 11): WEBHOOK_MAX_ATTEMPTS, WEBHOOK_RETRY_BASE, WEBHOOK_RETRY_MAX, WEBHOOK_TIMEOUT. */
export interface WebhookConfig {
  /** requests per notification and webhook before the delivery is dead */
  maxAttempts: number;
  /** the wait after the first failure; it doubles after each */
  retryBaseMs: number;
  /** the longest wait between two attempts */
  retryMaxMs: number;
  /** a request without an answer by then failed */
  timeoutMs: number;
}

export const REFERENCE_MODE_SETTINGS: readonly ReferenceModeSetting[] = ['auto', 'open', 'strict'];

export type Env = Readonly<Record<string, string | undefined>>;

/** Every problem with the environment at once, so a start-up fails once, not once per variable. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const MIN_ADMIN_KEY_LENGTH = 24;
const SIZE_UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 * 1024 };

function value(env: Env, name: string): string | undefined {
  const raw = env[name]?.trim();
  return raw === undefined || raw === '' ? undefined : raw;
}

function parsePort(raw: string, problems: string[]): number {
  const port = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(port) || port > 65535) problems.push(`PORT must be a TCP port number 0–65535 (0: any free port), got "${raw}"`);
  return port;
}

export function parseByteSize(raw: string): number | undefined {
  const match = /^(\d+)\s*(b|kb|mb)?$/i.exec(raw);
  if (!match) return undefined;
  return Number(match[1]) * SIZE_UNITS[(match[2] ?? 'b').toLowerCase()];
}

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, min: 60_000 };

/** `30s`, `500ms`, `2min`, or a bare number of milliseconds (PostgreSQL's own reading). */
export function parseDuration(raw: string): number | undefined {
  const match = /^(\d+)\s*(ms|s|min)?$/i.exec(raw);
  if (!match) return undefined;
  return Number(match[1]) * DURATION_UNITS[(match[2] ?? 'ms').toLowerCase()];
}

function parseWhole(raw: string, min: number, max: number): number | undefined {
  const parsed = /^\d{1,9}$/.test(raw) ? Number(raw) : Number.NaN;
  return parsed >= min && parsed <= max ? parsed : undefined;
}

function readDuration(env: Env, name: string, fallback: string, problems: string[], max: number): number {
  const raw = value(env, name) ?? fallback;
  const ms = parseDuration(raw);
  if (ms === undefined || ms > max) {
    problems.push(`${name} must be a duration like ${fallback}, 1500ms or 2min (at most ${max / 1000} s), got "${raw}"`);
    return 0;
  }
  return ms;
}

function readCount(env: Env, name: string, fallback: number, problems: string[], hint: string): number {
  const raw = value(env, name) ?? String(fallback);
  const count = parseWhole(raw, 0, 999_999_999);
  if (count === undefined) problems.push(`${name} must be a whole number (${hint}), got "${raw}"`);
  return count ?? fallback;
}

function readReportLimits(env: Env, problems: string[]): ReportLimits {
  const rawDays = value(env, 'REPORT_MAX_DAYS') ?? String(DEFAULT_REPORT_LIMITS.maxDays);
  const maxDays = parseWhole(rawDays, MIN_REPORT_MAX_DAYS, 999_999_999);
  if (maxDays === undefined)
    problems.push(
      `REPORT_MAX_DAYS must be a whole number of days, at least ${MIN_REPORT_MAX_DAYS} (the default period is a month), got "${rawDays}"`,
    );

  const rawTimeout = value(env, 'REPORT_STATEMENT_TIMEOUT') ?? `${DEFAULT_REPORT_LIMITS.statementTimeoutMs}ms`;
  const timeout = parseDuration(rawTimeout);
  const statementTimeoutMs = timeout !== undefined && timeout >= 1 && timeout <= MAX_REPORT_STATEMENT_TIMEOUT_MS ? timeout : undefined;
  if (statementTimeoutMs === undefined)
    problems.push(
      `REPORT_STATEMENT_TIMEOUT must be a duration from 1ms to 24h such as 30s, 500ms, 2min or 30000 (milliseconds), got "${rawTimeout}"`,
    );

  const rawPool = value(env, 'REPORT_POOL_SIZE') ?? String(DEFAULT_REPORT_LIMITS.poolSize);
  const poolSize = parseWhole(rawPool, 1, MAX_REPORT_POOL_SIZE);
  if (poolSize === undefined) problems.push(`REPORT_POOL_SIZE must be a whole number from 1 to ${MAX_REPORT_POOL_SIZE}, got "${rawPool}"`);

  return {
    maxDays: maxDays ?? DEFAULT_REPORT_LIMITS.maxDays,
    statementTimeoutMs: statementTimeoutMs ?? DEFAULT_REPORT_LIMITS.statementTimeoutMs,
    poolSize: poolSize ?? DEFAULT_REPORT_LIMITS.poolSize,
  };
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch (error) {
    if (error instanceof RangeError) return false;
    throw error;
  }
}

function parseDatabaseUrl(raw: string, problems: string[]): string {
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
  }
  if (!url || !['postgres:', 'postgresql:'].includes(url.protocol)) {
    problems.push('DATABASE_URL must be a postgres:// or postgresql:// URL (unset it to use the embedded PostgreSQL under DATA_DIR)');
  }
  return raw;
}

/** Where the database is: shared by the API, the projector and the CLI. */
export function loadDatabaseConfig(env: Env, cwd = process.cwd()): DatabaseConfig {
  const problems: string[] = [];
  const config = readDatabaseConfig(env, cwd, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

function readDatabaseConfig(env: Env, cwd: string, problems: string[]): DatabaseConfig {
  const rawUrl = value(env, 'DATABASE_URL');
  return {
    dataDir: path.resolve(cwd, value(env, 'DATA_DIR') ?? './.data'),
    databaseUrl: rawUrl === undefined ? undefined : parseDatabaseUrl(rawUrl, problems),
    eventStore: readEventStoreConfig(env, problems),
  };
}

const EVENTSTORE_SCHEMES = ['esdb:', 'esdb+discover:'];

function readEventStoreConfig(env: Env, problems: string[]): EventStoreConfig {
  const kind = (value(env, 'EVENT_STORE') ?? 'postgres').toLowerCase();
  const connectionString = value(env, 'EVENTSTORE_CONNECTION_STRING');
  if (kind === 'postgres') return { kind };
  if (kind !== 'eventstoredb') {
    problems.push(`EVENT_STORE must be postgres (the default) or eventstoredb, got "${kind}"`);
    return { kind: 'postgres' };
  }
  if (connectionString === undefined) {
    problems.push(
      'EVENT_STORE=eventstoredb needs EVENTSTORE_CONNECTION_STRING, e.g. esdb://localhost:2113?tls=false ' +
        '(a single insecure node) or esdb+discover://node1:2113,node2:2113,node3:2113 (a cluster)',
    );
  } else if (!EVENTSTORE_SCHEMES.some((scheme) => connectionString.toLowerCase().startsWith(`${scheme}//`))) {
    problems.push(`EVENTSTORE_CONNECTION_STRING must start with esdb:// or esdb+discover://, got "${redactCredentials(connectionString)}"`);
  }
  return { kind, connectionString: connectionString ?? '' };
}

/** A connection string as it may be shown: without the password. */
export function redactCredentials(connectionString: string): string {
  return connectionString.replace(/\/\/([^:/@]+):[^@/]*@/, '//$1:***@');
}

/** Reads and checks the API's environment; throws a ConfigError naming every bad variable. */
export function loadConfig(env: Env, cwd = process.cwd()): AppConfig {
  const problems: string[] = [];
  const database = readDatabaseConfig(env, cwd, problems);

  const port = parsePort(value(env, 'PORT') ?? '3000', problems);

  const adminApiKey = value(env, 'ADMIN_API_KEY');
  if (adminApiKey !== undefined && (adminApiKey.length < MIN_ADMIN_KEY_LENGTH || /\s/.test(adminApiKey))) {
    problems.push(
      `ADMIN_API_KEY must be at least ${MIN_ADMIN_KEY_LENGTH} characters without spaces (e.g. the output of "openssl rand -hex 24")`,
    );
  }

  const rawLevel = (value(env, 'LOG_LEVEL') ?? 'info').toLowerCase();
  const logLevel = isLogThreshold(rawLevel) ? rawLevel : 'info';
  if (!isLogThreshold(rawLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_THRESHOLDS.join(', ')}, got "${rawLevel}"`);

  const rawLimit = value(env, 'BODY_LIMIT') ?? '256kb';
  const bodyLimitBytes = parseByteSize(rawLimit) ?? 0;
  if (bodyLimitBytes <= 0) problems.push(`BODY_LIMIT must be a size like 256kb, 1mb or 65536 (bytes), got "${rawLimit}"`);

  const reportingTimeZone = value(env, 'REPORTING_TIME_ZONE') ?? 'Europe/Istanbul';
  if (!isTimeZone(reportingTimeZone))
    problems.push(`REPORTING_TIME_ZONE must be an IANA time zone such as Europe/Istanbul, got "${reportingTimeZone}"`);

  const reports = readReportLimits(env, problems);
  const clockSkewMs = readDuration(env, 'CLOCK_SKEW', '5s', problems, 60_000);
  const rawEarliest = value(env, 'EARLIEST_OCCURRED_AT') ?? '2000-01-01T00:00:00Z';
  const earliestOccurredAt = new Date(rawEarliest);
  if (!/^\d{4}-\d{2}-\d{2}(T.*(Z|[+-]\d{2}:?\d{2}))?$/.test(rawEarliest) || Number.isNaN(earliestOccurredAt.getTime())) {
    problems.push(`EARLIEST_OCCURRED_AT must be a date (2000-01-01) or an instant with an offset, got "${rawEarliest}"`);
  }
  const commandRetryBudgetMs = readDuration(env, 'COMMAND_RETRY_BUDGET', '5s', problems, 60_000);
  const ticketCacheSize = readCount(env, 'TICKET_CACHE_SIZE', 10_000, problems, 'tickets kept in memory; 0 keeps none');
  const rateLimitPerSecond = readCount(env, 'RATE_LIMIT', 1000, problems, 'requests per API key per second; 0 turns the limit off');
  const authFailuresPerMinute = readCount(
    env,
    'AUTH_FAILURE_LIMIT',
    30,
    problems,
    'failed authentications per client address per minute; 0 turns the limit off',
  );

  const { referenceMode, watchdog, webhooks } = readAutomationConfig(env, problems);
  const trustProxy = readTrustProxy(env, problems);
  const problemsBefore = problems.length;
  const dashboardSessionTtlMs = readDuration(env, 'DASHBOARD_SESSION_TTL', '480min', problems, 24 * 60 * 60 * 1000);
  if (dashboardSessionTtlMs === 0 && problems.length === problemsBefore) problems.push('DASHBOARD_SESSION_TTL must be longer than 0');

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    ...database,
    port,
    adminApiKey,
    referenceMode,
    watchdog,
    webhooks,
    logLevel,
    bodyLimitBytes,
    reportingTimeZone,
    clockSkewMs,
    earliestOccurredAt,
    commandRetryBudgetMs,
    ticketCacheSize,
    rateLimitPerSecond,
    authFailuresPerMinute,
    reports,
    trustProxy,
    dashboardSessionTtlMs,
  };
}

const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];
// An IPv4 or IPv6 address, optionally with a prefix length: Express (proxy-addr) checks the rest.
const PROXY_ADDRESS = /^[0-9a-f.:]+(\/\d{1,3})?$/i;

function readTrustProxy(env: Env, problems: string[]): false | string[] {
  const raw = value(env, 'TRUST_PROXY') ?? 'off';
  if (raw.toLowerCase() === 'off') return false;
  const entries = raw.split(',').map((entry) => entry.trim());
  const bad = entries.filter((entry) => !PROXY_NAMES.includes(entry) && !PROXY_ADDRESS.test(entry));
  if (bad.length > 0 || entries.length === 0) {
    problems.push(`TRUST_PROXY must be off or a comma-separated list of ${PROXY_NAMES.join(', ')} and addresses/CIDRs, got "${raw}"`);
    return false;
  }
  return entries;
}

function readAutomationConfig(env: Env, problems: string[]): AutomationConfig {
  const rawReferenceMode = (value(env, 'REFERENCE_MODE') ?? 'auto').toLowerCase();
  const referenceMode = REFERENCE_MODE_SETTINGS.find((setting) => setting === rawReferenceMode) ?? 'auto';
  if (!REFERENCE_MODE_SETTINGS.includes(rawReferenceMode as ReferenceModeSetting)) {
    problems.push(
      `REFERENCE_MODE must be auto (strict once a unit is defined), open (any name is accepted) or strict (only defined names), ` +
        `got "${rawReferenceMode}"`,
    );
  }

  const rawWatchdog = (value(env, 'WATCHDOG') ?? 'on').toLowerCase();
  if (rawWatchdog !== 'on' && rawWatchdog !== 'off') problems.push(`WATCHDOG must be on or off, got "${rawWatchdog}"`);
  const rawInterval = value(env, 'WATCHDOG_INTERVAL') ?? '1s';
  const intervalMs = parseDuration(rawInterval);
  if (intervalMs === undefined || intervalMs < 1 || intervalMs > 60_000) {
    problems.push(`WATCHDOG_INTERVAL must be a duration from 1ms to 60s such as 1s or 500ms, got "${rawInterval}"`);
  }
  const backfillQuietMs = readDuration(env, 'WATCHDOG_BACKFILL_QUIET', '10min', problems, 24 * 60 * 60 * 1000);
  return {
    referenceMode,
    watchdog: { enabled: rawWatchdog !== 'off', intervalMs: intervalMs ?? 1000, backfillQuietMs },
    webhooks: readWebhookConfig(env, problems),
  };
}

/** The deliverer's retry settings from the configuration. */
export function webhookRetry(config: WebhookConfig): { baseMs: number; maxMs: number; maxAttempts: number } {
  return { baseMs: config.retryBaseMs, maxMs: config.retryMaxMs, maxAttempts: config.maxAttempts };
}

function readWebhookConfig(env: Env, problems: string[]): WebhookConfig {
  const rawAttempts = value(env, 'WEBHOOK_MAX_ATTEMPTS') ?? '8';
  const maxAttempts = parseWhole(rawAttempts, 1, 100);
  if (maxAttempts === undefined) problems.push(`WEBHOOK_MAX_ATTEMPTS must be a whole number from 1 to 100, got "${rawAttempts}"`);
  const before = problems.length;
  const retryBaseMs = readDuration(env, 'WEBHOOK_RETRY_BASE', '1s', problems, 3_600_000);
  const retryMaxMs = readDuration(env, 'WEBHOOK_RETRY_MAX', '10min', problems, 86_400_000);
  const timeoutMs = readDuration(env, 'WEBHOOK_TIMEOUT', '5s', problems, 60_000);
  // Only once each reads as a duration: one problem per variable.
  if (problems.length === before) {
    if (retryBaseMs < 1 || timeoutMs < 1) problems.push('WEBHOOK_RETRY_BASE and WEBHOOK_TIMEOUT must be at least 1ms');
    else if (retryMaxMs < retryBaseMs) problems.push('WEBHOOK_RETRY_MAX must not be below WEBHOOK_RETRY_BASE');
  }
  return { maxAttempts: maxAttempts ?? 8, retryBaseMs, retryMaxMs, timeoutMs };
}

/** REFERENCE_MODE, WATCHDOG, WATCHDOG_INTERVAL and the WEBHOOK_ settings alone (the projector); a ConfigError names every bad one. */
export function loadAutomationConfig(env: Env): AutomationConfig {
  const problems: string[] = [];
  const config = readAutomationConfig(env, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
