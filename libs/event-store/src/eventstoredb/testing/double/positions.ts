/** $all positions as the server orders them: by commit position, then prepare position. */
export interface LogPosition {
  readonly commit: bigint;
  readonly prepare: bigint;
}

export function comparePositions(left: LogPosition, right: LogPosition): number {
  if (left.commit !== right.commit) return left.commit < right.commit ? -1 : 1;
  if (left.prepare !== right.prepare) return left.prepare < right.prepare ? -1 : 1;
  return 0;
}

/** The position a filtered catch-up reports before it has considered any record (TFPos.FirstRecordOfTf). */
export const FIRST_RECORD: LogPosition = { commit: 0n, prepare: 0n };
