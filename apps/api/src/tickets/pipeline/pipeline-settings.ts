import type { TimePolicy } from '#ticketing';

/** How the command pipeline treats time and contention (from the configuration). */
export interface PipelineSettings {
  time: TimePolicy;
  /** how long a command without If-Match keeps retrying lost races before answering 503 */
  retryBudgetMs: number;
}

export const PIPELINE_SETTINGS = Symbol('PIPELINE_SETTINGS');
