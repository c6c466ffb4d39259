import type pg from 'pg';
import type { RecordedEvent } from '#event-store';
import { decodeReferenceEvent, isReferenceEventType, TICKET_STREAM_PREFIX, versionId, type ReferenceEvent } from '#ticketing';
import type { ReferenceTableName } from './tables.js';

/** The physical name of one of the projection's tables, by its base name. */
export type ReferenceTable = (name: ReferenceTableName) => string;

/** The fields of ticket events that carry reference names, and the kind each names (ref_seen_names). */
const NAME_FIELDS: ReadonlyArray<readonly [field: string, kind: string]> = [
  ['unitId', 'unit'],
  ['toUnitId', 'unit'],
  ['userId', 'user'],
  ['assignedBy', 'user'],
  ['category', 'category'],
  ['priority', 'priority'],
  ['channel', 'channel'],
  ['customerTier', 'customerTier'],
];

interface SeenName {
  kind: string;
  name: string;
  ticket_id: string;
  /** the earliest use (of the entries merged per ticket) */
  seen_at: string;
  /** the latest use, once merged */
  last_seen_at?: string;
}

export function seenNames(event: RecordedEvent): SeenName[] {
  const occurredAt = event.metadata.occurredAt;
  if (typeof occurredAt !== 'string') throw new Error(`${event.streamId}@${event.revision} ${event.type}: no occurredAt in its metadata`);
  const ticketId = event.streamId.slice(TICKET_STREAM_PREFIX.length);
  const seen: SeenName[] = [];
  for (const [field, kind] of NAME_FIELDS) {
    const name = event.data[field];
    if (typeof name === 'string' && name !== '') seen.push({ kind, name, ticket_id: ticketId, seen_at: occurredAt });
  }
  return seen;
}

/**
 * Applies a batch in all-stream order: each reference event changes its rows as it comes;
 * the names of the ticket events are counted once for the batch (counts, earliest and latest
 * instants add up the same in any batching, so batch size 1 and a rebuild agree).
 */
export async function applyReferenceEvents(client: pg.PoolClient, table: ReferenceTable, batch: readonly RecordedEvent[]): Promise<void> {
  const seen: SeenName[] = [];
  let categoriesChanged = false;
  for (const recorded of batch) {
    if (isReferenceEventType(recorded.type)) {
      const event = decodeReferenceEvent(recorded);
      await applyReferenceEvent(client, table, event);
      categoriesChanged ||= event.type === 'CategoryDefined' || event.type === 'CategoryRetired';
    } else if (recorded.streamId.startsWith(TICKET_STREAM_PREFIX)) {
      seen.push(...seenNames(recorded));
    }
  }
  if (categoriesChanged) await client.query(categoryPathsSql(table));
  if (seen.length > 0) await client.query(seenNamesSql(table), [JSON.stringify(perTicket(seen))]);
}

/**
 * One entry per ticket and name with its earliest and latest use: the statement's input, several times smaller than one per event.
 * Keyed by ticket, then kind and name in nested maps (no key string built per entry), instants compared parsed once.
 */
function perTicket(seen: readonly SeenName[]): SeenName[] {
  const merged: SeenName[] = [];
  const byTicket = new Map<string, Map<string, Map<string, { entry: SeenName; first: number; last: number }>>>();
  for (const entry of seen) {
    let kinds = byTicket.get(entry.ticket_id);
    if (kinds === undefined) byTicket.set(entry.ticket_id, (kinds = new Map()));
    let names = kinds.get(entry.kind);
    if (names === undefined) kinds.set(entry.kind, (names = new Map()));
    const at = Date.parse(entry.seen_at);
    const known = names.get(entry.name);
    if (known === undefined) {
      const first = { ...entry, last_seen_at: entry.seen_at };
      names.set(entry.name, { entry: first, first: at, last: at });
      merged.push(first);
      continue;
    }
    if (at < known.first) {
      known.first = at;
      known.entry.seen_at = entry.seen_at;
    }
    if (at > known.last) {
      known.last = at;
      known.entry.last_seen_at = entry.seen_at;
    }
  }
  return merged;
}

/** Paths and depths of the whole tree again: a moved category moves its subtree (the tree is small). */
function categoryPathsSql(table: ReferenceTable): string {
  const categories = table('ref_categories');
  return `WITH RECURSIVE tree AS (
            SELECT category_id, category_id AS path, 0 AS depth FROM ${categories} WHERE parent_id IS NULL
            UNION ALL
            SELECT c.category_id, tree.path || ' > ' || c.category_id, tree.depth + 1
              FROM ${categories} c JOIN tree ON c.parent_id = tree.category_id)
          UPDATE ${categories} c SET path = tree.path, depth = tree.depth
            FROM tree WHERE tree.category_id = c.category_id AND (c.path, c.depth) IS DISTINCT FROM (tree.path, tree.depth)`;
}

/**
 * One statement per batch: the (ticket, name) pairs a ticket had not used before are what the
 * counts grow by; the tickets' name lists take the new pairs. All CTEs read the snapshot before
 * the statement, so `known` is each ticket's list as the batch found it.
 */
function seenNamesSql(table: ReferenceTable): string {
  const names = table('ref_seen_names');
  const tickets = table('ref_seen_tickets');
  return `WITH input AS (
            SELECT kind, name, ticket_id, seen_at, last_seen_at, kind || '/' || name AS pair
              FROM jsonb_to_recordset($1::jsonb) AS x(kind text, name text, ticket_id text, seen_at timestamptz, last_seen_at timestamptz)),
          used AS (SELECT ticket_id, kind, name, pair FROM input),
          known AS (SELECT t.ticket_id, t.names FROM ${tickets} t WHERE t.ticket_id IN (SELECT ticket_id FROM used)),
          fresh AS (
            SELECT u.kind, u.name, u.ticket_id, u.pair FROM used u LEFT JOIN known k ON k.ticket_id = u.ticket_id
             WHERE k.names IS NULL OR NOT k.names ? u.pair),
          fresh_lists AS (SELECT ticket_id, jsonb_agg(pair) AS pairs FROM fresh GROUP BY ticket_id),
          lists AS (
            INSERT INTO ${tickets} (ticket_id, names)
            SELECT f.ticket_id,
                   (SELECT jsonb_agg(p ORDER BY p) FROM jsonb_array_elements_text(coalesce(k.names, '[]'::jsonb) || f.pairs) AS p)
              FROM fresh_lists f LEFT JOIN known k ON k.ticket_id = f.ticket_id
            ON CONFLICT (ticket_id) DO UPDATE SET names = excluded.names),
          counted AS (SELECT kind, name, count(*)::int AS tickets FROM fresh GROUP BY kind, name)
          INSERT INTO ${names} (kind, name, first_seen_at, last_seen_at, ticket_count)
          SELECT i.kind, i.name, min(i.seen_at), max(i.last_seen_at), coalesce(max(c.tickets), 0)
            FROM input i LEFT JOIN counted c ON c.kind = i.kind AND c.name = i.name
           GROUP BY i.kind, i.name
          ON CONFLICT (kind, name) DO UPDATE SET
            first_seen_at = least(${names}.first_seen_at, excluded.first_seen_at),
            last_seen_at = greatest(${names}.last_seen_at, excluded.last_seen_at),
            ticket_count = ${names}.ticket_count + excluded.ticket_count`;
}

const upsert = (physical: string, key: string[], columns: string[]): string =>
  `INSERT INTO ${physical} (${columns.join(', ')}) VALUES (${columns.map((_, index) => `$${index + 1}`).join(', ')})
   ON CONFLICT (${key.join(', ')}) DO UPDATE SET ${columns
     .filter((column) => !key.includes(column))
     .map((column) => `${column} = excluded.${column}`)
     .join(', ')}`;

async function applyReferenceEvent(client: pg.PoolClient, table: ReferenceTable, event: ReferenceEvent): Promise<void> {
  const at = event.occurredAt;
  switch (event.type) {
    case 'UnitDefined': {
      const { id, by, definition: d } = event.data;
      const columns = ['unit_id', 'name', 'calendar_id', 'parent_unit_id', 'escalation_contacts', 'changed_by', 'changed_at'];
      await client.query(upsert(table('ref_units'), ['unit_id'], columns), [
        id,
        d.name,
        d.calendar,
        d.parentUnit,
        JSON.stringify(d.escalationContacts),
        by,
        at,
      ]);
      return;
    }
    case 'UserDefined': {
      const { id, by, definition: d } = event.data;
      await client.query(upsert(table('ref_users'), ['user_id'], ['user_id', 'name', 'changed_by', 'changed_at']), [id, d.name, by, at]);
      await client.query(`DELETE FROM ${table('ref_memberships')} WHERE user_id = $1`, [id]);
      for (const membership of d.memberships) {
        await client.query(
          `INSERT INTO ${table('ref_memberships')} (user_id, unit_id, supervisor, changed_by, changed_at) VALUES ($1, $2, $3, $4, $5)`,
          [id, membership.unit, membership.supervisor, by, at],
        );
      }
      return;
    }
    case 'CategoryDefined': {
      const { id, by, definition: d } = event.data;
      // path and depth are set for the whole tree at the end of the batch.
      const columns = ['category_id', 'name', 'parent_id', 'path', 'depth', 'changed_by', 'changed_at'];
      await client.query(upsert(table('ref_categories'), ['category_id'], columns), [id, d.name, d.parent, id, 0, by, at]);
      return;
    }
    case 'PriorityDefined': {
      const { id, by, definition: d } = event.data;
      const columns = ['priority_id', 'name', 'rank', 'changed_by', 'changed_at'];
      await client.query(upsert(table('ref_priorities'), ['priority_id'], columns), [id, d.name, d.rank, by, at]);
      return;
    }
    case 'ChannelDefined': {
      const { id, by, definition: d } = event.data;
      await client.query(upsert(table('ref_channels'), ['channel_id'], ['channel_id', 'name', 'changed_by', 'changed_at']), [
        id,
        d.name,
        by,
        at,
      ]);
      return;
    }
    case 'CustomerTierDefined': {
      const { id, by, definition: d } = event.data;
      const columns = ['tier_id', 'name', 'rank', 'changed_by', 'changed_at'];
      await client.query(upsert(table('ref_customer_tiers'), ['tier_id'], columns), [id, d.name, d.rank, by, at]);
      return;
    }
    case 'UnitRetired':
      await client.query(`DELETE FROM ${table('ref_units')} WHERE unit_id = $1`, [event.data.id]);
      return;
    case 'UserRetired':
      await client.query(`DELETE FROM ${table('ref_memberships')} WHERE user_id = $1`, [event.data.id]);
      await client.query(`DELETE FROM ${table('ref_users')} WHERE user_id = $1`, [event.data.id]);
      return;
    case 'CategoryRetired':
      await client.query(`DELETE FROM ${table('ref_categories')} WHERE category_id = $1`, [event.data.id]);
      return;
    case 'PriorityRetired':
      await client.query(`DELETE FROM ${table('ref_priorities')} WHERE priority_id = $1`, [event.data.id]);
      return;
    case 'ChannelRetired':
      await client.query(`DELETE FROM ${table('ref_channels')} WHERE channel_id = $1`, [event.data.id]);
      return;
    case 'CustomerTierRetired':
      await client.query(`DELETE FROM ${table('ref_customer_tiers')} WHERE tier_id = $1`, [event.data.id]);
      return;
    case 'CalendarDefined': {
      const { id, by, version, definition: d } = event.data;
      const columns = ['calendar_id', 'version', 'version_id', 'name', 'effective_from', 'definition', 'changed_by', 'changed_at'];
      await client.query(upsert(table('ref_calendar_versions'), ['calendar_id', 'version'], columns), [
        id,
        version,
        versionId(id, version),
        d.name,
        d.effectiveFrom,
        JSON.stringify(d.definition),
        by,
        at,
      ]);
      return;
    }
    case 'SlaPolicyDefined': {
      const { id, by, version, definition: d } = event.data;
      const { claim, response, resolution } = d.targets;
      await client.query(upsert(table('ref_sla_policy_versions'), ['policy_id', 'version'], POLICY_COLUMNS), [
        id,
        version,
        versionId(id, version),
        false,
        d.name,
        d.effectiveFrom,
        d.order,
        d.match.category ?? null,
        d.match.priority ?? null,
        d.match.channel ?? null,
        d.match.customerTier ?? null,
        claim?.seconds ?? null,
        claim?.time ?? null,
        response?.seconds ?? null,
        response?.time ?? null,
        resolution?.seconds ?? null,
        resolution?.time ?? null,
        d.calendar,
        by,
        at,
      ]);
      return;
    }
    case 'SlaPolicyRetired': {
      const { id, by, version, effectiveFrom } = event.data;
      const policies = table('ref_sla_policy_versions');
      const kept = POLICY_COLUMNS.slice(4).filter((column) => !['effective_from', 'changed_by', 'changed_at'].includes(column));
      // The retirement keeps the terms it retires (as the catalogue does), from the version before it.
      await client.query(
        `INSERT INTO ${policies} (policy_id, version, version_id, retired, effective_from, changed_by, changed_at, ${kept.join(', ')})
         SELECT policy_id, $2, $3, true, $4, $5, $6, ${kept.join(', ')}
           FROM ${policies} WHERE policy_id = $1 AND version = $2 - 1
         ON CONFLICT (policy_id, version) DO NOTHING`,
        [id, version, versionId(id, version), effectiveFrom, by, at],
      );
      return;
    }
    case 'EscalationRuleDefined':
    case 'EscalationRuleRetired':
      // No analytics table for escalation rules yet: the admin API and `ref export` show them; escalations carry their ruleId.
      return;
    default: {
      const unhandled: never = event;
      throw new Error(`unhandled reference event ${JSON.stringify(unhandled)}`);
    }
  }
}

const POLICY_COLUMNS = [
  'policy_id',
  'version',
  'version_id',
  'retired',
  'name',
  'effective_from',
  'match_order',
  'match_category',
  'match_priority',
  'match_channel',
  'match_customer_tier',
  'claim_seconds',
  'claim_time',
  'response_seconds',
  'response_time',
  'resolution_seconds',
  'resolution_time',
  'calendar_id',
  'changed_by',
  'changed_at',
];
