import { bootstrap } from './bootstrap.js';
import { ConfigError } from '#platform';
import { DataDirInUseError } from '#read-model/postgres/data-dir-lock.js';

bootstrap().catch((error: unknown) => {
  // An operator's mistake is told in its own words; anything else with its stack.
  const reason =
    error instanceof ConfigError || error instanceof DataDirInUseError
      ? error.message
      : `the API could not start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
  process.stderr.write(`bildirim: ${reason}\n`);
  process.exit(1);
});
