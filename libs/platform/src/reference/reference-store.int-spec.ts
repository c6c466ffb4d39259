import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { randomUUID } from 'node:crypto';
import type { EventStore, EventToAppend } from '#event-store';
import { EventStoreDbEventStore } from '#event-store/eventstoredb/index.js';
import { startDouble, type EventStoreDbDouble } from '#event-store/eventstoredb/testing/double/index.js';
import { migrateEventStore, PostgresEventStore } from '#event-store/postgres/index.js';
import { createReadModelDataSource, destroyDataSource, migrateReadModel } from '#read-model';
import { createTestDatabase, type TestDatabase } from '#read-model/testing/test-database.js';
import { DomainError, encodeReferenceEvent, toDocument } from '#ticketing';
import { ReferenceStore } from './reference-store.js';

const CONTEXT = { at: '2026-03-02T09:00:00.000Z', by: 'spec' };
const unitNamed = (name: string) => ({ name, calendar: null, parentUnit: null, escalationContacts: [] });

const variants: Array<{ name: string; open(pool: pg.Pool): Promise<{ store: EventStore; close(): Promise<void> }> }> = [
  { name: 'PostgreSQL', open: (pool) => Promise.resolve({ store: new PostgresEventStore(pool), close: () => Promise.resolve() }) },
  {
    name: 'EventStoreDB (test double)',
    open: async () => {
      const double: EventStoreDbDouble = await startDouble();
      const store = EventStoreDbEventStore.connect(double.connectionString);
      return {
        store,
        close: async () => {
          await store.close();
          await double.close();
        },
      };
    },
  },
];

describe.each(variants)('ReferenceStore on $name', (variant) => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let pool: pg.Pool;
  let opened: { store: EventStore; close(): Promise<void> };
  // Two API processes: one changes the reference data, the other runs ticket commands.
  let admin: ReferenceStore;
  let tickets: ReferenceStore;

  beforeAll(async () => {
    database = await createTestDatabase('refstore');
    dataSource = createReadModelDataSource({ url: database.url, applicationName: 'reference-store-spec', entities: [] });
    await dataSource.initialize();
    await migrateReadModel(dataSource);
    pool = new pg.Pool({ connectionString: database.url, max: 4 });
    await migrateEventStore(pool);
    opened = await variant.open(pool);
    admin = new ReferenceStore(opened.store, pool);
    tickets = new ReferenceStore(opened.store, pool);
  });

  afterAll(async () => {
    await opened.close();
    await pool.end();
    await destroyDataSource(dataSource);
    await database.drop();
  });

  it('a change another process made is in the next current() after it returned (read-your-writes), and twice is a no-op', async () => {
    expect((await tickets.current()).units.size).toBe(0);
    const first = await admin.decide(
      {
        type: 'DefineReference',
        kind: 'unit',
        id: 'front',
        definition: { name: 'Front', calendar: null, parentUnit: null, escalationContacts: [] },
      },
      CONTEXT,
    );
    expect({ written: first.written, unchanged: first.unchanged }).toEqual({ written: 1, unchanged: 0 });
    expect((await tickets.current()).units.get('front')?.name).toBe('Front');
    const again = await admin.decide(
      {
        type: 'DefineReference',
        kind: 'unit',
        id: 'front',
        definition: { name: 'Front', calendar: null, parentUnit: null, escalationContacts: [] },
      },
      CONTEXT,
    );
    expect({ written: again.written, unchanged: again.unchanged }).toEqual({ written: 0, unchanged: 1 });
  });

  it('a writer lagging its stream (an append whose head was never written) loses the race, reloads, decides again', async () => {
    const revision = (await admin.currentLoaded()).revisions.get('ref-unit-front') ?? -1;
    // As if a process crashed between its append and its head: the stream is ahead of reference_heads.
    const behind = encodeReferenceEvent(
      { type: 'UnitDefined', data: { id: 'front', by: 'crashed', definition: unitNamed('Front 2') }, occurredAt: CONTEXT.at },
      randomUUID(),
      randomUUID(),
    ) as EventToAppend;
    await opened.store.append('ref-unit-front', [behind], { expectedRevision: revision });
    expect((await tickets.current()).units.get('front')?.name).toBe('Front');
    const result = await tickets.decide({ type: 'DefineReference', kind: 'unit', id: 'front', definition: unitNamed('Front 3') }, CONTEXT);
    expect(result.written).toBe(1);
    const seen = await admin.currentLoaded();
    expect({ name: seen.catalogue.units.get('front')?.name, revision: seen.revisions.get('ref-unit-front') }).toEqual({
      name: 'Front 3',
      revision: revision + 2,
    });
  });

  it('a document is refused whole on its first error (nothing appended); loadAll reads what current() folds', async () => {
    const before = await admin.loadAll();
    await expect(
      admin.importDocument(
        {
          channels: { phone: { name: 'Phone' } },
          users: { deniz: { name: 'Deniz', memberships: [{ unit: 'ghost', supervisor: false }] } },
        },
        CONTEXT,
      ),
    ).rejects.toBeInstanceOf(DomainError);
    const after = await admin.loadAll();
    expect(after.revisions).toEqual(before.revisions);
    const imported = await admin.importDocument(
      { channels: { phone: { name: 'Phone' } }, priorities: { high: { name: 'High', rank: 1 } } },
      CONTEXT,
    );
    expect(imported.written).toBe(2);
    expect(toDocument((await admin.loadAll()).catalogue)).toEqual(toDocument(await tickets.current()));
  });
});
