import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { readConnectionInfo, startEmbeddedPostgres, type EmbeddedServer } from '#read-model/postgres/embedded-server.js';

/**
 * Where a bench runs: with DATABASE_URL, a database of its own on that server; otherwise an
 * embedded PostgreSQL with default settings in a temporary folder. Either is removed after the
 * run unless it is kept (`keep`, or `keepIn` a place the caller names) for a later run to reuse
 * (`reuse`: the folder, or the database name on the DATABASE_URL server) — seeding millions of
 * events takes a while. Any bench can reuse what another kept: a reused folder's database is the
 * one its postgres.json names.
 */
export interface BenchDatabase {
  url: string;
  description: string;
  /** What a later run passes as `reuse` to get this database again; set when it outlives the run. */
  keptAs: string | undefined;
  close(): Promise<void>;
}

export interface BenchDatabaseOptions {
  /** Stem of the database's name, e.g. event_store_bench. */
  name: string;
  keep?: boolean;
  /** Keep it here: a new (or empty) folder for the embedded cluster, or a new database's name on DATABASE_URL. */
  keepIn?: string;
  reuse?: string;
  log: (message: string, fields?: Record<string, unknown>) => void;
}

export async function openBenchDatabase(options: BenchDatabaseOptions): Promise<BenchDatabase> {
  const databaseUrl = process.env.DATABASE_URL;
  return databaseUrl ? onServer(databaseUrl, options) : embedded(options);
}

async function onServer(databaseUrl: string, options: BenchDatabaseOptions): Promise<BenchDatabase> {
  const name = options.reuse ?? options.keepIn ?? `${options.name}_${randomBytes(4).toString('hex')}`;
  if (options.reuse) {
    const found = await withClient(databaseUrl, (client) => client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]));
    if (found.rowCount === 0) throw new Error(`--reuse ${name}: the DATABASE_URL server has no database of that name`);
  } else {
    await withClient(databaseUrl, (client) => client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`));
  }
  const url = new URL(databaseUrl);
  url.pathname = `/${name}`;
  const kept = isKept(options);
  return {
    url: url.toString(),
    description: `DATABASE_URL server, database ${name} (${options.reuse ? 'reused' : 'created for this run'}${kept ? ', kept' : ''})`,
    keptAs: kept ? name : undefined,
    close: async () => {
      if (kept) return;
      await withClient(databaseUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`));
    },
  };
}

async function embedded(options: BenchDatabaseOptions): Promise<BenchDatabase> {
  if (options.reuse && !existsSync(path.join(options.reuse, 'postgres.json'))) {
    throw new Error(`--reuse ${options.reuse}: not a folder a bench kept (no postgres.json in it)`);
  }
  if (options.keepIn && existsSync(options.keepIn) && readdirSync(options.keepIn).length > 0) {
    throw new Error(`--keep-in ${options.keepIn}: the folder is not empty; name a new one, or --reuse it if a bench kept it`);
  }
  // Not under /root (mode 700): the `postgres` OS user must reach the cluster folder.
  const dataDir = options.reuse
    ? path.resolve(options.reuse)
    : options.keepIn
      ? path.resolve(options.keepIn)
      : mkdtempSync(path.join('/tmp', `bildirim-${options.name.replace(/_/g, '-')}-pg-`));
  if (!options.reuse) {
    mkdirSync(dataDir, { recursive: true });
    chmodSync(dataDir, 0o755);
  }
  const kept = isKept(options);
  // Another bench's kept folder holds that bench's database; this one runs on it.
  const database = (options.reuse ? readConnectionInfo(dataDir)?.database : undefined) ?? options.name;
  let server: EmbeddedServer;
  try {
    server = await startEmbeddedPostgres({ dataDir, database, log: options.log });
  } catch (error) {
    if (!kept) rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    url: server.info.url,
    description: `embedded PostgreSQL, default settings, cluster in ${dataDir}${options.reuse ? ' (reused)' : ''}${kept ? ' (kept)' : ''}`,
    keptAs: kept ? dataDir : undefined,
    close: async () => {
      await server.stop();
      if (!kept) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function isKept(options: BenchDatabaseOptions): boolean {
  return options.keep === true || options.keepIn !== undefined || options.reuse !== undefined;
}

/** A new place for benches to share one kept database: a folder name under /tmp, or a database name on DATABASE_URL. */
export function sharedBenchDatabaseName(): string {
  const suffix = randomBytes(4).toString('hex');
  return process.env.DATABASE_URL ? `bench_shared_${suffix}` : path.join('/tmp', `bildirim-bench-shared-pg-${suffix}`);
}

/** Removes a database a bench kept: the embedded cluster's folder (stopped), or the database on DATABASE_URL. */
export async function removeKeptDatabase(keptAs: string): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL;
  if (databaseUrl) {
    await withClient(databaseUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(keptAs)} WITH (FORCE)`));
    return;
  }
  rmSync(keptAs, { recursive: true, force: true });
}

export async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** The server's version and the settings that decide write and read speed. */
export async function describeServer(pool: pg.Pool): Promise<{ version: string; settings: string }> {
  const { rows } = await pool.query<{ version: string; settings: string }>(`
    SELECT version() AS version,
           (SELECT string_agg(name || '=' || setting || coalesce(unit, ''), ', ' ORDER BY name)
              FROM pg_settings
             WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes', 'wal_sync_method',
                            'shared_buffers', 'max_connections', 'work_mem')) AS settings`);
  return rows[0];
}
