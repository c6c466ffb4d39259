import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { freePort } from '#read-model/postgres/embedded-server.js';
import { describeRefusal, HttpClient } from './http-client.js';

/**
 * The API as production runs it (`node dist/apps/api/src/main.js`), in a process of its own so
 * that the bench's load generator and the API do not share one event loop. It runs on the
 * bench's database (DATABASE_URL) and logs only warnings, prefixed, to stderr.
 */
export interface ApiProcess {
  url: string;
  pid: number;
  /** An API key with these roles, made through POST /admin/api-keys. */
  createKey(name: string, roles: string[]): Promise<string>;
  stop(): Promise<void>;
}

export interface ApiProcessOptions {
  databaseUrl: string;
  /** `inline`: the API runs the projections (npm start's default); `off`: it only serves. */
  projections: 'inline' | 'off';
  log: (message: string, fields?: Record<string, unknown>) => void;
}

const READY_TIMEOUT_MS = 180_000;
const STOP_TIMEOUT_MS = 30_000;
const MAX_FORWARDED_LINE = 400;
const API_MAIN = fileURLToPath(new URL('../../../../api/src/main.js', import.meta.url));

export async function startApiProcess(options: ApiProcessOptions): Promise<ApiProcess> {
  const port = await freePort();
  const adminKey = `bench-admin-${randomBytes(24).toString('hex')}`;
  const child = spawn(process.execPath, [API_MAIN], {
    env: {
      ...process.env,
      DATABASE_URL: options.databaseUrl,
      PORT: String(port),
      ADMIN_API_KEY: adminKey,
      PROJECTIONS: options.projections,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start the API (${API_MAIN})`);
  const recent: string[] = [];
  const forward = (chunk: Buffer): void => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.trim() === '') continue;
      recent.push(line);
      recent.splice(0, Math.max(0, recent.length - 20));
      // Stack traces in JSON log lines run to kilobytes; the start says what happened.
      process.stderr.write(`api │ ${line.length > MAX_FORWARDED_LINE ? `${line.slice(0, MAX_FORWARDED_LINE)} …` : line}\n`);
    }
  };
  child.stdout?.on('data', forward);
  child.stderr?.on('data', forward);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const client = new HttpClient(url, 8);
  try {
    await waitUntilHealthy(client, exited, recent);
  } catch (error) {
    await stopChild(child, exited);
    client.close();
    throw error;
  }
  options.log('the API is up', { pid, url, projections: options.projections });
  return {
    url,
    pid,
    createKey: async (name, roles) => {
      const answer = await client.request('POST', '/admin/api-keys', {
        headers: { authorization: `Bearer ${adminKey}` },
        body: { name, roles },
      });
      const key = typeof answer.body === 'object' && answer.body !== null && 'key' in answer.body ? answer.body.key : undefined;
      if (answer.status !== 201 || typeof key !== 'string')
        throw new Error(`creating the API key ${name} failed: ${describeRefusal(answer)}`);
      return key;
    },
    stop: async () => {
      client.close();
      await stopChild(child, exited);
    },
  };
}

async function waitUntilHealthy(client: HttpClient, exited: Promise<number | null>, recent: string[]): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let ended: number | null | undefined;
  void exited.then((code) => (ended = code));
  while (Date.now() < deadline) {
    if (ended !== undefined) throw new Error(`the API exited (code ${ended}) before it was healthy:\n${recent.join('\n')}`);
    try {
      if ((await client.request('GET', '/health', { timeoutMs: 5000 })).status === 200) return;
    } catch (error) {
      // Not listening yet: the migrations run before the server listens.
      if (!(error instanceof Error && 'code' in error && error.code === 'ECONNREFUSED')) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the API was not healthy within ${READY_TIMEOUT_MS / 1000} s:\n${recent.join('\n')}`);
}

/** SIGTERM (the API closes its pools and stops), SIGKILL if it hangs. */
async function stopChild(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), STOP_TIMEOUT_MS).unref());
  if ((await Promise.race([exited, timer])) === 'timeout') {
    child.kill('SIGKILL');
    await exited;
  }
}
