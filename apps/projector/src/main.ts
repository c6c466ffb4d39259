import { ConfigError } from '../../api/src/config/app-config.js';
import { PROJECTIONS } from '../../../projections/registry.js';
import { runProjector } from './run-projector.js';

runProjector(PROJECTIONS).catch((error: unknown) => {
  const reason = error instanceof ConfigError ? error.message : `the projector could not start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
  process.stderr.write(`bildirim: ${reason}\n`);
  process.exit(1);
});
