import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { EVENT_STORE, type EventStore } from '#event-store';
import { eventCountsProjection } from '#read-model/projections/sample/event-counts.projection.js';
import { createTestDatabase, type TestDatabase } from '#read-model/testing/test-database.js';
import { loadConfig } from '#platform';
import { createApp, type App } from '../create-app.js';
import { toHttpError } from '../platform/errors/to-http-error.js';
import { PROJECTION_WAIT, type ProjectionWait } from '../reports/projection-wait.js';
import { ReadYourWrites } from './read-your-writes.js';

const ADMIN_KEY = 'projections-e2e-admin-key-0123456789abcdef';

/** GET /projections over HTTP, the inline runners of `npm start`, and read-your-writes' answers. */
describe('projections in the API', () => {
  let database: TestDatabase;
  let app: App;
  let url: string;
  const keys: Record<string, string> = {};

  async function get(
    pathname: string,
    key: string,
  ): Promise<{ status: number; json: { projections?: Array<Record<string, unknown>> } & Record<string, unknown> }> {
    const response = await fetch(`${url}${pathname}`, { headers: { authorization: `Bearer ${key}` } });
    return {
      status: response.status,
      json: (await response.json()) as { projections?: Array<Record<string, unknown>> } & Record<string, unknown>,
    };
  }

  beforeAll(async () => {
    database = await createTestDatabase('e2e_projections');
    const config = loadConfig({
      DATABASE_URL: database.url,
      DATA_DIR: mkdtempSync(path.join(tmpdir(), 'bildirim-projections-e2e-')),
      ADMIN_API_KEY: ADMIN_KEY,
      PORT: '0',
      LOG_LEVEL: 'silent',
    });
    app = await createApp({
      config,
      env: {},
      projections: { registry: [eventCountsProjection({ eventTypes: ['A', 'B'] })], runner: { idlePollMs: 10 } },
    });
    url = await app.listen();
    for (const role of ['analyst', 'auditor', 'service']) {
      const response = await fetch(`${url}/admin/api-keys`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: role, roles: [role] }),
      });
      keys[role] = String(((await response.json()) as Record<string, unknown>).key);
    }
  });

  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  it('runs the registered projections inline and shows their state, position and lag to analysts and auditors', async () => {
    const store = app.nest.get<symbol, EventStore>(EVENT_STORE);
    let last = '';
    for (const type of ['A', 'B', 'X', 'A']) {
      last = (
        await store.append(`s-${randomUUID()}`, [{ eventId: randomUUID(), type, data: {}, metadata: {} }], {
          expectedRevision: 'no_stream',
        })
      ).position;
    }
    // A report's minPosition waits for the projections (the reports' PROJECTION_WAIT is bound to it).
    await app.nest.get<symbol, ProjectionWait>(PROJECTION_WAIT).wait(last);

    const answer = await get('/projections', keys.analyst);
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({
      head: last,
      mode: 'inline',
      projections: [
        {
          name: 'event_counts',
          version: 1,
          definitionVersion: 1,
          state: 'live',
          position: last,
          eventsSeen: 3,
          eventsApplied: 3,
          lagEvents: 0,
          lagEventsExact: true,
          lagSeconds: 0,
          tables: ['projections.event_type_counts_v1', 'projections.stream_counts_v1'],
        },
      ],
    });
    expect(typeof answer.json.projections?.[0].updatedAt).toBe('string');
    expect((await get('/projections', keys.auditor)).status).toBe(200);
    expect((await get('/projections', ADMIN_KEY)).status).toBe(200);
    expect((await get('/projections', keys.service)).json).toMatchObject({ statusCode: 403, code: 'FORBIDDEN_ROLE' });
  });

  it('answers 503 PROJECTION_NOT_CAUGHT_UP with the positions when the wait runs out, and 400 for a foreign position', async () => {
    const store = app.nest.get<symbol, EventStore>(EVENT_STORE);
    const appended = await store.append(`s-${randomUUID()}`, [{ eventId: randomUUID(), type: 'A', data: {}, metadata: {} }], {
      expectedRevision: 'no_stream',
    });
    const readYourWrites = app.nest.get(ReadYourWrites);
    const failure = await readYourWrites.waitForPosition(['event_counts', 'not-running'], appended.position, 50).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(toHttpError(failure)).toMatchObject({
      status: 503,
      headers: { 'Retry-After': '1' },
      body: {
        statusCode: 503,
        code: 'PROJECTION_NOT_CAUGHT_UP',
        details: {
          minPosition: appended.position,
          positions: [
            { name: 'event_counts', version: 1 },
            { name: 'not-running', version: null, position: null },
          ],
        },
      },
    });
    const foreign = await readYourWrites.waitForPosition(['event_counts'], 'not-a-position', 50).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(toHttpError(foreign)).toMatchObject({ status: 400, body: { code: 'INVALID_POSITION' } });
    await expect(readYourWrites.waitForPosition(['event_counts'], undefined)).resolves.toBeUndefined();
  });

  it('documents GET /projections in OpenAPI', async () => {
    const document = (await (await fetch(`${url}/docs-json`)).json()) as {
      paths: Record<string, { get?: { responses: Record<string, unknown> } }>;
      components: { schemas: Record<string, { properties: Record<string, unknown> }> };
    };
    expect(document.paths['/projections'].get?.responses['200']).toBeDefined();
    expect(Object.keys(document.components.schemas.ProjectionVersionStatusDto.properties)).toEqual(
      expect.arrayContaining([
        'name',
        'version',
        'state',
        'position',
        'eventsSeen',
        'eventsApplied',
        'lagEvents',
        'lagSeconds',
        'updatedAt',
      ]),
    );
  });
});
