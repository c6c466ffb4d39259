import type { Caller } from '../context/request-context.js';

/** How long a process trusts a key it verified: the longest a revocation in another process takes to reach it. */
export const VERIFIED_KEY_TTL_MS = 5000;
/** Beyond this many keys the cache starts over rather than grow (a flood of distinct valid keys is unlikely, but bounded). */
const MAX_VERIFIED_KEYS = 10_000;

/** A read of the key table begun at some generation: what it found may be kept only if nothing was forgotten since. */
export interface VerifiedRead {
  readonly generation: number;
}

/**
 * The keys this process verified recently, by hash. Unknown and revoked keys are never kept,
 * so a key created anywhere works at once; a verified key is trusted for `ttlMs`. `forget()`
 * (revocation and role changes in this process) drops everything and fences reads that were
 * in flight, so a read that began before a revocation cannot put the revoked key back.
 */
export class VerifiedKeys {
  private readonly kept = new Map<string, { caller: Caller; until: number }>();
  private generation = 0;

  constructor(
    private readonly ttlMs: number = VERIFIED_KEY_TTL_MS,
    /** Monotonic milliseconds; wall-clock time may jump. */
    private readonly now: () => number = () => performance.now(),
  ) {}

  get(keyHash: string): Caller | undefined {
    const entry = this.kept.get(keyHash);
    if (entry === undefined) return undefined;
    if (entry.until > this.now()) return entry.caller;
    this.kept.delete(keyHash);
    return undefined;
  }

  /** Call before reading the key table. */
  beginRead(): VerifiedRead {
    return { generation: this.generation };
  }

  /** What the read found: the caller to keep, or undefined for an unknown or revoked key. */
  settle(read: VerifiedRead, keyHash: string, caller: Caller | undefined): void {
    if (caller === undefined) {
      this.kept.delete(keyHash);
      return;
    }
    if (read.generation !== this.generation) return;
    if (this.kept.size >= MAX_VERIFIED_KEYS) this.kept.clear();
    this.kept.set(keyHash, { caller, until: this.now() + this.ttlMs });
  }

  forget(): void {
    this.generation += 1;
    this.kept.clear();
  }
}
