import type { CheckpointRow, VersionState } from '../schema/checkpoints.js';

export interface RunnerProgress {
  name: string;
  version: number;
  state: Exclude<VersionState, 'retired'>;
  position: string | null;
  /**
   * events applied by this runner since it started; for an `untilCaughtUp` runner, also those
   * another process applied to the version while this one stood by
   */
  eventsApplied: number;
  /** events in the batch just committed (0 when the progress is a caught-up notice) */
  batchEvents: number;
  caughtUp: boolean;
}

/** Counts the events applied to one version since the runner started, and tells `onProgress`. */
export class ProgressTracker {
  private applied = 0;
  /** The version's count when the runner first saw its checkpoint. */
  private appliedBefore: number | undefined;

  constructor(
    private readonly name: string,
    private readonly version: number,
    private readonly onProgress: ((progress: RunnerProgress) => void) | undefined,
  ) {}

  /** The runner has read its checkpoint: what was applied before it started does not count. */
  seen(row: Pick<CheckpointRow, 'events_applied'>): void {
    this.appliedBefore ??= Number(row.events_applied);
  }

  /**
   * Counts on from what another process applied to the version (an `untilCaughtUp` runner that
   * watches it, or takes over from it); never counts down.
   */
  countAppliedElsewhere(row: Pick<CheckpointRow, 'events_applied'>): void {
    const total = Number(row.events_applied);
    this.applied = Math.max(this.applied, total - (this.appliedBefore ?? total));
  }

  /** A batch was committed: the checkpoint is at `position` now. */
  committed(position: string, state: Exclude<VersionState, 'retired'>, batchEvents: number): void {
    this.applied += batchEvents;
    this.onProgress?.({ ...this.base(position, state), batchEvents, caughtUp: false });
  }

  /** This runner has read everything visible. */
  caughtUp(position: string | null, state: Exclude<VersionState, 'retired'>): void {
    this.onProgress?.({ ...this.base(position, state), batchEvents: 0, caughtUp: true });
  }

  /** Where the runner this one watches has brought the version. */
  watched(position: string | null, state: Exclude<VersionState, 'retired'>, caughtUp: boolean): void {
    this.onProgress?.({ ...this.base(position, state), batchEvents: 0, caughtUp });
  }

  private base(position: string | null, state: Exclude<VersionState, 'retired'>): Omit<RunnerProgress, 'batchEvents' | 'caughtUp'> {
    return { name: this.name, version: this.version, state, position, eventsApplied: this.applied };
  }
}
