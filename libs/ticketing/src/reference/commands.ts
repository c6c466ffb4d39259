import type { ReferenceDefinitions, ReferenceKind } from './definitions.js';

/**
 * What an admin asks of the reference data (API, `cli ref import`). A definition arrives as
 * the caller wrote it; `decideReference` checks its shape and links before anything is written.
 */
export type DefineReference = {
  [K in ReferenceKind]: { type: 'DefineReference'; kind: K; id: string; definition: ReferenceDefinitions[K] };
}[ReferenceKind];

export interface RetireReference {
  type: 'RetireReference';
  kind: ReferenceKind;
  id: string;
  /** SLA policies only: the instant it stops matching; default the command's instant */
  effectiveFrom?: string;
}

export type ReferenceCommand = DefineReference | RetireReference;

export interface ReferenceDecideContext {
  /** the instant of the change (ISO-8601) */
  at: string;
  /** who changes it: the API key's service name, `cli`, `import` */
  by: string;
}

/** A DefineReference from input not yet checked (an HTTP body, a file): decideReference checks the definition's shape. */
export function defineReferenceCommand(kind: ReferenceKind, id: string, definition: unknown): DefineReference {
  return { type: 'DefineReference', kind, id, definition } as DefineReference;
}
