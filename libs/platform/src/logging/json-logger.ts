import type { LoggerService } from '@nestjs/common';
import type { LogLevelName, LogThreshold } from '../config/app-config.js';
import { currentRequestContext } from '../context/request-context.js';

const SEVERITY: Record<LogLevelName, number> = { verbose: 0, debug: 1, info: 2, warn: 3, error: 4, fatal: 5 };

export type LogFields = Record<string, unknown>;
export type LogSink = (line: string) => void;

const stdoutSink: LogSink = (line) => {
  process.stdout.write(line);
};

function isFields(value: unknown): value is LogFields {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Error);
}

function looksLikeStack(value: unknown): value is string {
  return typeof value === 'string' && /\n\s+at /.test(value);
}

/**
 * Structured logs: one JSON object per line with time, level, msg and the correlation id of
 * the request being served (from its AsyncLocalStorage context), plus any fields given.
 * Also Nest's LoggerService, so the framework's own lines come out the same way.
 */
export class JsonLogger implements LoggerService {
  private threshold: number;

  constructor(
    level: LogThreshold = 'info',
    private readonly sink: LogSink = stdoutSink,
  ) {
    this.threshold = level === 'silent' ? Number.POSITIVE_INFINITY : SEVERITY[level];
  }

  enabled(level: LogLevelName): boolean {
    return SEVERITY[level] >= this.threshold;
  }

  /** The structured entry point: a message and named fields. */
  write(level: LogLevelName, msg: string, fields: LogFields = {}): void {
    if (!this.enabled(level)) return;
    const correlationId = currentRequestContext()?.correlationId;
    const entry = { time: new Date().toISOString(), level, msg, ...(correlationId ? { correlationId } : {}), ...fields };
    this.sink(`${JSON.stringify(entry, jsonSafe)}\n`);
  }

  info(msg: string, fields?: LogFields): void {
    this.write('info', msg, fields);
  }

  log(message: unknown, ...params: unknown[]): void {
    this.fromNest('info', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.fromNest('error', message, params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.fromNest('warn', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.fromNest('debug', message, params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.fromNest('verbose', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.fromNest('fatal', message, params);
  }

  /** Nest calls `log(message, context)` and `error(message, stack, context)`; anything else is a field bag. */
  private fromNest(level: LogLevelName, message: unknown, params: unknown[]): void {
    if (!this.enabled(level)) return;
    const fields: LogFields = {};
    const rest = [...params];
    if (rest.length > 0 && typeof rest[rest.length - 1] === 'string' && !looksLikeStack(rest[rest.length - 1])) fields.context = rest.pop();
    for (const param of rest) {
      if (looksLikeStack(param)) fields.stack = param;
      else if (param instanceof Error) Object.assign(fields, errorFields(param));
      else if (isFields(param)) Object.assign(fields, param);
      else if (param !== undefined) fields.detail = param;
    }
    if (message instanceof Error) {
      Object.assign(fields, errorFields(message));
      this.write(level, message.message, fields);
    } else if (isFields(message)) {
      const { msg, message: text, ...others } = message;
      this.write(level, String(msg ?? text ?? ''), { ...others, ...fields });
    } else {
      this.write(level, String(message), fields);
    }
  }
}

export function errorFields(error: Error): LogFields {
  return { error: error.name, errorMessage: error.message, stack: error.stack };
}

/** bigint positions and the like must not break a log line. */
function jsonSafe(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}
