import type pg from 'pg';
import type { ProjectionLog } from './log.js';
import type { Projection } from './projection.js';
import {
  DELETE_VERSION,
  INSERT_VERSION,
  LIST_CHECKPOINTS,
  LOCK_VERSIONS,
  MARK_LIVE,
  NEXT_VERSION,
  RETIRE_VERSION,
  TAKE_CATALOG_LOCK,
  type CheckpointRow,
  type VersionState,
} from './schema/checkpoints.js';
import { inTransaction } from './transaction.js';
import { createVersionTables, dropVersionTables } from './version-tables.js';
import { switchViews } from './views.js';

/**
 * The set of versions of each projection: which exist, which is live, which is building.
 * Every change happens under the projection's catalog lock in one transaction with its DDL,
 * so a version is never half-created and never two are live.
 *
 * The first version of a projection is live from the start (there is nothing older for the
 * views to read meanwhile; `GET /projections` shows its lag). A later version builds beside
 * the live one and is switched to once it has caught up.
 */

/** A version this process should run, with the definition that builds it. */
export interface PlannedVersion {
  projection: Projection;
  version: number;
  state: Exclude<VersionState, 'retired'>;
}

async function lockVersions(client: pg.PoolClient, name: string): Promise<CheckpointRow[]> {
  await client.query({ ...TAKE_CATALOG_LOCK, values: [name] });
  return (await client.query<CheckpointRow>({ ...LOCK_VERSIONS, values: [name] })).rows;
}

async function createVersion(
  client: pg.PoolClient,
  projection: Projection,
  state: 'live' | 'building',
  previousLive: CheckpointRow | undefined,
): Promise<number> {
  const { rows } = await client.query<{ version: number }>({ ...NEXT_VERSION, values: [projection.name, projection.version] });
  const version = rows[0].version;
  await client.query({
    ...INSERT_VERSION,
    values: [projection.name, version, projection.version, state, projection.eventTypes, projection.tables.map((table) => table.name)],
  });
  await createVersionTables(client, projection, version);
  if (state === 'live') await switchViews(client, projection, version, previousLive?.tables ?? []);
  return version;
}

async function promote(
  client: pg.PoolClient,
  projection: Projection,
  version: number,
  previousLive: CheckpointRow | undefined,
): Promise<void> {
  if (previousLive) await client.query({ ...RETIRE_VERSION, values: [projection.name, previousLive.version] });
  await client.query({ ...MARK_LIVE, values: [projection.name, version] });
  await switchViews(client, projection, version, previousLive?.tables ?? []);
}

/** Building versions of an older definition than the newest registered are abandoned. */
async function retireOutdatedBuilds(
  client: pg.PoolClient,
  rows: CheckpointRow[],
  newest: Projection,
  log: ProjectionLog,
): Promise<CheckpointRow[]> {
  const kept: CheckpointRow[] = [];
  for (const row of rows) {
    if (row.state === 'building' && row.definition_version < newest.version) {
      await client.query({ ...RETIRE_VERSION, values: [row.name, row.version] });
      log('info', 'abandoned the build of an older definition', {
        projection: row.name,
        version: row.version,
        definitionVersion: row.definition_version,
        newest: newest.version,
      });
    } else if (row.state !== 'retired') {
      kept.push(row);
    }
  }
  return kept;
}

/**
 * Makes sure the newest registered definition of a projection has a version (live, or
 * building beside the live one) and says which versions this process should run: the newest
 * definition's, and the live one while its definition is registered too.
 */
export async function planProjection(pool: pg.Pool, definitions: readonly Projection[], log: ProjectionLog): Promise<PlannedVersion[]> {
  const newest = definitions.reduce((best, candidate) => (candidate.version > best.version ? candidate : best));
  const byDefinition = new Map(definitions.map((definition) => [definition.version, definition]));
  return inTransaction(pool, async (client) => {
    let active = await retireOutdatedBuilds(client, await lockVersions(client, newest.name), newest, log);
    const live = active.find((row) => row.state === 'live');
    if (live && live.definition_version > newest.version) {
      log('warn', 'a newer definition of this projection is live; this process has an older one and runs nothing for it', {
        projection: newest.name,
        liveVersion: live.version,
        liveDefinitionVersion: live.definition_version,
        registeredDefinitionVersion: newest.version,
      });
      return [];
    }
    const building = active.find((row) => row.state === 'building' && row.definition_version === newest.version);
    if (!live && building) {
      // The live version is gone (dropped by hand): nothing better to serve than this build.
      await promote(client, newest, building.version, undefined);
      log('info', 'a build was made live: no other version was', { projection: newest.name, version: building.version });
    } else if (!live || (live.definition_version < newest.version && !building)) {
      const state = live ? 'building' : 'live';
      const version = await createVersion(client, newest, state, live);
      log('info', state === 'live' ? 'created the first version of a projection' : 'building a new version beside the live one', {
        projection: newest.name,
        version,
        definitionVersion: newest.version,
        ...(live ? { liveVersion: live.version } : {}),
      });
    }
    active = (await client.query<CheckpointRow>({ ...LOCK_VERSIONS, values: [newest.name] })).rows.filter((row) => row.state !== 'retired');
    const planned: PlannedVersion[] = [];
    for (const row of active) {
      const definition = byDefinition.get(row.definition_version);
      if (!definition) continue;
      if (row.state === 'live' || row.definition_version === newest.version)
        planned.push({ projection: definition, version: row.version, state: row.state === 'live' ? 'live' : 'building' });
    }
    return planned;
  });
}

/** What `promoteWhenCaughtUp` found. */
export type PromotionOutcome = 'live' | 'already_live' | 'moved' | 'retired' | 'missing';

/**
 * A building version that has caught up becomes live: the old live version is retired and
 * the views switch, in one transaction. Refused when the checkpoint is no longer at
 * `position` (another runner moved it: the caller reloads).
 */
export async function promoteWhenCaughtUp(
  pool: pg.Pool,
  projection: Projection,
  version: number,
  position: string | null,
): Promise<PromotionOutcome> {
  return inTransaction(pool, async (client) => {
    const rows = await lockVersions(client, projection.name);
    const own = rows.find((row) => row.version === version);
    if (!own) return 'missing';
    if (own.state === 'retired') return 'retired';
    if (own.state === 'live') return 'already_live';
    if (own.position !== position) return 'moved';
    await promote(
      client,
      projection,
      version,
      rows.find((row) => row.state === 'live'),
    );
    return 'live';
  });
}

export interface RebuildStart {
  version: number;
  /** true when an interrupted build of the same definition was found and is continued */
  resumed: boolean;
  state: 'live' | 'building';
}

/**
 * `cli rebuild`: a fresh version of the newest definition, built from zero beside the live
 * one — or the interrupted build of that definition, continued from its checkpoint.
 */
export async function startRebuild(pool: pg.Pool, projection: Projection, log: ProjectionLog): Promise<RebuildStart> {
  return inTransaction(pool, async (client) => {
    const active = await retireOutdatedBuilds(client, await lockVersions(client, projection.name), projection, log);
    const building = active.find((row) => row.state === 'building' && row.definition_version === projection.version);
    if (building) return { version: building.version, resumed: true, state: 'building' };
    const live = active.find((row) => row.state === 'live');
    const state = live ? 'building' : 'live';
    return { version: await createVersion(client, projection, state, live), resumed: false, state };
  });
}

export interface DroppedVersion {
  name: string;
  version: number;
  tables: string[];
}

/**
 * Drops the tables of retired versions and forgets them (`cli rebuild --drop-retired`).
 * Retired tables are otherwise kept: a switch can be looked into, or undone by hand.
 */
export async function dropRetiredVersions(pool: pg.Pool, name?: string): Promise<DroppedVersion[]> {
  const names = [
    ...new Set(
      (await listCheckpoints(pool))
        .filter((row) => row.state === 'retired' && (name === undefined || row.name === name))
        .map((row) => row.name),
    ),
  ];
  const dropped: DroppedVersion[] = [];
  for (const projection of names) {
    const versions = await inTransaction(pool, async (client) => {
      const done: DroppedVersion[] = [];
      for (const row of await lockVersions(client, projection)) {
        if (row.state !== 'retired') continue;
        const tables = await dropVersionTables(client, row.tables, row.version);
        await client.query({ ...DELETE_VERSION, values: [row.name, row.version] });
        done.push({ name: row.name, version: row.version, tables });
      }
      return done;
    });
    dropped.push(...versions);
  }
  return dropped;
}

export async function listCheckpoints(pool: pg.Pool): Promise<CheckpointRow[]> {
  return (await pool.query<CheckpointRow>(LIST_CHECKPOINTS)).rows;
}
