import pg from 'pg';
import { readConnectionInfo, startEmbeddedPostgres, type EmbeddedServer } from './embedded-server.js';

export interface DatabaseLocation {
  /** `DATABASE_URL`; when absent the embedded server under `dataDir` is used. */
  databaseUrl?: string;
  dataDir: string;
  log: (message: string, fields?: Record<string, unknown>) => void;
}

/** Where a process's PostgreSQL is, and the embedded server it started, if it started one. */
export interface OpenDatabase {
  url: string;
  /** `external` (DATABASE_URL), `embedded` (started by this process) or `attached` (the embedded server another process runs). */
  mode: 'external' | 'embedded' | 'attached';
  /** Stops the embedded server this process started; nothing otherwise. Close every pool first. */
  close(): Promise<void>;
}

function fromServer(server: EmbeddedServer): OpenDatabase {
  return { url: server.info.url, mode: 'embedded', close: () => server.stop() };
}

/** The API and the projector own their database: DATABASE_URL, or the embedded server they start (DESIGN.md §10, §11). */
export async function openDatabase(location: DatabaseLocation): Promise<OpenDatabase> {
  if (location.databaseUrl) return { url: location.databaseUrl, mode: 'external', close: async () => undefined };
  return fromServer(await startEmbeddedPostgres({ dataDir: location.dataDir, log: location.log }));
}

async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
  } catch {
    // Nobody listening is an answer here, not a failure: the caller starts the server itself.
    return false;
  }
  try {
    await client.query('SELECT 1');
    return true;
  } finally {
    await client.end();
  }
}

/**
 * The CLI joins the server a running API wrote into `DATA_DIR/postgres.json`; with nothing
 * running it starts the embedded server for the length of the command, so `migrate` and
 * `keys create` work before the first `npm start` too.
 */
export async function attachDatabase(location: DatabaseLocation): Promise<OpenDatabase> {
  if (location.databaseUrl) return { url: location.databaseUrl, mode: 'external', close: async () => undefined };
  const info = readConnectionInfo(location.dataDir);
  if (info && (await answers(info.url))) return { url: info.url, mode: 'attached', close: async () => undefined };
  return fromServer(await startEmbeddedPostgres({ dataDir: location.dataDir, log: location.log }));
}
