import { chmodSync, mkdtempSync } from 'node:fs';
import path from 'node:path';
import type { EmbeddedServer } from '#read-model/postgres/embedded-server.js';

declare global {
  var __testPostgres: EmbeddedServer | undefined;
}

type EmbeddedModule = typeof import('#read-model/postgres/embedded-server.js');
// Jest loads global set-up outside its module system (no moduleNameMapper), so it uses the
// build that `npm test` makes first.
const BUILT = '../../dist/libs/read-model/src/postgres/embedded-server.js';

/** One throwaway PostgreSQL cluster for the whole run; each spec creates its own database on it. */
export default async function globalSetup(): Promise<void> {
  if (process.env.TEST_POSTGRES_URL) return;
  const { startEmbeddedPostgres } = (await import(BUILT)) as EmbeddedModule;
  // Not under /root (mode 700): the `postgres` OS user must reach the cluster folder.
  const dataDir = mkdtempSync(path.join('/tmp', 'bildirim-test-pg-'));
  chmodSync(dataDir, 0o755);
  const server = await startEmbeddedPostgres({
    dataDir,
    database: 'postgres',
    initdbFlags: ['--no-sync'],
    settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off', max_connections: '400' },
    log: () => undefined,
  });
  globalThis.__testPostgres = server;
  process.env.TEST_POSTGRES_URL = server.info.url;
  process.env.TEST_POSTGRES_DATA_DIR = dataDir;
}
