import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createApp, type App } from '#api/create-app.js';
import { loadConfig } from '#platform';
import { commandIdFor } from '#event-store/ids/command-id.js';
import { createTestDatabase, type TestDatabase } from '#read-model/testing/test-database.js';
import { ProbeModule, probeRuns } from './probe.module.js';

const ADMIN_KEY = 'e2e-admin-key-0123456789abcdefghijklmnop';

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: Record<string, unknown>;
}

describe('the API platform over HTTP', () => {
  let database: TestDatabase;
  const apps: App[] = [];
  const urls: string[] = [];
  const logLines: string[] = [];
  let serviceKey: string;
  let serviceKeyId: string;

  async function start(): Promise<string> {
    const config = loadConfig({
      DATABASE_URL: database.url,
      DATA_DIR: mkdtempSync(path.join(tmpdir(), 'bildirim-e2e-')),
      ADMIN_API_KEY: ADMIN_KEY,
      PORT: '0',
      BODY_LIMIT: '16kb',
    });
    const app = await createApp({ config, logSink: (line) => logLines.push(line), imports: [ProbeModule] });
    apps.push(app);
    const url = await app.listen();
    urls.push(url);
    return url;
  }

  async function send(
    method: string,
    url: string,
    options: { key?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
  ): Promise<Answer> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.key) headers.authorization = `Bearer ${options.key}`;
    if (options.body !== undefined || options.raw !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(url, {
      method,
      headers,
      body: options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
    });
    const text = await response.text();
    const json = text.startsWith('{') ? (JSON.parse(text) as Record<string, unknown>) : {};
    return { status: response.status, headers: response.headers, text, json };
  }

  beforeAll(async () => {
    database = await createTestDatabase('e2e_platform');
    await start();
    const created = await send('POST', `${urls[0]}/admin/api-keys`, { key: ADMIN_KEY, body: { name: 'call-centre', roles: ['service'] } });
    expect(created.status).toBe(201);
    serviceKey = String(created.json.key);
    serviceKeyId = String(created.json.id);
  });

  afterAll(async () => {
    for (const app of apps) await app.close();
    await database.drop();
  });

  describe('health and docs', () => {
    it('answers /health without a key, checking the database and the event store', async () => {
      const health = await send('GET', `${urls[0]}/health`);
      expect(health.status).toBe(200);
      expect(health.json).toMatchObject({ status: 'ok', details: { database: { status: 'up' }, eventStore: { status: 'up' } } });
    });

    it('serves the OpenAPI UI at /docs and its JSON with the API-key security scheme', async () => {
      const ui = await send('GET', `${urls[0]}/docs`);
      expect(ui.status).toBe(200);
      expect(ui.headers.get('content-type')).toContain('text/html');
      const document = await send('GET', `${urls[0]}/docs-json`);
      expect(document.json).toMatchObject({
        components: {
          securitySchemes: { 'api-key': { type: 'apiKey', in: 'header', name: 'X-API-Key' }, bearer: { type: 'http', scheme: 'bearer' } },
        },
        security: [{ 'api-key': [] }, { bearer: [] }],
      });
      expect(document.text).toContain('"/admin/api-keys"');
    });
  });

  describe('access', () => {
    it('refuses a request without a key, or with an unknown key (401 UNAUTHENTICATED)', async () => {
      const without = await send('GET', `${urls[0]}/admin/api-keys`);
      expect(without.status).toBe(401);
      expect(without.json).toMatchObject({ statusCode: 401, code: 'UNAUTHENTICATED', correlationId: expect.any(String) });
      const unknown = await send('GET', `${urls[0]}/admin/api-keys`, { key: 'bk_000000000000_not-a-real-key-at-all-000000000' });
      expect(unknown.json).toMatchObject({ statusCode: 401, code: 'UNAUTHENTICATED' });
    });

    it('accepts the key as X-API-Key as well as a bearer token', async () => {
      expect((await send('GET', `${urls[0]}/admin/api-keys`, { headers: { 'x-api-key': ADMIN_KEY } })).status).toBe(200);
    });

    it('refuses a key without the role (403 FORBIDDEN_ROLE naming the roles)', async () => {
      const forbidden = await send('GET', `${urls[0]}/admin/api-keys`, { key: serviceKey });
      expect(forbidden.status).toBe(403);
      expect(forbidden.json).toMatchObject({ code: 'FORBIDDEN_ROLE', details: { requiredRoles: ['admin'], grantedRoles: ['service'] } });
      expect(String(forbidden.json.message)).toContain('admin');
    });

    it('lists keys without secrets, and a revoked key is refused from then on', async () => {
      const created = await send('POST', `${urls[0]}/admin/api-keys`, {
        key: ADMIN_KEY,
        body: { name: 'short-lived', roles: ['analyst', 'auditor'] },
      });
      const key = String(created.json.key);
      expect(key).toMatch(/^bk_[0-9a-f]{12}_/);
      const listed = await send('GET', `${urls[0]}/admin/api-keys`, { key: ADMIN_KEY });
      expect(listed.status).toBe(200);
      expect(listed.text).not.toContain(key);
      expect(listed.json.keys).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ id: created.json.id, name: 'short-lived', roles: ['analyst', 'auditor'], revokedAt: null }),
        ]),
      );

      const revoked = await send('DELETE', `${urls[0]}/admin/api-keys/${String(created.json.id)}`, { key: ADMIN_KEY });
      expect(revoked.status).toBe(200);
      expect(revoked.json.revokedAt).toEqual(expect.any(String));
      expect((await send('GET', `${urls[0]}/health`, { key })).status).toBe(200);
      expect((await send('POST', `${urls[0]}/test/probes`, { key, body: { name: 'x', data: { score: 1 } } })).json).toMatchObject({
        code: 'UNAUTHENTICATED',
      });
      expect((await send('DELETE', `${urls[0]}/admin/api-keys/nope`, { key: ADMIN_KEY })).json).toMatchObject({
        statusCode: 404,
        code: 'API_KEY_NOT_FOUND',
      });
    });
  });

  describe('requests and errors', () => {
    it('names each invalid field, nested ones by their dotted path (400 VALIDATION_FAILED)', async () => {
      const invalid = await send('POST', `${urls[0]}/admin/api-keys`, { key: ADMIN_KEY, body: { name: '', roles: ['root'], extra: 1 } });
      expect(invalid.status).toBe(400);
      expect(invalid.json).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
      expect((invalid.json.errors as Array<{ field: string }>).map((error) => error.field).sort()).toEqual(['extra', 'name', 'roles']);
      const nested = await send('POST', `${urls[0]}/test/probes`, { key: serviceKey, body: { name: 'n', data: { score: 9 } } });
      expect(nested.json.errors).toEqual([{ field: 'data.score', messages: ['score must not be greater than 5'] }]);
    });

    it('answers a body over BODY_LIMIT with 413 in JSON, and malformed JSON with 400', async () => {
      const tooLarge = await send('POST', `${urls[0]}/admin/api-keys`, {
        key: ADMIN_KEY,
        body: { name: 'x'.repeat(20_000), roles: ['service'] },
      });
      expect(tooLarge.status).toBe(413);
      expect(tooLarge.json).toMatchObject({ statusCode: 413, code: 'PAYLOAD_TOO_LARGE', details: { limitBytes: 16_384 } });
      const malformed = await send('POST', `${urls[0]}/admin/api-keys`, { key: ADMIN_KEY, raw: '{"name":' });
      expect(malformed.json).toMatchObject({ statusCode: 400, code: 'INVALID_JSON' });
    });

    it('hides an unexpected error behind 500 INTERNAL_ERROR and logs it with its stack', async () => {
      const failed = await send('POST', `${urls[0]}/test/probes`, {
        key: serviceKey,
        body: { name: 'explode', data: { score: 1 } },
        headers: { 'x-correlation-id': 'boom-1' },
      });
      expect(failed.status).toBe(500);
      expect(failed.json).toEqual({ statusCode: 500, code: 'INTERNAL_ERROR', message: expect.any(String), correlationId: 'boom-1' });
      expect(failed.text).not.toContain('hunter2');
      const logged = logLines
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .find((entry) => entry.correlationId === 'boom-1' && entry.level === 'error' && entry.stack);
      expect(logged).toMatchObject({ msg: 'unexpected error while serving a request', errorMessage: 'password=hunter2 at 10.0.0.3' });
    });

    it('echoes X-Correlation-Id and logs one JSON line per request with method, path, status, duration and key name', async () => {
      const answer = await send('GET', `${urls[0]}/admin/api-keys`, { key: ADMIN_KEY, headers: { 'x-correlation-id': 'trace-77' } });
      expect(answer.headers.get('x-correlation-id')).toBe('trace-77');
      const generated = await send('GET', `${urls[0]}/health`);
      expect(generated.headers.get('x-correlation-id')).toMatch(/^[0-9a-f-]{36}$/);
      const line = logLines
        .map((text) => JSON.parse(text) as Record<string, unknown>)
        .find((entry) => entry.msg === 'request' && entry.correlationId === 'trace-77');
      expect(line).toEqual({
        time: expect.any(String),
        level: 'info',
        msg: 'request',
        correlationId: 'trace-77',
        method: 'GET',
        path: '/admin/api-keys',
        status: 200,
        durationMs: expect.any(Number),
        apiKey: 'admin (ADMIN_API_KEY)',
      });
    });
  });

  describe('idempotency', () => {
    const probe = (url: string, key: string | undefined, body: unknown) =>
      send('POST', `${url}/test/probes`, { key: serviceKey, body, headers: key === undefined ? {} : { 'idempotency-key': key } });

    it('replays the first answer for the same key, with Idempotent-Replayed: true and the same command id', async () => {
      const before = probeRuns.count;
      const first = await probe(urls[0], 'replay-1', { name: 'a', data: { score: 2 } });
      const again = await probe(urls[0], 'replay-1', { data: { score: 2 }, name: 'a' });
      expect(first.status).toBe(201);
      expect(first.headers.get('idempotent-replayed')).toBeNull();
      expect(again.status).toBe(201);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(again.text).toBe(first.text);
      expect(first.json.commandId).toBe(commandIdFor(serviceKeyId, 'replay-1'));
      expect(probeRuns.count - before).toBe(1);
    });

    it('stores 4xx answers too, validation failures included', async () => {
      const before = probeRuns.count;
      const rejected = await probe(urls[0], 'reject-1', { name: 'reject', data: { score: 2 } });
      expect(rejected.status).toBe(422);
      const replayed = await probe(urls[0], 'reject-1', { name: 'reject', data: { score: 2 } });
      expect(replayed.status).toBe(422);
      expect(replayed.text).toBe(rejected.text);
      expect(probeRuns.count - before).toBe(1);
      const invalid = await probe(urls[0], 'invalid-1', { name: 'a', data: { score: 0 } });
      const invalidAgain = await probe(urls[0], 'invalid-1', { name: 'a', data: { score: 0 } });
      expect([invalid.status, invalidAgain.status]).toEqual([400, 400]);
      expect(invalidAgain.headers.get('idempotent-replayed')).toBe('true');
    });

    it('does not store a 500: the retry runs again', async () => {
      const before = probeRuns.count;
      await probe(urls[0], 'explode-1', { name: 'explode', data: { score: 1 } });
      const retried = await probe(urls[0], 'explode-1', { name: 'explode', data: { score: 1 } });
      expect(retried.status).toBe(500);
      expect(retried.headers.get('idempotent-replayed')).toBeNull();
      expect(probeRuns.count - before).toBe(2);
    });

    it('refuses the same key with another body (422 IDEMPOTENCY_KEY_REUSED)', async () => {
      await probe(urls[0], 'reuse-1', { name: 'a', data: { score: 2 } });
      const reused = await probe(urls[0], 'reuse-1', { name: 'b', data: { score: 2 } });
      expect(reused.status).toBe(422);
      expect(reused.json).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', details: { idempotencyKey: 'reuse-1' } });
    });

    it('runs every request without a key', async () => {
      const before = probeRuns.count;
      const one = await probe(urls[0], undefined, { name: 'a', data: { score: 2 } });
      const two = await probe(urls[0], undefined, { name: 'a', data: { score: 2 } });
      expect(probeRuns.count - before).toBe(2);
      expect(one.json.commandId).not.toBe(two.json.commandId);
    });

    it('refuses an unusable Idempotency-Key (400)', async () => {
      const bad = await probe(urls[0], 'x'.repeat(201), { name: 'a', data: { score: 2 } });
      expect(bad.json).toMatchObject({ statusCode: 400, code: 'INVALID_IDEMPOTENCY_KEY' });
    });

    it('runs one command sent 10 times at once over two API processes exactly once, and again after a restart', async () => {
      await start();
      const before = probeRuns.count;
      const body = { name: 'concurrent', data: { score: 4 } };
      const answers = await Promise.all(Array.from({ length: 10 }, (_, index) => probe(urls[index % 2], 'concurrent-1', body)));
      expect(probeRuns.count - before).toBe(1);
      expect(new Set(answers.map((answer) => `${answer.status} ${answer.text}`)).size).toBe(1);
      expect(answers.filter((answer) => answer.headers.get('idempotent-replayed') === 'true')).toHaveLength(9);

      const [second] = apps.splice(1, 1);
      await second.close();
      const restarted = await start();
      const afterRestart = await probe(restarted, 'concurrent-1', body);
      expect(afterRestart.text).toBe(answers[0].text);
      expect(afterRestart.headers.get('idempotent-replayed')).toBe('true');
      expect(probeRuns.count - before).toBe(1);
    });
  });
});
