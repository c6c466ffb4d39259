/**
 * A PostgreSQL position is `"<transaction_id>:<global_seq>"` in decimal: the all-stream is
 * ordered by the appending transaction's id first (DESIGN.md §4), because a `bigserial`
 * alone can commit out of order. Both parts exceed 2^53, so they are compared as bigints.
 */
export interface PostgresPosition {
  transactionId: bigint;
  globalSeq: bigint;
}

const POSITION_PATTERN = /^(\d{1,20}):(\d{1,19})$/;

export function formatPosition(transactionId: string | bigint, globalSeq: string | bigint): string {
  return `${String(transactionId)}:${String(globalSeq)}`;
}

export function parsePosition(position: string): PostgresPosition {
  const match = POSITION_PATTERN.exec(position);
  if (!match) throw new RangeError(`not a PostgreSQL event-store position: ${JSON.stringify(position)}`);
  return { transactionId: BigInt(match[1]), globalSeq: BigInt(match[2]) };
}

export function comparePositions(a: string, b: string): number {
  const left = parsePosition(a);
  const right = parsePosition(b);
  if (left.transactionId !== right.transactionId) return left.transactionId < right.transactionId ? -1 : 1;
  if (left.globalSeq !== right.globalSeq) return left.globalSeq < right.globalSeq ? -1 : 1;
  return 0;
}
