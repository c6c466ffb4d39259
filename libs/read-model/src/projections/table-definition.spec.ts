import { describe, expect, it } from '@jest/globals';
import { createTableSql, defineTable, recordColumns, type RowOf } from './table-definition.js';

const VISITS = defineTable({
  name: 'visits',
  comment: 'Visits of a customer.',
  primaryKey: ['visit_id'],
  indexes: [['customer'], { columns: ['at'], include: ['customer'], where: 'NOT cancelled' }],
  columns: [
    ['visit_id', 'uuid NOT NULL', 'The visit.'],
    ['customer', 'text NOT NULL', "Who came; it's a name."],
    ['at', 'timestamptz NOT NULL', 'When.'],
    ['minutes', 'double precision', 'How long, if known.'],
    ['cancelled', 'boolean NOT NULL', 'Called off.'],
    ['notes', 'jsonb', 'Anything else.'],
  ],
});

type Visit = RowOf<typeof VISITS>;

describe('a table declared as data', () => {
  it('creates the table with a COMMENT ON the table and on every column, and its indexes', () => {
    expect(createTableSql(VISITS, 'projections.visits_v3')).toEqual([
      'CREATE TABLE projections.visits_v3 (visit_id uuid NOT NULL, customer text NOT NULL, at timestamptz NOT NULL, ' +
        'minutes double precision, cancelled boolean NOT NULL, notes jsonb, PRIMARY KEY (visit_id))',
      `COMMENT ON TABLE projections.visits_v3 IS 'Visits of a customer.'`,
      `COMMENT ON COLUMN projections.visits_v3.visit_id IS 'The visit.'`,
      `COMMENT ON COLUMN projections.visits_v3.customer IS 'Who came; it''s a name.'`,
      `COMMENT ON COLUMN projections.visits_v3.at IS 'When.'`,
      `COMMENT ON COLUMN projections.visits_v3.minutes IS 'How long, if known.'`,
      `COMMENT ON COLUMN projections.visits_v3.cancelled IS 'Called off.'`,
      `COMMENT ON COLUMN projections.visits_v3.notes IS 'Anything else.'`,
      'CREATE INDEX projections_visits_v3_customer_idx ON projections.visits_v3 (customer)',
      'CREATE INDEX projections_visits_v3_at_covering_partial_idx ON projections.visits_v3 (at) INCLUDE (customer) WHERE NOT cancelled',
    ]);
  });

  it('gives a record’s column list the declared types, without NOT NULL', () => {
    expect(recordColumns(VISITS, ['visit_id', 'minutes', 'notes'])).toBe('visit_id uuid, minutes double precision, notes jsonb');
    // @ts-expect-error: not a column of the table
    expect(() => recordColumns(VISITS, ['visitor'])).toThrow('table visits has no column visitor');
  });

  it('types a row by the declaration: every column, its SQL type’s value, null only where the column allows it', () => {
    const visit: Visit = {
      visit_id: 'v-1',
      customer: 'cust-57',
      at: '2026-11-20T09:00:00.000Z',
      minutes: null,
      cancelled: false,
      notes: { floor: 2 },
    };
    const misspelt: Visit = {
      visit_id: 'v-1',
      // @ts-expect-error: a misspelt column (jsonb_populate_recordset would leave `customer` NULL)
      custmer: 'cust-57',
      at: '2026-11-20T09:00:00.000Z',
      minutes: null,
      cancelled: false,
      notes: null,
    };
    // @ts-expect-error: a column left out
    const missing: Visit = { visit_id: 'v-1', at: '2026-11-20T09:00:00.000Z', minutes: null, cancelled: false, notes: null };
    // @ts-expect-error: null in a NOT NULL column
    const nulled: Visit = { visit_id: 'v-1', customer: null, at: '2026-11-20T09:00:00.000Z', minutes: null, cancelled: false, notes: null };
    // @ts-expect-error: a number where the column is boolean
    const mistyped: Visit = { visit_id: 'v-1', customer: 'cust-57', at: '2026-11-20T09:00:00.000Z', minutes: 3, cancelled: 0, notes: null };
    expect(Object.keys(visit)).toEqual(VISITS.columns.map(([name]) => name));
    expect([misspelt, missing, nulled, mistyped].every((row) => row.visit_id === 'v-1')).toBe(true);
  });

  it('refuses a key or index on a column it does not declare', () => {
    const table = () =>
      defineTable({
        name: 'broken',
        comment: 'A key on nothing.',
        // @ts-expect-error: not a declared column
        primaryKey: ['id'],
        // @ts-expect-error: not a declared column
        indexes: [['created']],
        columns: [['key', 'text NOT NULL', 'The key.']],
      });
    expect(createTableSql(table(), 'x.broken')[0]).toBe('CREATE TABLE x.broken (key text NOT NULL, PRIMARY KEY (id))');
  });
});
