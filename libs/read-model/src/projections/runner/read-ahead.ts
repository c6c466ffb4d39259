import type { ReadAllPage } from '#event-store';

/** Reads at most `maxCount` of the projection's events after `after` (null: from the start). */
export type ReadPage = (after: string | null, maxCount: number) => Promise<ReadAllPage>;

/**
 * The next page is read while the current one is applied: a catch-up is then bounded by the
 * slower of reading and writing, not their sum. One page at most is read ahead, and it is used
 * only if the runner asks for the position it was read after.
 */
export class ReadAhead {
  private ahead: { after: string; page: Promise<ReadAllPage> } | undefined;

  /** `failed` hears of every read-ahead that fails; one that is used also fails where it is awaited. */
  constructor(
    private readonly read: ReadPage,
    private readonly failed: (after: string, error: unknown) => void,
  ) {}

  /** The page after `after`: the one read ahead for that position, else a fresh read. */
  next(after: string | null, maxCount: number): Promise<ReadAllPage> {
    const ahead = this.ahead;
    this.ahead = undefined;
    return ahead && ahead.after === after ? ahead.page : this.read(after, maxCount);
  }

  /** Starts reading the page after `after`. */
  start(after: string, maxCount: number): void {
    const page = this.read(after, maxCount);
    page.catch((error: unknown) => this.failed(after, error));
    this.ahead = { after, page };
  }

  /** Forgets the page read ahead: the checkpoint may be elsewhere now. */
  discard(): void {
    this.ahead = undefined;
  }
}
