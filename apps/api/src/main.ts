import { bootstrap } from './bootstrap.js';
import { ConfigError } from './config/app-config.js';

bootstrap().catch((error: unknown) => {
  const reason = error instanceof ConfigError ? error.message : `the API could not start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
  process.stderr.write(`bildirim: ${reason}\n`);
  process.exit(1);
});
