import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEADLINE_TICKETS } from '#projections/deadlines/tables.js';
import { NOTIFICATION_TICKETS } from '#projections/notifications/tables.js';
import { REF_SEEN_TICKETS } from '#projections/reference/tables.js';
import { TICKET_HISTORIES } from '#projections/tickets/tables.js';
import { UNIT_DAY_TICKETS } from '#projections/unit-days/tables.js';
import { DOCUMENTED_REPORTS, DOCUMENTED_VIEWS, renderAnalystDocs } from './analyst-docs.js';

const DOC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../../docs/for-analysts.md');

describe('docs/for-analysts.md', () => {
  const doc = readFileSync(DOC, 'utf8');

  it('is the rendering of the current tables and report SQL (regenerate with write-analyst-docs)', () => {
    expect(doc).toBe(renderAnalystDocs());
  });

  it('describes every view of the projections and each column with its comment, and no internal state', () => {
    expect(DOCUMENTED_VIEWS.map((table) => table.name)).toEqual(
      expect.arrayContaining([
        'tickets',
        'stints',
        'unit_days',
        'unit_day_changes',
        'unit_days_zone',
        'ref_units',
        'ref_seen_names',
        'open_deadlines',
        'notifications',
      ]),
    );
    for (const table of DOCUMENTED_VIEWS) {
      expect(doc).toContain(`### analytics.${table.name}\n\n${table.comment}\n`);
      for (const [column, , comment] of table.columns) {
        expect({
          table: table.name,
          column,
          found: doc.includes(`| \`${column}\` |`) && doc.includes(comment.replace(/\|/g, '\\|')),
        }).toEqual({ table: table.name, column, found: true });
      }
    }
    for (const internal of [TICKET_HISTORIES, UNIT_DAY_TICKETS, REF_SEEN_TICKETS, DEADLINE_TICKETS, NOTIFICATION_TICKETS])
      expect(doc).not.toContain(`### analytics.${internal.name}`);
  });

  it('prints the SQL of every report endpoint', () => {
    for (const report of DOCUMENTED_REPORTS) expect(doc).toContain(report.sql);
  });
});
