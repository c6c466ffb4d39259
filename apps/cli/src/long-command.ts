import { isLogThreshold, JsonLogger } from '#platform';

/** What a long CLI command (rebuild, copy-events) needs around its work. */
export interface LongCommand {
  /** Structured lines on stderr, so stdout stays the command's result; LOG_LEVEL, default warn. */
  logger: JsonLogger;
  /** Aborted by Ctrl-C or SIGTERM: the command stops after the batch in flight. */
  signal: AbortSignal;
}

/** Runs `work` with a stderr logger and Ctrl-C/SIGTERM turned into an abort signal, removed afterwards. */
export async function runLongCommand<T>(work: (command: LongCommand) => Promise<T>): Promise<T> {
  const level = process.env.LOG_LEVEL?.toLowerCase() ?? 'warn';
  const logger = new JsonLogger(isLogThreshold(level) ? level : 'warn', (line) => process.stderr.write(line));
  const abort = new AbortController();
  const interrupt = (): void => {
    process.stderr.write('\nstopping after the batch in flight …\n');
    abort.abort();
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  try {
    return await work({ logger, signal: abort.signal });
  } finally {
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
  }
}
