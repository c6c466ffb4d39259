import os from 'node:os';
import { describeMachine, table } from './measure.js';

/*
 * Issue 12 asks every bench to print each figure it measures beside its goal, with the
 * machine and the load it ran under: one row shape and one verdict wording for all of them,
 * so the README can quote any bench's table as it is.
 */

/** One measured figure against its goal. */
export interface Figure {
  /** what was measured, e.g. "readAll, page 1,000" */
  name: string;
  /** the figure as printed, unit included */
  measured: string;
  /** the goal as printed, e.g. "≥ 150,000 events/s" */
  goal: string;
  /** undefined when the run cannot tell (the measurement failed or did not run) */
  met: boolean | undefined;
}

export function verdict(met: boolean | undefined): string {
  if (met === undefined) return '–';
  return met ? 'met' : 'MISSED';
}

/** The 1-, 5- and 15-minute load averages: other work on a shared machine weighs on every figure. */
export function loadAverage(): string {
  return os
    .loadavg()
    .map((value) => value.toFixed(2))
    .join(' / ');
}

/**
 * The figures as a table (figure, measured, goal, verdict) under the machine and the load
 * average at the start of the run (`loadAtStart`, from `loadAverage()`) and now.
 */
export function figuresVsGoals(title: string, figures: readonly Figure[], loadAtStart: string): string[] {
  return [
    '',
    title,
    `machine:  ${describeMachine()}`,
    `load:     ${loadAtStart} at the start, ${loadAverage()} at the end (1, 5, 15 min averages over ${os.cpus().length} cores)`,
    '',
    table(
      ['figure', 'measured', 'goal', 'verdict'],
      figures.map((figure) => [figure.name, figure.measured, figure.goal, verdict(figure.met)]),
    ),
  ];
}
