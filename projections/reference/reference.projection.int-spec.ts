import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { migrateEventStore, PostgresEventStore } from '#event-store';
import { ReferenceStore } from '#platform';
import { createReadModelDataSource, destroyDataSource, migrateReadModel } from '#read-model';
import { endPool } from '#read-model/postgres/close-pools.js';
import { migrateProjections, planProjection, ProjectionRunner, rebuildProjection, silentLog } from '#read-model/projections/index.js';
import { createTestDatabase, type TestDatabase } from '#read-model/testing/test-database.js';
import { loadGoldenCommands, replayThroughDomain } from '#test/support/golden-small.js';
import type { ReferenceDocument } from '#ticketing';
import { appendWhole } from '../unit-days/testing/ticket-streams.js';
import { createReferenceProjection } from './reference.projection.js';
import { REFERENCE_TABLES } from './tables.js';

const CONTEXT = { at: '2026-03-02T09:00:00.000Z', by: 'spec' };

const DOCUMENT: Partial<ReferenceDocument> = {
  calendars: {
    ist: [
      {
        name: 'Istanbul office',
        effectiveFrom: '2026-01-01T00:00:00.000Z',
        definition: {
          zone: 'Europe/Istanbul',
          weekly: {
            mon: [
              ['09:00', '12:00'],
              ['13:00', '18:00'],
            ],
          },
          overrides: { '2026-04-23': [] },
        },
      },
    ],
  },
  units: {
    front: { name: 'Front', calendar: 'ist', parentUnit: null, escalationContacts: ['ops@example.com'] },
    billing: { name: 'Billing', calendar: null, parentUnit: 'front', escalationContacts: [] },
  },
  users: {
    ayse: {
      name: 'Ayşe',
      memberships: [
        { unit: 'front', supervisor: true },
        { unit: 'billing', supervisor: false },
      ],
    },
  },
  categories: {
    late: { name: 'Late refund', parent: 'refund' },
    refund: { name: 'Refund', parent: 'billing' },
    billing: { name: 'Billing', parent: null },
  },
  priorities: { high: { name: 'High', rank: 1 } },
  channels: { phone: { name: 'Phone' } },
  customerTiers: { gold: { name: 'Gold', rank: 1 } },
  slaPolicies: {
    'billing-high': [
      {
        name: 'Billing, high',
        effectiveFrom: '2026-01-01T00:00:00.000Z',
        order: 1,
        match: { category: 'billing', priority: 'high' },
        targets: { claim: { seconds: 600, time: 'business' }, response: null, resolution: { seconds: 86400, time: 'calendar' } },
        calendar: 'ist',
      },
      { retired: true, effectiveFrom: '2026-02-01T00:00:00.000Z' },
    ],
  },
};

async function rowsOf(pool: pg.Pool, relation: (table: string) => string): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const table of REFERENCE_TABLES) {
    out[table.name] = (await pool.query(`SELECT * FROM ${relation(table.name)} ORDER BY ${table.primaryKey.join(', ')}`)).rows;
  }
  return out;
}

describe('the reference projection', () => {
  let db: TestDatabase;
  let pool: pg.Pool;
  let store: PostgresEventStore;
  const streams = replayThroughDomain(loadGoldenCommands());

  beforeAll(async () => {
    db = await createTestDatabase('reference');
    pool = new pg.Pool({ connectionString: db.url, max: 8 });
    await migrateEventStore(pool);
    await migrateProjections(pool);
    const dataSource = createReadModelDataSource({ url: db.url, applicationName: 'reference-projection-spec', entities: [] });
    await dataSource.initialize();
    await migrateReadModel(dataSource);
    await destroyDataSource(dataSource);
    store = new PostgresEventStore(pool);
    const reference = new ReferenceStore(store, pool);
    await reference.importDocument(DOCUMENT, CONTEXT);
    await appendWhole(store, streams);
    // Later changes: a category moves to the root (its subtree's paths follow) and a channel is retired.
    await reference.importDocument(
      { categories: { refund: { name: 'Refund', parent: null } } },
      { ...CONTEXT, at: '2026-03-03T09:00:00.000Z' },
    );
    await reference.decide({ type: 'RetireReference', kind: 'channel', id: 'phone' }, CONTEXT);
    for (const [name, batchSize] of [
      ['reference-one', 1],
      ['reference-thousand', 1000],
    ] as const) {
      const [plan] = await planProjection(
        pool,
        [createReferenceProjection({ name, tablePrefix: name === 'reference-one' ? 'one_' : 'thousand_' })],
        silentLog,
      );
      await new ProjectionRunner({ pool, store }, plan.projection, plan.version, { batchSize, bulk: false, untilCaughtUp: true }).start();
    }
    await rebuildProjection({ pool, store }, createReferenceProjection({ name: 'reference-rebuilt', tablePrefix: 'rebuilt_' }));
  }, 120_000);

  afterAll(async () => {
    await store?.close();
    if (pool) await endPool(pool);
    await db?.drop();
  });

  it('gives the same rows with batch size 1, batch size 1,000 and a rebuild', async () => {
    const one = await rowsOf(pool, (table) => `analytics.one_${table}`);
    expect(await rowsOf(pool, (table) => `analytics.thousand_${table}`)).toEqual(one);
    expect(await rowsOf(pool, (table) => `analytics.rebuilt_${table}`)).toEqual(one);
  });

  it('keeps the entities in force with who changed them and when; paths and depths follow a moved category', async () => {
    const rows = await rowsOf(pool, (table) => `analytics.rebuilt_${table}`);
    expect(rows.ref_channels).toEqual([]);
    expect(rows.ref_categories.map((row) => row as { category_id: string; path: string; depth: number })).toEqual([
      expect.objectContaining({ category_id: 'billing', path: 'billing', depth: 0 }),
      expect.objectContaining({ category_id: 'late', path: 'refund > late', depth: 1 }),
      expect.objectContaining({
        category_id: 'refund',
        path: 'refund',
        depth: 0,
        changed_by: 'spec',
        changed_at: new Date('2026-03-03T09:00:00.000Z'),
      }),
    ]);
    expect(rows.ref_memberships).toEqual([
      expect.objectContaining({ user_id: 'ayse', unit_id: 'billing', supervisor: false }),
      expect.objectContaining({ user_id: 'ayse', unit_id: 'front', supervisor: true }),
    ]);
    expect(rows.ref_calendar_versions).toEqual([
      expect.objectContaining({ version_id: 'ist@1', definition: DOCUMENT.calendars?.ist?.[0]?.definition }),
    ]);
    expect(
      rows.ref_sla_policy_versions.map((row) => {
        const { version_id, retired, effective_from, claim_seconds, match_category } = row as Record<string, unknown>;
        return { version_id, retired, effective_from, claim_seconds, match_category };
      }),
    ).toEqual([
      {
        version_id: 'billing-high@1',
        retired: false,
        effective_from: new Date('2026-01-01T00:00:00Z'),
        claim_seconds: 600,
        match_category: 'billing',
      },
      {
        version_id: 'billing-high@2',
        retired: true,
        effective_from: new Date('2026-02-01T00:00:00Z'),
        claim_seconds: 600,
        match_category: 'billing',
      },
    ]);
  });

  it('lists every name the golden tickets used, each ticket counted once', async () => {
    const expected = new Map<string, { tickets: Set<string>; first: string }>();
    for (const [ticketId, events] of streams) {
      for (const event of events) {
        const data = event.data as unknown as Record<string, unknown>;
        for (const [field, kind] of [
          ['unitId', 'unit'],
          ['toUnitId', 'unit'],
          ['userId', 'user'],
          ['assignedBy', 'user'],
          ['category', 'category'],
          ['priority', 'priority'],
          ['channel', 'channel'],
          ['customerTier', 'customerTier'],
        ] as const) {
          const name = data[field];
          if (typeof name !== 'string') continue;
          const key = `${kind}/${name}`;
          const entry = expected.get(key) ?? { tickets: new Set<string>(), first: event.occurredAt };
          entry.tickets.add(ticketId);
          if (event.occurredAt < entry.first) entry.first = event.occurredAt;
          expected.set(key, entry);
        }
      }
    }
    const { rows } = await pool.query<{ kind: string; name: string; ticket_count: number; first_seen_at: Date }>(
      'SELECT kind, name, ticket_count, first_seen_at FROM analytics.rebuilt_ref_seen_names ORDER BY kind, name',
    );
    expect(rows.length).toBeGreaterThan(10);
    const lists = await pool.query<{ ticket_id: string; names: string[] }>(
      'SELECT ticket_id, names FROM analytics.rebuilt_ref_seen_tickets',
    );
    expect(lists.rows).toHaveLength(streams.size);
    for (const { names } of lists.rows) expect(new Set(names).size).toBe(names.length);
    expect(
      lists.rows.every(({ names }) => names.every((pair) => /^(unit|user|category|priority|channel|customerTier)\/./.test(pair))),
    ).toBe(true);
    expect(Object.fromEntries(rows.map((row) => [`${row.kind}/${row.name}`, [row.ticket_count, row.first_seen_at.toISOString()]]))).toEqual(
      Object.fromEntries([...expected].map(([key, entry]) => [key, [entry.tickets.size, entry.first]])),
    );
  });

  it('comments every table and column of its views', async () => {
    const { rows } = await pool.query<{ missing: string }>(
      `SELECT c.relname || coalesce('.' || a.attname, '') AS missing
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
        WHERE n.nspname = 'analytics' AND c.relname LIKE 'rebuilt_ref_%'
          AND ((a.attname IS NULL AND obj_description(c.oid) IS NULL)
               OR (a.attname IS NOT NULL AND col_description(c.oid, a.attnum) IS NULL))`,
    );
    expect(rows).toEqual([]);
  });
});
