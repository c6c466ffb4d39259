import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { uuidV5, WrongExpectedRevisionError, type EventStore, type EventToAppend } from '#event-store';
import {
  decideReference,
  decodeReferenceEvent,
  DomainError,
  EMPTY_CATALOGUE,
  encodeReferenceEvent,
  evolveCatalogue,
  planImport,
  REFERENCE_EVENT_TYPES,
  REFERENCE_STREAM_PREFIX,
  referenceStreamId,
  type ReferenceCatalogue,
  type ReferenceCommand,
  type ReferenceDecideContext,
  type ReferenceDocument,
  type ReferenceEvent,
  type ReferenceKind,
} from '#ticketing';
import { ApiError } from '../errors/api-error.js';
import { ANNOUNCE_HEAD, BUMP_VERSION, READ_HEADS, READ_VERSION, WRITE_HEAD } from './reference-heads.sql.js';

/**
 * Reference data on the event store (issue 10): each entity's events in its own stream
 * (`referenceStreamId`), the catalogue folded from them, and `reference_heads` /
 * `reference_version` in PostgreSQL so every API process sees a change as soon as the admin
 * call that made it has answered (docs/decisions.md "Reference data: read-your-writes").
 * Works the same on both event stores: only the port's readAll, readStream and append.
 */

/** A catalogue and the revision of each reference stream it folded. */
export interface LoadedCatalogue {
  catalogue: ReferenceCatalogue;
  revisions: ReadonlyMap<string, number>;
}

export interface ReferenceChangeResult {
  /** events appended (0: everything was already so) */
  written: number;
  /** entities or versions the request stated exactly as they stand */
  unchanged: number;
  catalogue: ReferenceCatalogue;
}

function referenceBusy(attempts: number): ApiError {
  return ApiError.unavailable(
    'REFERENCE_BUSY',
    `The reference data changed under this change ${attempts} times (other writers); what was decided so far stands ` +
      '(a definition equal to the stored one writes nothing): send it again.',
    { attempts, retryAfterSeconds: 1 },
  );
}

const MAX_ATTEMPTS = 10;

function fold(loaded: LoadedCatalogue, events: Array<{ streamId: string; revision: number; event: ReferenceEvent }>): LoadedCatalogue {
  let catalogue = loaded.catalogue;
  const revisions = new Map(loaded.revisions);
  for (const { streamId, revision, event } of events) {
    // A stream read twice (two refreshes racing) must not fold an event twice.
    if (revision <= (revisions.get(streamId) ?? -1)) continue;
    catalogue = evolveCatalogue(catalogue, event);
    revisions.set(streamId, revision);
  }
  return { catalogue, revisions };
}

export class ReferenceStore {
  private cached: { loaded: LoadedCatalogue; version: string } | undefined;

  constructor(
    private readonly eventStore: EventStore,
    private readonly pool: pg.Pool,
  ) {}

  /**
   * Every reference event, read through the all-stream (filtered on the reference types), then
   * any stream whose head says it has more (an append the all-stream does not show yet). For
   * the CLI and for checks; the API's hot path is `current()`.
   */
  async loadAll(): Promise<LoadedCatalogue> {
    let loaded: LoadedCatalogue = { catalogue: EMPTY_CATALOGUE, revisions: new Map() };
    let after: string | undefined;
    for (;;) {
      const page = await this.eventStore.readAll({
        after,
        filter: { streamPrefixes: [REFERENCE_STREAM_PREFIX], eventTypes: [...REFERENCE_EVENT_TYPES] },
      });
      loaded = fold(
        loaded,
        page.events.map((recorded) => ({
          streamId: recorded.streamId,
          revision: recorded.revision,
          event: decodeReferenceEvent(recorded),
        })),
      );
      after = page.nextAfter;
      if (page.isEnd || page.nextAfter === undefined) break;
    }
    return this.catchUp(loaded, await this.heads());
  }

  /**
   * The catalogue in force, for each ticket command: one read of the counter when nothing
   * changed; the heads and the grown streams when it moved.
   */
  async current(): Promise<ReferenceCatalogue> {
    return (await this.currentLoaded()).catalogue;
  }

  async currentLoaded(): Promise<LoadedCatalogue> {
    const version = await this.version();
    const cached = this.cached;
    if (cached !== undefined && cached.version === version) return cached.loaded;
    // Not shared between callers: a refresh begun before this caller's version would not be bound to include it.
    return this.refresh(version);
  }

  private async refresh(version: string): Promise<LoadedCatalogue> {
    const base = this.cached?.loaded ?? { catalogue: EMPTY_CATALOGUE, revisions: new Map<string, number>() };
    const loaded = await this.catchUp(base, await this.heads());
    if (this.cached === undefined || BigInt(this.cached.version) <= BigInt(version)) this.cached = { loaded, version };
    return loaded;
  }

  private async version(): Promise<string> {
    const { rows } = await this.pool.query<{ version: string }>(READ_VERSION);
    return rows[0]?.version ?? '0';
  }

  private async heads(): Promise<Array<{ streamId: string; revision: number }>> {
    const { rows } = await this.pool.query<{ stream_id: string; revision: number }>(READ_HEADS);
    return rows.map((row) => ({ streamId: row.stream_id, revision: row.revision }));
  }

  /** Reads each stream past the revision folded so far (every announced one: a head may lag its stream after a crash). */
  private async catchUp(loaded: LoadedCatalogue, heads: Array<{ streamId: string; revision: number }>): Promise<LoadedCatalogue> {
    let result = loaded;
    for (const { streamId, revision } of heads) {
      const known = result.revisions.get(streamId) ?? -1;
      if (revision !== -1 && revision <= known) continue;
      result = await this.readStreamInto(result, streamId);
    }
    return result;
  }

  private async readStreamInto(loaded: LoadedCatalogue, streamId: string): Promise<LoadedCatalogue> {
    const known = loaded.revisions.get(streamId) ?? -1;
    const recorded = await this.eventStore.readStream(streamId, { fromRevision: known + 1 });
    return fold(
      loaded,
      recorded.map((event) => ({ streamId, revision: event.revision, event: decodeReferenceEvent(event) })),
    );
  }

  /** One command (API PUT/DELETE of one entity). */
  async decide(
    command: ReferenceCommand,
    context: ReferenceDecideContext,
    commandId: string = randomUUID(),
  ): Promise<ReferenceChangeResult> {
    return this.write(commandId, (catalogue) => {
      const decision = decideReference(catalogue, command, context);
      if (decision instanceof DomainError) return decision;
      return { events: decision.map((event) => ({ kind: command.kind, id: command.id, event })), unchanged: decision.length === 0 ? 1 : 0 };
    });
  }

  /** A whole document (API PUT /admin/reference, `cli ref import`): planned whole, then appended. */
  async importDocument(
    document: Partial<ReferenceDocument>,
    context: ReferenceDecideContext,
    commandId: string = randomUUID(),
  ): Promise<ReferenceChangeResult> {
    return this.write(commandId, (catalogue) => planImport(catalogue, document, context));
  }

  /**
   * Decides on the current catalogue and appends each event with its stream's expected
   * revision. A lost race reloads the stream it lost on and decides again: equal definitions
   * write nothing, so events already appended by the earlier round are not written twice.
   */
  private async write(
    commandId: string,
    plan: (
      catalogue: ReferenceCatalogue,
    ) => { events: Array<{ kind: ReferenceKind; id: string; event: ReferenceEvent }>; unchanged: number } | DomainError,
  ): Promise<ReferenceChangeResult> {
    let loaded = await this.currentLoaded();
    let written = 0;
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const decided = plan(loaded.catalogue);
      if (decided instanceof DomainError) throw decided;
      try {
        for (const { kind, id, event } of decided.events) {
          const streamId = referenceStreamId(kind, id);
          const known = loaded.revisions.get(streamId);
          const eventId = uuidV5(`${streamId}:${(known ?? -1) + 1}`, commandId);
          if (known === undefined) await this.pool.query(ANNOUNCE_HEAD.text, [streamId]);
          // The domain's events are plain JSON by construction: the encoded shape is the port's EventToAppend.
          const encoded = encodeReferenceEvent(event, eventId, commandId) as EventToAppend;
          const appended = await this.eventStore.append(streamId, [encoded], {
            expectedRevision: known ?? 'no_stream',
          });
          await this.writeHead(streamId, appended.nextExpectedRevision);
          loaded = fold(loaded, [{ streamId, revision: appended.nextExpectedRevision, event }]);
          if (!appended.alreadyAppended) written += 1;
        }
        return { written, unchanged: decided.unchanged, catalogue: loaded.catalogue };
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
        loaded = await this.readStreamInto(loaded, error.streamId);
        if (typeof error.actual === 'number') await this.writeHead(error.streamId, error.actual);
      }
    }
    throw referenceBusy(MAX_ATTEMPTS);
  }

  private async writeHead(streamId: string, revision: number): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(WRITE_HEAD.text, [streamId, revision]);
      await client.query(BUMP_VERSION.text);
      await client.query('COMMIT');
    } catch (error) {
      try {
        await client.query('ROLLBACK');
      } catch (rollbackError) {
        throw new AggregateError([error, rollbackError], 'writing a reference head failed, and so did its rollback', {
          cause: rollbackError,
        });
      }
      throw error;
    } finally {
      client.release();
    }
  }
}
