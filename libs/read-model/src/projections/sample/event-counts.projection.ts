import type pg from 'pg';
import type { RecordedEvent } from '#event-store';
import type { Projection, ProjectionContext } from '../projection.js';

/**
 * A small projection that shows the engine's contract (and that the engine's own specs and
 * the kill test run): how many events there are per event type and per stream. `handle`
 * writes event by event; the bulk path folds a whole batch in memory and writes each row once.
 * Both must leave the same rows: "last" means last in all-stream order, never the latest clock.
 */
export interface EventCountsOptions {
  name?: string;
  version?: number;
  /** Prefixes both table names, so two instances can live in one database. */
  tablePrefix?: string;
  eventTypes?: string[];
}

export const EVENT_COUNTS_DEFAULT_TYPES = ['TicketOpened', 'TicketClaimed', 'TicketClosed'];

interface Fold {
  events: number;
  last: RecordedEvent;
}

function fold(batch: RecordedEvent[], key: (event: RecordedEvent) => string): Map<string, Fold> {
  const folded = new Map<string, Fold>();
  for (const event of batch) {
    const known = folded.get(key(event));
    folded.set(key(event), { events: (known?.events ?? 0) + 1, last: event });
  }
  return folded;
}

export function eventCountsProjection(options: EventCountsOptions = {}): Projection {
  const prefix = options.tablePrefix ?? '';
  const typeTable = `${prefix}event_type_counts`;
  const streamTable = `${prefix}stream_counts`;

  const upsertType = (context: ProjectionContext): string => `
    INSERT INTO ${context.table(typeTable)} AS t (event_type, events, last_recorded_at)
    SELECT * FROM unnest($1::text[], $2::bigint[], $3::timestamptz[])
    ON CONFLICT (event_type) DO UPDATE SET events = t.events + excluded.events, last_recorded_at = excluded.last_recorded_at`;
  const upsertStream = (context: ProjectionContext): string => `
    INSERT INTO ${context.table(streamTable)} AS s (stream_id, events, last_revision, last_event_type, last_recorded_at)
    SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::text[], $5::timestamptz[])
    ON CONFLICT (stream_id) DO UPDATE SET events = s.events + excluded.events, last_revision = excluded.last_revision,
      last_event_type = excluded.last_event_type, last_recorded_at = excluded.last_recorded_at`;

  async function write(
    client: pg.PoolClient,
    context: ProjectionContext,
    byType: Map<string, Fold>,
    byStream: Map<string, Fold>,
  ): Promise<void> {
    const types = [...byType.entries()];
    await client.query(upsertType(context), [
      types.map(([type]) => type),
      types.map(([, f]) => f.events),
      types.map(([, f]) => f.last.recordedAt.toISOString()),
    ]);
    const streams = [...byStream.entries()];
    await client.query(upsertStream(context), [
      streams.map(([stream]) => stream),
      streams.map(([, f]) => f.events),
      streams.map(([, f]) => f.last.revision),
      streams.map(([, f]) => f.last.type),
      streams.map(([, f]) => f.last.recordedAt.toISOString()),
    ]);
  }

  return {
    name: options.name ?? 'event_counts',
    version: options.version ?? 1,
    eventTypes: options.eventTypes ?? EVENT_COUNTS_DEFAULT_TYPES,
    tables: [
      {
        name: typeTable,
        create: (physical) => [
          `CREATE TABLE ${physical} (event_type text PRIMARY KEY, events bigint NOT NULL, last_recorded_at timestamptz NOT NULL)`,
          `COMMENT ON TABLE ${physical} IS 'Events per event type (sample projection).'`,
          `COMMENT ON COLUMN ${physical}.event_type IS 'The event type.'`,
          `COMMENT ON COLUMN ${physical}.events IS 'How many events of this type the store holds.'`,
          `COMMENT ON COLUMN ${physical}.last_recorded_at IS 'When the store recorded the last event of this type, in all-stream order.'`,
        ],
      },
      {
        name: streamTable,
        create: (physical) => [
          `CREATE TABLE ${physical} (stream_id text PRIMARY KEY, events bigint NOT NULL, last_revision bigint NOT NULL, ` +
            `last_event_type text NOT NULL, last_recorded_at timestamptz NOT NULL)`,
          `CREATE INDEX ON ${physical} (last_event_type)`,
          `COMMENT ON TABLE ${physical} IS 'Events per stream, of the projection''s event types (sample projection).'`,
          `COMMENT ON COLUMN ${physical}.stream_id IS 'The stream, e.g. ticket-<uuid>.'`,
          `COMMENT ON COLUMN ${physical}.events IS 'How many of its events are of the projection''s types.'`,
          `COMMENT ON COLUMN ${physical}.last_revision IS 'Revision of the last such event.'`,
          `COMMENT ON COLUMN ${physical}.last_event_type IS 'Type of the last such event.'`,
          `COMMENT ON COLUMN ${physical}.last_recorded_at IS 'When the store recorded the last such event.'`,
        ],
      },
    ],
    // Event by event, as a simple projection would: two statements per event.
    async handle(batch, context) {
      for (const event of batch) {
        await write(
          context.client,
          context,
          fold([event], (e) => e.type),
          fold([event], (e) => e.streamId),
        );
      }
    },
    rebuild: {
      async handle(batch, context) {
        await write(
          context.client,
          context,
          fold(batch, (e) => e.type),
          fold(batch, (e) => e.streamId),
        );
      },
    },
  };
}
