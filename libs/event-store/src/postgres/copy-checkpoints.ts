import type pg from 'pg';
import type { CopyCheckpoint, CopyCheckpoints } from '../copy/copy-checkpoints.js';
import { FORGET_COPY, LOAD_COPY, SAVE_COPY, type CopyRow } from './schema/copies.js';

/** The checkpoint of a copy onto `target` (a `targetIdentity`), in the source's event_store.copies. */
export class PostgresCopyCheckpoints implements CopyCheckpoints {
  constructor(
    private readonly pool: pg.Pool,
    readonly target: string,
  ) {}

  async load(): Promise<CopyCheckpoint | undefined> {
    const { rows } = await this.pool.query<CopyRow>({ ...LOAD_COPY, values: [this.target] });
    if (rows.length === 0) return undefined;
    const [row] = rows;
    return { position: row.position, eventsCopied: Number(row.events_copied), startedAt: row.started_at, updatedAt: row.updated_at };
  }

  async save(position: string, eventsCopied: number): Promise<void> {
    await this.pool.query({ ...SAVE_COPY, values: [this.target, position, String(eventsCopied)] });
  }

  /** The next copy to this target starts from the beginning (its events already there are then skipped). */
  async forget(): Promise<void> {
    await this.pool.query({ ...FORGET_COPY, values: [this.target] });
  }
}
