import type pg from 'pg';
import type { EventStore } from '#event-store';
import { InvalidPositionError, ProjectionNotCaughtUpError, type ProjectionPosition } from './errors.js';
import { LIVE_POSITIONS, type LivePositionRow } from './schema/checkpoints.js';

const FIRST_POLL_MS = 5;
const LONGEST_POLL_MS = 50;

/**
 * Read-your-writes: a command answers with the position of its last event; a report request
 * that passes it as `minPosition` is answered only once the projections it reads have applied
 * that far (their live version's checkpoint ≥ minPosition), or fails after a bounded wait.
 */
export class ProjectionPositions {
  constructor(
    private readonly pool: pg.Pool,
    private readonly store: Pick<EventStore, 'comparePositions'>,
  ) {}

  /** Throws InvalidPositionError when `position` is not one of this event store's positions. */
  checkPosition(position: string): void {
    try {
      this.store.comparePositions(position, position);
    } catch (error) {
      if (error instanceof RangeError) throw new InvalidPositionError(position, error.message);
      throw error;
    }
  }

  /** The live version's position of each named projection (null position: none yet, or none live). */
  async livePositions(projectionNames: readonly string[]): Promise<ProjectionPosition[]> {
    const { rows } = await this.pool.query<LivePositionRow>({ ...LIVE_POSITIONS, values: [[...projectionNames]] });
    const byName = new Map(rows.map((row) => [row.name, row]));
    return projectionNames.map((name) => {
      const row = byName.get(name);
      return { name, version: row?.version ?? null, position: row?.position ?? null };
    });
  }

  /**
   * Resolves once every named projection's live checkpoint is at or past `minPosition`;
   * throws ProjectionNotCaughtUpError (with the positions last seen) after `timeoutMs`, and
   * InvalidPositionError for a position the event store cannot read.
   */
  async waitForPosition(projectionNames: readonly string[], minPosition: string, timeoutMs: number): Promise<void> {
    this.checkPosition(minPosition);
    const started = performance.now();
    let pollMs = FIRST_POLL_MS;
    for (;;) {
      const positions = await this.livePositions(projectionNames);
      if (positions.every((entry) => entry.position !== null && this.store.comparePositions(entry.position, minPosition) >= 0)) return;
      const waited = performance.now() - started;
      if (waited >= timeoutMs) throw new ProjectionNotCaughtUpError(minPosition, positions, Math.round(waited));
      await new Promise((resolve) => setTimeout(resolve, Math.min(pollMs, Math.max(1, timeoutMs - waited))));
      pollMs = Math.min(LONGEST_POLL_MS, pollMs * 2);
    }
  }
}
