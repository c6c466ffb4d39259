import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type pg from 'pg';

/** Linux's USER_HZ: /proc/<pid>/stat counts CPU time in these ticks. */
const CLOCK_TICKS_PER_SECOND = 100;

/** utime + stime of one process of this machine in ms, from /proc/<pid>/stat; null when there is no such process. */
export function processCpuMs(pid: number): number | null {
  const file = `/proc/${pid}/stat`;
  if (!existsSync(file)) return null;
  const stat = readFileSync(file, 'utf8');
  // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
}

/**
 * utime + stime (ms) of this database's client backends, per pid; null when they are not
 * processes of this machine (a DATABASE_URL server elsewhere). Sample with the pools already
 * open: a backend that starts and ends between two samples is not counted.
 */
export async function backendsCpu(pool: pg.Pool): Promise<Map<number, number> | null> {
  const { rows } = await pool.query<{ pid: number }>(
    `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend'`,
  );
  const cpu = new Map<number, number>();
  for (const { pid } of rows) {
    const file = `/proc/${pid}/stat`;
    if (!existsSync(file) || !readFileSync(file, 'utf8').includes('(postgres)')) return null;
    const ms = processCpuMs(pid);
    if (ms === null) return null;
    cpu.set(pid, ms);
  }
  return cpu;
}

/** CPU ms the backends used between two samples (a backend only in `after` counts from zero). */
export function cpuDelta(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, ms] of after) total += ms - (before.get(pid) ?? 0);
  return total;
}

/**
 * utime + stime (ms) of the whole PostgreSQL server this pool reaches: the postmaster, every
 * process it runs now (client backends, autovacuum workers, checkpointer, WAL writer…) and, through
 * the postmaster's cutime/cstime, every child that has ended since it started (a short-lived
 * autovacuum worker included). Null when the server is not a process of this machine.
 */
export async function serverCpu(pool: pg.Pool): Promise<{ totalMs: number; processes: Map<number, number> } | null> {
  const { rows } = await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  const own = statFields(rows[0].pid);
  if (own === null) return null;
  const postmaster = Number(own[1]);
  const fields = statFields(postmaster);
  if (fields === null) return null;
  const ticks = (values: string[], from: number, to: number): number =>
    values.slice(from, to + 1).reduce((sum, value) => sum + Number(value), 0);
  // The postmaster's own time and its ended children's (utime, stime, cutime, cstime).
  let totalMs = (ticks(fields, 11, 14) * 1000) / CLOCK_TICKS_PER_SECOND;
  const processes = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const child = statFields(Number(entry));
    if (child === null || Number(child[1]) !== postmaster) continue;
    const ms = (ticks(child, 11, 12) * 1000) / CLOCK_TICKS_PER_SECOND;
    processes.set(Number(entry), ms);
    totalMs += ms;
  }
  return { totalMs, processes };
}

/** The fields of /proc/<pid>/stat after the command name, or null when the process is gone or not postgres. */
function statFields(pid: number): string[] | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch (error) {
    // A process may end between listing /proc and reading its file.
    if (error instanceof Error && 'code' in error && (error.code === 'ENOENT' || error.code === 'ESRCH')) return null;
    throw error;
  }
  if (!stat.includes('(postgres)')) return null;
  // After "pid (comm) ": state, ppid, …; utime, stime, cutime and cstime are the 12th to 15th.
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}
