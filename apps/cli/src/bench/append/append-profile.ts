import pg from 'pg';
import type { Measurement } from '../shared/measure.js';
import { backendsCpu, cpuDelta } from '../shared/process-cpu.js';

/*
 * `bench append --profile`: what an append costs beyond a raw INSERT, per event. Around each
 * measured slice: the bench process's CPU, this database's backends' CPU (/proc), the WAL
 * written; during it, what the client backends are doing, sampled every SAMPLE_MS from a
 * connection of its own (on CPU, waiting on a lock, on the WAL, or idle: waiting for the bench).
 */

const SAMPLE_MS = 10;

export interface Cost {
  operations: number;
  benchCpuMs: number;
  /** null when the backends are not processes of this machine */
  postgresCpuMs: number | null;
  walBytes: number;
  /** client backends seen in each state, summed over the samples */
  states: Map<string, number>;
  samples: number;
}

const STATES = `
SELECT CASE WHEN state = 'idle' THEN 'idle (waiting for the client)'
            ELSE coalesce(wait_event_type || '/' || wait_event, 'on CPU') END AS what,
       count(*)::int AS n
  FROM pg_stat_activity
 WHERE datname = current_database() AND backend_type = 'client backend' AND pid <> pg_backend_pid()
   AND application_name = $1
 GROUP BY 1`;

/** An LSN ("16/B374D848") as a byte offset. */
export function lsnBytes(lsn: string): bigint {
  const [high, low] = lsn.split('/');
  return (BigInt(`0x${high}`) << 32n) + BigInt(`0x${low}`);
}

export class AppendProfiler {
  private readonly costs = new Map<string, Cost>();

  /**
   * `pool`: the writers' pool, whose connections carry `applicationName`; `sampler`: a client of
   * its own with another application name, so its queries are not among what it samples.
   */
  constructor(
    private readonly pool: pg.Pool,
    private readonly sampler: pg.Client,
    private readonly applicationName: string,
  ) {}

  /** Runs one slice of a measurement and adds what it cost to `label`'s total. */
  async measure(label: string, run: () => Promise<Measurement>): Promise<Measurement> {
    const lsn = async (): Promise<bigint> =>
      lsnBytes((await this.sampler.query<{ lsn: string }>('SELECT pg_current_wal_insert_lsn()::text AS lsn')).rows[0].lsn);
    const cost = this.costs.get(label) ?? {
      operations: 0,
      benchCpuMs: 0,
      postgresCpuMs: 0,
      walBytes: 0,
      states: new Map<string, number>(),
      samples: 0,
    };
    this.costs.set(label, cost);
    const walBefore = await lsn();
    const backendsBefore = await backendsCpu(this.pool);
    const cpuBefore = process.cpuUsage();
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const { rows } = await this.sampler.query<{ what: string; n: number }>(STATES, [this.applicationName]);
        for (const { what, n } of rows) cost.states.set(what, (cost.states.get(what) ?? 0) + n);
        cost.samples += 1;
        await new Promise((resolve) => setTimeout(resolve, SAMPLE_MS));
      }
    })();
    let measurement: Measurement;
    try {
      measurement = await run();
    } finally {
      sampling = false;
      await sampler;
    }
    const cpu = process.cpuUsage(cpuBefore);
    const backendsAfter = await backendsCpu(this.pool);
    cost.operations += measurement.operations;
    cost.benchCpuMs += (cpu.user + cpu.system) / 1000;
    cost.postgresCpuMs =
      cost.postgresCpuMs === null || backendsBefore === null || backendsAfter === null
        ? null
        : cost.postgresCpuMs + cpuDelta(backendsBefore, backendsAfter);
    cost.walBytes += Number((await lsn()) - walBefore);
    return measurement;
  }

  cost(label: string): Cost | undefined {
    return this.costs.get(label);
  }
}

/** Per event: µs of CPU, WAL bytes, and the backends' states as a share of the writers. */
export function describeCost(cost: Cost, writers: number): { cpu: string; wal: string; states: string } {
  const perEvent = (ms: number): string => `${((ms * 1000) / cost.operations).toFixed(1)} µs`;
  const states = [...cost.states]
    .sort((a, b) => b[1] - a[1])
    .map(([what, n]) => `${what} ${((n / Math.max(1, cost.samples) / writers) * 100).toFixed(0)}%`)
    .join(', ');
  return {
    cpu: `${perEvent(cost.benchCpuMs)} bench + ${cost.postgresCpuMs === null ? '–' : perEvent(cost.postgresCpuMs)} PostgreSQL`,
    wal: `${Math.round(cost.walBytes / cost.operations)} B`,
    states,
  };
}
