import { randomBytes, randomUUID } from 'node:crypto';
import type pg from 'pg';
import { migrateNotifications } from './schema.js';

/** A webhook as the admin API lists it: never its secret. */
export interface WebhookView {
  id: string;
  url: string;
  kinds: string[];
  active: boolean;
  createdAt: string;
  createdBy: string;
}

/** The answer to creating one: the secret, this once. */
export interface CreatedWebhook extends WebhookView {
  secret: string;
}

interface WebhookRow {
  id: string;
  url: string;
  kinds: string[];
  active: boolean;
  created_at: Date;
  created_by: string;
}

function viewOf(row: WebhookRow): WebhookView {
  return {
    id: row.id,
    url: row.url,
    kinds: row.kinds,
    active: row.active,
    createdAt: row.created_at.toISOString(),
    createdBy: row.created_by,
  };
}

/** A secret of 32 random bytes, prefixed so it is recognised in a leaked config file. */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

/** The webhooks table (schema.ts). Validation of url and kinds is the caller's (the API's DTO). */
export class Webhooks {
  private migrated: Promise<void> | undefined;

  constructor(private readonly pool: pg.Pool) {}

  private ready(): Promise<void> {
    this.migrated ??= migrateNotifications(this.pool).catch((error: unknown) => {
      this.migrated = undefined;
      throw error;
    });
    return this.migrated;
  }

  /** Starts at the current end of the outbox: a new webhook is told of what happens from now on. */
  async create(
    input: { url: string; kinds: readonly string[]; secret?: string },
    createdAt: Date,
    createdBy: string,
  ): Promise<CreatedWebhook> {
    await this.ready();
    const secret = input.secret ?? generateWebhookSecret();
    const { rows: exists } = await this.pool.query<{ found: boolean }>(
      `SELECT to_regclass('analytics.notifications') IS NOT NULL AS found`,
    );
    const end = exists[0].found
      ? Number(
          (await this.pool.query<{ seq: string }>('SELECT coalesce(max(seq), 0)::text AS seq FROM analytics.notifications')).rows[0].seq,
        )
      : 0;
    const { rows } = await this.pool.query<WebhookRow>(
      `INSERT INTO webhooks (id, url, secret, kinds, active, created_at, created_by, cursor_seq)
       VALUES ($1, $2, $3, $4, true, $5, $6, $7)
       RETURNING id, url, kinds, active, created_at, created_by`,
      [randomUUID(), input.url, secret, [...new Set(input.kinds)].sort(), createdAt, createdBy, end],
    );
    return { ...viewOf(rows[0]), secret };
  }

  async list(): Promise<WebhookView[]> {
    await this.ready();
    const { rows } = await this.pool.query<WebhookRow>(
      'SELECT id, url, kinds, active, created_at, created_by FROM webhooks ORDER BY created_at, id',
    );
    return rows.map(viewOf);
  }

  async exists(id: string): Promise<boolean> {
    await this.ready();
    const { rowCount } = await this.pool.query('SELECT 1 FROM webhooks WHERE id = $1', [id]);
    return (rowCount ?? 0) > 0;
  }

  /** Removes it and its deliveries (a dead letter to a removed endpoint has nowhere to go); undefined if unknown. */
  async delete(id: string): Promise<WebhookView | undefined> {
    await this.ready();
    const { rows } = await this.pool.query<WebhookRow>(
      'DELETE FROM webhooks WHERE id = $1 RETURNING id, url, kinds, active, created_at, created_by',
      [id],
    );
    return rows[0] ? viewOf(rows[0]) : undefined;
  }
}
