import type pg from 'pg';
import type { DataSource } from 'typeorm';
import { migrateEventStore } from '#event-store/postgres/index.js';
import { migrateReadModel } from '#read-model';

export interface MigrationReport {
  eventStoreVersion: number;
  eventStoreApplied: number[];
  readModelApplied: string[];
}

/** Brings both schemas up to date: the event store's own, then the read store's TypeORM migrations. */
export async function migrateDatabase(eventStorePool: pg.Pool, dataSource: DataSource): Promise<MigrationReport> {
  const eventStore = await migrateEventStore(eventStorePool);
  const readModelApplied = await migrateReadModel(dataSource);
  return { eventStoreVersion: eventStore.version, eventStoreApplied: eventStore.applied, readModelApplied };
}
