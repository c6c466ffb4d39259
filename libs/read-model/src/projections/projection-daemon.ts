import { backOff, type Backoff } from './backoff.js';
import { planProjection } from './catalog.js';
import { errorDetails, silentLog, type ProjectionLog } from './log.js';
import { pause } from './pause.js';
import { validateRegistry, type Projection } from './projection.js';
import { ProjectionRunner, type RunnerPhase } from './runner/projection-runner.js';
import type { RunnerEnd } from './runner/runner-context.js';
import type { RunnerDependencies, RunnerOptions } from './runner/runner-options.js';
import { migrateProjections } from './schema/migrate-projections.js';

export interface DaemonOptions {
  /** Passed to every runner. */
  runner?: Omit<RunnerOptions, 'log' | 'untilCaughtUp'>;
  /**
   * How often each projection's versions are looked at again, to notice a version that
   * another process created (a `cli rebuild`, a newer deployment); default 5 s.
   */
  replanIntervalMs?: number;
  log?: ProjectionLog;
}

/** After a failed plan: 0.5 s, doubled on each further failure, at most 30 s. */
const PLAN_RETRY: Backoff = { initialMs: 500, maxMs: 30_000 };

export interface RunnerState {
  name: string;
  version: number;
  phase: RunnerPhase;
}

/**
 * Runs every registered projection in this process: for each one, plans its versions (see
 * `planProjection`), runs a runner per version to run, and plans again when a runner ends
 * (its version was retired) or every `replanIntervalMs`. Several processes may run the same
 * registry: the advisory locks make one runner per version active and the others standbys.
 */
export class ProjectionDaemon {
  private readonly abort = new AbortController();
  private readonly log: ProjectionLog;
  private readonly runners = new Map<string, ProjectionRunner>();
  private supervisors: Promise<void>[] = [];
  private started = false;

  constructor(
    private readonly deps: RunnerDependencies,
    private readonly registry: readonly Projection[],
    private readonly options: DaemonOptions = {},
  ) {
    validateRegistry(registry);
    this.log = options.log ?? silentLog;
  }

  /**
   * Creates the engine's tables if missing (failures are thrown: the process cannot work
   * without them), then starts one supervisor per projection in the background.
   */
  async start(): Promise<void> {
    if (this.started) throw new Error('a projection daemon starts once');
    this.started = true;
    await migrateProjections(this.deps.pool);
    const byName = new Map<string, Projection[]>();
    for (const projection of this.registry) byName.set(projection.name, [...(byName.get(projection.name) ?? []), projection]);
    const firstPlans: Array<Promise<void>> = [];
    this.supervisors = [...byName.values()].map((definitions) => {
      let planned: () => void = () => undefined;
      firstPlans.push(new Promise<void>((resolve) => (planned = resolve)));
      return this.supervise(definitions, () => planned());
    });
    // Once each projection was planned (its tables and views exist, unless planning failed and
    // is being retried in the background), so a caller's first query finds the views.
    await Promise.all(firstPlans);
    this.log('info', 'projections started', { projections: [...byName.keys()] });
  }

  /** Every runner finishes its batch in flight and frees its lock. */
  async stop(): Promise<void> {
    this.abort.abort();
    // Supervisors first: once they have returned, no runner can be added behind our back.
    await Promise.all(this.supervisors);
    await Promise.all([...this.runners.values()].map((runner) => runner.stop()));
  }

  /** The runners of this process and what each is doing. */
  runnerStates(): RunnerState[] {
    return [...this.runners.values()].map((runner) => ({ name: runner.projection.name, version: runner.version, phase: runner.phase }));
  }

  private async supervise(definitions: Projection[], firstPlanDone: () => void): Promise<void> {
    const name = definitions[0].name;
    const replanIntervalMs = this.options.replanIntervalMs ?? 5000;
    let failures = 0;
    // A runner's end wakes the supervisor (its version was retired: the live one may be new),
    // also when it ends while a plan is being made, so no end waits out a replan interval.
    let wake: () => void = () => undefined;
    let woken = new Promise<void>((resolve) => (wake = resolve));
    while (!this.abort.signal.aborted) {
      try {
        const planned = await planProjection(this.deps.pool, definitions, this.log);
        failures = 0;
        if (this.abort.signal.aborted) break;
        for (const { projection, version } of planned) {
          const key = `${name}:${version}`;
          if (this.runners.has(key)) continue;
          const runner = new ProjectionRunner(this.deps, projection, version, { ...this.options.runner, log: this.log });
          this.runners.set(key, runner);
          runner.start().then(
            (end: RunnerEnd) => {
              this.runners.delete(key);
              if (end !== 'stopped')
                this.log('info', 'a projection runner ended; planning the versions again', { projection: name, version, end });
              wake();
            },
            (error: unknown) => {
              // The next plan starts the version again.
              this.runners.delete(key);
              this.log('error', 'a projection runner failed unexpectedly', { projection: name, version, ...errorDetails(error) });
              wake();
            },
          );
        }
        firstPlanDone();
      } catch (error) {
        firstPlanDone();
        this.log('error', 'planning the versions of a projection failed; retrying', { projection: name, ...errorDetails(error) });
        await backOff(failures++, PLAN_RETRY, this.abort.signal);
        continue;
      }
      // Plan again when a runner ends or after a while (a version another process created).
      await Promise.race([pause(replanIntervalMs, this.abort.signal), woken]);
      woken = new Promise<void>((resolve) => (wake = resolve));
    }
    firstPlanDone();
  }
}
