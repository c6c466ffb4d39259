import type { ReferenceModeSetting, TimePolicy } from '#ticketing';

/** How the command pipeline treats time and contention (from the configuration). */
export interface PipelineSettings {
  time: TimePolicy;
  /** how long a command without If-Match keeps retrying lost races before answering 503 */
  retryBudgetMs: number;
  /** REFERENCE_MODE: which names ticket commands may use (`referenceMode` resolves auto against the catalogue) */
  referenceMode: ReferenceModeSetting;
}

export const PIPELINE_SETTINGS = Symbol('PIPELINE_SETTINGS');
