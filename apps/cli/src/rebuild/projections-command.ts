import { migrateProjections, readProjectionStatus, type ProjectionVersionStatus } from '#read-model/projections/index.js';
import { withDatabase } from '../cli-database.js';
import { parseOptions } from './parse-options.js';

function lag(status: ProjectionVersionStatus): string {
  if (status.lagEvents === null) return '-';
  return `${status.lagEventsExact ? '' : '≥'}${status.lagEvents.toLocaleString('en-US')}`;
}

/** The same figures as GET /projections, as a table. */
export function statusTable(statuses: ProjectionVersionStatus[]): string {
  const rows = [
    ['NAME', 'VERSION', 'STATE', 'POSITION', 'APPLIED', 'LAG EVENTS', 'LAG SECONDS', 'UPDATED'],
    ...statuses.map((status) => [
      status.name,
      status.definitionVersion === status.version ? String(status.version) : `${status.version} (def ${status.definitionVersion})`,
      status.state,
      status.position ?? '-',
      status.eventsApplied.toLocaleString('en-US'),
      lag(status),
      status.lagSeconds === null ? '-' : status.lagSeconds.toFixed(1),
      status.updatedAt.toISOString(),
    ]),
  ];
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column]))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** `projections [--json]`: every projection version with its state, position and lag. */
export async function projectionsCommand(args: string[]): Promise<void> {
  const json = parseOptions({ args, strict: true, options: { json: { type: 'boolean' } } }, 'projections [--json]').values.json === true;
  const statuses = await withDatabase(async ({ eventStorePool, eventStore }) => {
    await migrateProjections(eventStorePool);
    return readProjectionStatus(eventStorePool, eventStore, new Date());
  });
  if (json) process.stdout.write(`${JSON.stringify(statuses, null, 2)}\n`);
  else
    process.stdout.write(
      statuses.length === 0 ? 'No projection has run yet (npm start runs them, or the projector).\n' : `${statusTable(statuses)}\n`,
    );
}
