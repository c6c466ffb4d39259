import type { Position } from '@eventstore/db-client';

/**
 * An EventStoreDB position in the port's opaque form: `"<commit>/<prepare>"` in decimal. The
 * slash keeps it apart from a PostgreSQL position (`xid:seq`), so one store's position handed
 * to the other fails loudly instead of comparing as a number it never was.
 */
const POSITION_PATTERN = /^(\d{1,20})\/(\d{1,20})$/;

export function formatPosition(position: Position): string {
  return `${position.commit.toString()}/${position.prepare.toString()}`;
}

export function parsePosition(position: string): Position {
  const match = POSITION_PATTERN.exec(position);
  if (!match) throw new RangeError(`not an EventStoreDB position ("commit/prepare"): ${JSON.stringify(position)}`);
  return { commit: BigInt(match[1]), prepare: BigInt(match[2]) };
}

/** The transaction log orders by commit position, then prepare position. */
export function comparePositions(a: string, b: string): number {
  return compare(parsePosition(a), parsePosition(b));
}

export function compare(left: Position, right: Position): number {
  if (left.commit !== right.commit) return left.commit < right.commit ? -1 : 1;
  if (left.prepare !== right.prepare) return left.prepare < right.prepare ? -1 : 1;
  return 0;
}
