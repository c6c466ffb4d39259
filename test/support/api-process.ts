import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '#read-model/postgres/embedded-server.js';

/**
 * The API as the real, built process (`node dist/apps/api/src/main.js`), so end-to-end specs
 * exercise start-up, migrations, two processes on one database and SIGKILL — none of which
 * an in-process Nest app would.
 */

const here = path.dirname(fileURLToPath(import.meta.url));
export { freePort };

export const REPO_ROOT = path.resolve(here, '../..');
export const API_MAIN = path.join(REPO_ROOT, 'dist/apps/api/src/main.js');

/** A strong, known bootstrap key, as automation would pass it in ADMIN_API_KEY. */
export function strongAdminKey(): string {
  return `adm_${randomBytes(24).toString('base64url')}`;
}

export interface ApiProcessOptions {
  /** use this PostgreSQL server (DATABASE_URL) … */
  databaseUrl?: string;
  /** … or the embedded one, keeping its data here (DATA_DIR) */
  dataDir?: string;
  /** default: a free port, kept across restarts */
  port?: number;
  /** default: a fresh strong key */
  adminKey?: string;
  logLevel?: string;
  /** more environment for the child */
  env?: Record<string, string>;
  /** how long to wait for `/health` to answer 200 */
  startTimeoutMs?: number;
  /** shown in diagnostics */
  name?: string;
  /**
   * Run in a process group of its own, as a shell runs a foreground job, so `interrupt()` can
   * send SIGINT to the whole group as Ctrl-C in a terminal does (and reach any child that
   * stayed in it).
   */
  processGroup?: boolean;
}

export interface HttpOptions {
  key?: string;
  idempotencyKey?: string;
  ifMatch?: string | number;
  headers?: Record<string, string>;
  /** send this text as the body instead of JSON.stringify(body) */
  rawBody?: string;
  timeoutMs?: number;
}

/** An answer; `T` is the body the caller expects (the OpenAPI check in validate-responses.ts holds the API to it). */
export interface HttpAnswer<T = unknown> {
  status: number;
  headers: Headers;
  /** the parsed JSON body, or undefined when the body is not JSON */
  body: T;
  text: string;
}

/** Every error the API answers has this body (apps/api/src/platform/errors/to-http-error.ts). */
export type { HttpErrorBody as ErrorAnswer } from '#api/platform/errors/to-http-error.js';

/** The `code` of an error answer; undefined for a body without one. */
export function codeOf(answer: HttpAnswer): string | undefined {
  const body: unknown = answer.body;
  return typeof body === 'object' && body !== null && 'code' in body && typeof body.code === 'string' ? body.code : undefined;
}

/** A tiny fetch client; errors (connection refused, reset) are thrown, never turned into answers. */
export class HttpClient {
  constructor(
    readonly baseUrl: string,
    readonly defaultKey?: string,
  ) {}

  post<T = unknown>(pathname: string, body: unknown, options: HttpOptions = {}): Promise<HttpAnswer<T>> {
    return this.request<T>('POST', pathname, options.rawBody ?? JSON.stringify(body ?? {}), options);
  }

  get<T = unknown>(pathname: string, options: HttpOptions = {}): Promise<HttpAnswer<T>> {
    return this.request<T>('GET', pathname, undefined, options);
  }

  async request<T>(method: string, pathname: string, body: string | undefined, options: HttpOptions): Promise<HttpAnswer<T>> {
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
    if (body !== undefined && !Object.keys(headers).some((name) => name.toLowerCase() === 'content-type'))
      headers['content-type'] = 'application/json';
    const key = options.key ?? this.defaultKey;
    if (key !== undefined) headers.authorization = `Bearer ${key}`;
    if (options.idempotencyKey !== undefined) headers['idempotency-key'] = options.idempotencyKey;
    if (options.ifMatch !== undefined) headers['if-match'] = String(options.ifMatch);
    const response = await fetch(this.baseUrl + pathname, {
      method,
      headers,
      body,
      signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
    });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: response.status, headers: response.headers, body: parsed as T, text };
  }

  withKey(key: string): HttpClient {
    return new HttpClient(this.baseUrl, key);
  }
}

/** The app's configuration comes only from the options, never from the shell running the specs. */
const CONFIG_VARIABLES = [
  'PORT',
  'DATA_DIR',
  'DATABASE_URL',
  'ADMIN_API_KEY',
  'LOG_LEVEL',
  'EVENT_STORE',
  'EVENTSTORE_CONNECTION_STRING',
  'NODE_OPTIONS',
];

const OUTPUT_LIMIT = 256 * 1024;
const running = new Set<ChildProcess>();

// Last resort if a spec dies without its afterAll: never leave an API process behind.
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export class ApiProcess {
  private out = '';
  private readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private exitedWith: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  readonly http: HttpClient;

  private constructor(
    readonly options: Required<Pick<ApiProcessOptions, 'port' | 'adminKey' | 'name'>> & ApiProcessOptions,
    private readonly child: ChildProcess,
  ) {
    this.http = new HttpClient(this.baseUrl);
    const capture = (stream: string) => (chunk: Buffer) => {
      this.out += chunk.toString('utf8').replace(/^/gm, stream === 'stderr' ? '! ' : '');
      if (this.out.length > OUTPUT_LIMIT) this.out = this.out.slice(-OUTPUT_LIMIT);
    };
    child.stdout?.on('data', capture('stdout'));
    child.stderr?.on('data', capture('stderr'));
    this.exit = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        running.delete(child);
        this.exitedWith = { code, signal };
        resolve({ code, signal });
      });
    });
  }

  /** Spawns the built API and resolves once `/health` answers 200. */
  static async start(options: ApiProcessOptions): Promise<ApiProcess> {
    const api = await ApiProcess.spawn(options);
    try {
      await api.waitHealthy(options.startTimeoutMs ?? 90_000);
    } catch (error) {
      await api.kill();
      throw error;
    }
    return api;
  }

  /** Spawns the built API without waiting for it: for specs about start-up itself. */
  static async spawn(options: ApiProcessOptions): Promise<ApiProcess> {
    if (!existsSync(API_MAIN)) throw new Error(`${API_MAIN} is missing: build first (npx tsc -p tsconfig.build.json)`);
    if (!options.databaseUrl && !options.dataDir) throw new Error('ApiProcess needs databaseUrl or dataDir');
    const resolved = {
      ...options,
      port: options.port ?? (await freePort()),
      adminKey: options.adminKey ?? strongAdminKey(),
      name: options.name ?? 'api',
    };
    const inherited = Object.fromEntries(
      Object.entries(process.env).filter(
        (entry): entry is [string, string] => entry[1] !== undefined && !CONFIG_VARIABLES.includes(entry[0]),
      ),
    );
    const env: Record<string, string> = {
      ...inherited,
      PORT: String(resolved.port),
      ADMIN_API_KEY: resolved.adminKey,
      LOG_LEVEL: resolved.logLevel ?? 'warn',
      ...(resolved.databaseUrl ? { DATABASE_URL: resolved.databaseUrl } : {}),
      ...(resolved.dataDir ? { DATA_DIR: resolved.dataDir } : {}),
      ...resolved.env,
    };
    const child = spawn(process.execPath, [API_MAIN], {
      cwd: REPO_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: resolved.processGroup === true,
    });
    running.add(child);
    return new ApiProcess(resolved, child);
  }

  /** The same configuration (port, database, admin key) in a new process. */
  restart(): Promise<ApiProcess> {
    return ApiProcess.start(this.options);
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.options.port}`;
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get adminKey(): string {
    return this.options.adminKey;
  }

  get alive(): boolean {
    return this.exitedWith === undefined;
  }

  /** What the child printed (stdout, and stderr prefixed with "! "), the last 256 KB. */
  output(): string {
    return this.out;
  }

  /** Resolves once `/health` answers 200; rejects, with the output, if the process exits first or the time runs out. */
  async waitHealthy(timeoutMs: number): Promise<void> {
    const started = Date.now();
    let last = 'no answer yet';
    while (Date.now() - started < timeoutMs) {
      if (this.exitedWith) {
        throw new Error(
          `${this.options.name} exited before it was healthy (code ${this.exitedWith.code}, signal ${this.exitedWith.signal}). ` +
            `Output:\n${this.out}`,
        );
      }
      try {
        const answer = await this.http.get('/health', { timeoutMs: 2_000 });
        if (answer.status === 200) return;
        last = `${answer.status} ${answer.text.slice(0, 500)}`;
      } catch (error) {
        last = String((error as Error).cause ?? error);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`${this.options.name} was not healthy within ${timeoutMs} ms (last: ${last}). Output:\n${this.out}`);
  }

  /** SIGKILL: no shutdown hooks run (an embedded PostgreSQL is left orphaned). */
  async kill(): Promise<void> {
    if (!this.alive) return;
    this.child.kill('SIGKILL');
    await this.exit;
  }

  /** SIGTERM and wait for the exit; SIGKILL if it takes longer than the grace period. */
  async stop(graceMs = 20_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (!this.alive) return this.exit;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    try {
      return await this.exit;
    } finally {
      clearTimeout(timer);
    }
  }

  /** SIGINT as Ctrl-C sends it: to the process group with `processGroup`, else to the process. */
  interrupt(): void {
    if (!this.alive) return;
    if (this.options.processGroup) process.kill(-this.pid, 'SIGINT');
    else this.child.kill('SIGINT');
  }

  exited(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    return this.exit;
  }
}

/** Stops every process given (ignoring undefined), never throwing: for afterAll. */
export async function stopAll(...apis: Array<ApiProcess | undefined>): Promise<void> {
  await Promise.all(apis.map((api) => api?.stop().catch(() => undefined)));
}

export type Role = 'service' | 'importer' | 'analyst' | 'auditor' | 'admin';

/** A new API key with these roles, through the admin endpoint; the secret is shown only once. */
export async function createApiKey(api: ApiProcess | HttpClient, roles: Role[], name?: string): Promise<string> {
  return (await createApiKeyWithId(api, roles, name)).key;
}

/** The same, with the key's id (what event metadata records as the actor's apiKeyId). */
export async function createApiKeyWithId(
  api: ApiProcess | HttpClient,
  roles: Role[],
  name = `e2e-${roles.join('-')}-${randomBytes(3).toString('hex')}`,
): Promise<{ key: string; id: string }> {
  const http = api instanceof ApiProcess ? api.http.withKey(api.adminKey) : api;
  const answer = await http.post('/admin/api-keys', { name, roles });
  if (answer.status !== 201 && answer.status !== 200) {
    throw new Error(`POST /admin/api-keys answered ${answer.status}: ${answer.text}`);
  }
  const body = answer.body as Record<string, unknown> | undefined;
  const key = [body?.key, body?.apiKey, body?.secret, body?.token].find((value): value is string => typeof value === 'string');
  if (!key) throw new Error(`POST /admin/api-keys answered without a key: ${answer.text}`);
  return { key, id: String(body?.id) };
}
