import { migrateDatabase } from '#platform';
import { withDatabase } from '../cli-database.js';

/** `migrate`: opening the database migrates it already; this says what was done. */
export async function migrateCommand(): Promise<void> {
  await withDatabase(async ({ eventStorePool, dataSource }) => {
    const report = await migrateDatabase(eventStorePool, dataSource);
    process.stdout.write(`event store schema: version ${report.eventStoreVersion}\nread store: all migrations applied\n`);
  });
}
