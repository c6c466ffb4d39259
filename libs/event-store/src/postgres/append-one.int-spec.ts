import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '#read-model/testing/test-database.js';
import type { ExpectedRevision } from '../port/event-store.js';
import { migrateEventStore } from './migrate.js';
import { comparePositions } from './position.js';
import { PostgresEventStore } from './postgres-event-store.js';

/*
 * A one-event append is one statement whose snapshot predates its stream lock (schema/append.ts,
 * APPEND_ONE_EVENT): these races make it read a stale revision, and it must then write nothing
 * and leave the answer to the append function, so that a stream's revisions stay dense and in
 * the all-stream order, and every expected revision is answered as before.
 */

const WRITERS = 8;
const APPENDS_PER_WRITER = 40;

describe('one-event appends racing on one stream (PostgreSQL)', () => {
  let database: TestDatabase;
  let pool: pg.Pool;
  let store: PostgresEventStore;

  beforeAll(async () => {
    database = await createTestDatabase('es_append_one');
    pool = new pg.Pool({ connectionString: database.url, max: WRITERS });
    await migrateEventStore(pool);
    store = new PostgresEventStore(pool);
  });

  afterAll(async () => {
    await pool.end();
    await database.drop();
  });

  const event = (type: string) => ({ eventId: randomUUID(), type, data: { type }, metadata: {} });

  it(`with expected revision any, ${WRITERS} writers all succeed: revisions dense, in the all-stream order`, async () => {
    const streamId = `any-${randomUUID()}`;
    const answers = await Promise.all(
      Array.from({ length: WRITERS }, async () => {
        const mine: { revision: number; position: string; eventId: string }[] = [];
        for (let n = 0; n < APPENDS_PER_WRITER; n++) {
          const appended = event('Noted');
          const result = await store.append(streamId, [appended], { expectedRevision: 'any' });
          expect(result.alreadyAppended).toBe(false);
          mine.push({ revision: result.nextExpectedRevision, position: result.position, eventId: appended.eventId });
        }
        return mine;
      }),
    );
    const stored = await store.readStream(streamId);
    expect(stored.map((recorded) => recorded.revision)).toEqual(Array.from({ length: WRITERS * APPENDS_PER_WRITER }, (_, n) => n));
    for (let n = 1; n < stored.length; n++) expect(comparePositions(stored[n - 1].position, stored[n].position)).toBe(-1);
    // Each answer names the event it stored, at the revision and position it was stored at.
    const byId = new Map(stored.map((recorded) => [recorded.eventId, recorded]));
    for (const answer of answers.flat()) {
      expect(byId.get(answer.eventId)).toMatchObject({ revision: answer.revision, position: answer.position });
    }
  });

  it('with exact expected revisions, each writer retrying on conflict: every event stored once, in order', async () => {
    const streamId = `exact-${randomUUID()}`;
    let conflicts = 0;
    await Promise.all(
      Array.from({ length: WRITERS }, async () => {
        for (let n = 0; n < APPENDS_PER_WRITER / 4; n++) {
          const appended = event('Claimed');
          let expected: ExpectedRevision =
            (await store.readStream(streamId, { direction: 'backwards', maxCount: 1 }))[0]?.revision ?? 'no_stream';
          for (;;) {
            try {
              await store.append(streamId, [appended], { expectedRevision: expected });
              break;
            } catch (error) {
              expect(error).toMatchObject({ code: 'WRONG_EXPECTED_REVISION' });
              conflicts += 1;
              const actual = (error as { actual: number | 'no_stream' }).actual;
              expect(actual).not.toBe(expected);
              expected = actual;
            }
          }
        }
      }),
    );
    const stored = await store.readStream(streamId);
    expect(stored).toHaveLength((WRITERS * APPENDS_PER_WRITER) / 4);
    expect(new Set(stored.map((recorded) => recorded.eventId)).size).toBe(stored.length);
    expect(stored.map((recorded) => recorded.revision)).toEqual(stored.map((_, n) => n));
    for (let n = 1; n < stored.length; n++) expect(comparePositions(stored[n - 1].position, stored[n].position)).toBe(-1);
    // Eight writers on one stream do conflict; a run without any would not have exercised the race.
    expect(conflicts).toBeGreaterThan(0);
  });

  it('a retried one-event append after its answer was lost gets the first answer back', async () => {
    const streamId = `retry-${randomUUID()}`;
    const appended = event('Opened');
    const first = await store.append(streamId, [appended], { expectedRevision: 'no_stream' });
    const again = await store.append(streamId, [appended], { expectedRevision: 'no_stream' });
    expect(again).toEqual({ ...first, alreadyAppended: true });
    const anyAgain = await store.append(streamId, [appended], { expectedRevision: 'any' });
    expect(anyAgain).toEqual({ ...first, alreadyAppended: true });
    expect(await store.readStream(streamId)).toHaveLength(1);
  });
});
