import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import type { JsonObject, RecordedEvent } from '#event-store';
import { createTestDatabase, type TestDatabase } from '#read-model/testing/test-database.js';
import { ticketStreamId, type TicketEvent } from '#ticketing';
import { loadGoldenCommands, replayThroughDomain } from '#test/support/golden-small.js';
import { applyTicketEvents } from './apply-ticket-events.js';
import { createTableSql, TICKET_TABLES } from './tables.js';
import { loadGoldenTables } from './testing/golden-tables.js';

/** Golden-small's events as the store would record them, interleaved across tickets by time. */
function recorded(streams: Map<string, TicketEvent[]>): RecordedEvent[] {
  const all = [...streams.entries()].flatMap(([ticketId, events]) =>
    events.map((event, revision) => ({
      streamId: ticketStreamId(ticketId),
      revision,
      position: '',
      eventId: `${ticketId}/${revision}`,
      type: event.type,
      data: event.data as unknown as JsonObject,
      metadata: { occurredAt: event.occurredAt, schemaVersion: 1 },
      recordedAt: new Date(event.occurredAt),
    })),
  );
  return all.sort(
    (a, b) => Date.parse(String(a.metadata.occurredAt)) - Date.parse(String(b.metadata.occurredAt)) || a.revision - b.revision,
  );
}

async function tablesIn(client: pg.Client, schema: string): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const table of TICKET_TABLES) {
    const { rows } = await client.query(`SELECT * FROM ${schema}.${table.name} ORDER BY ${table.primaryKey.join(', ')}`);
    out[table.name] = rows;
  }
  return out;
}

describe('the tickets projection applied in batches', () => {
  let db: TestDatabase;
  let client: pg.Client;
  const events = recorded(replayThroughDomain(loadGoldenCommands()));

  beforeAll(async () => {
    db = await createTestDatabase();
    await loadGoldenTables(db.url);
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
    for (const schema of ['one_by_one', 'thousands', 'replayed']) {
      await client.query(`CREATE SCHEMA ${schema}`);
      for (const table of TICKET_TABLES) for (const sql of createTableSql(table, `${schema}.${table.name}`)) await client.query(sql);
    }
    for (const event of events) await applyTicketEvents(client, (name) => `one_by_one.${name}`, [event]);
    for (let i = 0; i < events.length; i += 1000) await applyTicketEvents(client, (name) => `thousands.${name}`, events.slice(i, i + 1000));
    // A replayed batch (a retry after a rollback, or overlapping pages) must change nothing.
    await applyTicketEvents(client, (name) => `replayed.${name}`, events);
    await applyTicketEvents(client, (name) => `replayed.${name}`, events.slice(0, 100));
  });

  afterAll(async () => {
    await client.end();
    await db.drop();
  });

  it('gives the same rows with batch size 1, batch size 1,000, a replayed batch, and a fold of whole streams', async () => {
    const whole = await tablesIn(client, 'analytics');
    expect(whole.tickets).toHaveLength(36);
    expect(await tablesIn(client, 'one_by_one')).toEqual(whole);
    expect(await tablesIn(client, 'thousands')).toEqual(whole);
    expect(await tablesIn(client, 'replayed')).toEqual(whole);
  });

  it('refuses a gap in a ticket’s revisions instead of skipping it', async () => {
    await client.query('CREATE SCHEMA gap');
    for (const table of TICKET_TABLES) for (const sql of createTableSql(table, `gap.${table.name}`)) await client.query(sql);
    const first = events.filter((e) => e.streamId === events[0].streamId);
    await applyTicketEvents(client, (name) => `gap.${name}`, [first[0]]);
    await expect(applyTicketEvents(client, (name) => `gap.${name}`, [first[2]])).rejects.toThrow(/skipped/);
  });
});
