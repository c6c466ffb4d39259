import { ConfigError, loadConfig } from '#platform';
import { createRegistry } from '#projections/registry.js';
import { DataDirInUseError } from '#read-model/postgres/data-dir-lock.js';
import { runProjector } from './run-projector.js';

async function main(): Promise<void> {
  // The API's configuration, so the projector runs the same registry (REPORTING_TIME_ZONE).
  const { reportingTimeZone, referenceMode } = loadConfig(process.env);
  await runProjector(createRegistry({ reportingTimeZone }), { referenceMode });
}

main().catch((error: unknown) => {
  const reason =
    error instanceof ConfigError || error instanceof DataDirInUseError
      ? error.message
      : `the projector could not start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
  process.stderr.write(`bildirim: ${reason}\n`);
  process.exit(1);
});
