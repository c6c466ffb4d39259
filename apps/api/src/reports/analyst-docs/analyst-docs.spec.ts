import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TICKET_HISTORIES, TICKET_TABLES } from '#projections/tickets/tables.js';
import { DOCUMENTED_REPORTS, renderAnalystDocs } from './analyst-docs.js';

const DOC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../../docs/for-analysts.md');

describe('docs/for-analysts.md', () => {
  const doc = readFileSync(DOC, 'utf8');

  it('is the rendering of the current tables and report SQL (regenerate with write-analyst-docs)', () => {
    expect(doc).toBe(renderAnalystDocs());
  });

  it('describes every view and column with its comment', () => {
    for (const table of TICKET_TABLES.filter((t) => t !== TICKET_HISTORIES)) {
      expect(doc).toContain(`### analytics.${table.name}`);
      for (const [column] of table.columns) expect({ table: table.name, column, found: doc.includes(`| \`${column}\` |`) }).toEqual({ table: table.name, column, found: true });
    }
  });

  it('prints the SQL of every report endpoint', () => {
    for (const report of DOCUMENTED_REPORTS) expect(doc).toContain(report.sql);
  });
});
