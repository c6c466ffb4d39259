/** What a progress line shows. */
export interface ProgressFigures {
  label: string;
  applied: number;
  /** events to apply in all (of the projection's types, visible when the rebuild began); undefined when unknown */
  total: number | undefined;
  /** events per second lately */
  rate: number;
  elapsedSeconds: number;
  /** what is counted; default events */
  unit?: string;
}

const BAR_WIDTH = 24;

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--:--';
  const whole = Math.max(0, Math.round(seconds));
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const rest = whole % 60;
  const mmss = `${String(minutes).padStart(2, '0')}:${String(rest).padStart(2, '0')}`;
  return hours > 0 ? `${hours}:${mmss}` : mmss;
}

function count(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/**
 * One line: a bar and the percentage when the total is known, events applied, events/s and
 * the ETA. New events arriving during the rebuild can push `applied` past `total`: the bar
 * stays full and the ETA reads 00:00 until the rebuild has caught up.
 */
export function formatProgress(figures: ProgressFigures, bar = true): string {
  const unit = figures.unit ?? 'events';
  const parts = [figures.label];
  if (figures.total !== undefined && figures.total > 0) {
    const fraction = Math.min(1, figures.applied / figures.total);
    const filled = Math.round(fraction * BAR_WIDTH);
    if (bar) parts.push(`[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}]`);
    parts.push(`${(fraction * 100).toFixed(1).padStart(5)}%`);
    parts.push(`${count(figures.applied)}/${count(figures.total)} ${unit}`);
  } else {
    parts.push(`${count(figures.applied)} ${unit}`);
  }
  parts.push(`${count(figures.rate)} ${unit}/s`);
  const remaining = figures.total === undefined ? Number.NaN : Math.max(0, figures.total - figures.applied);
  parts.push(`elapsed ${formatDuration(figures.elapsedSeconds)}`);
  parts.push(`ETA ${figures.rate > 0 ? formatDuration(remaining / figures.rate) : '--:--'}`);
  return parts.join('  ');
}

/** Where the progress goes: stderr in the CLI. */
export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

export interface ProgressBarOptions {
  /** Redraws per second at most on a terminal; default 10. */
  redrawsPerSecond?: number;
  /** Seconds between plain lines when the stream is not a terminal (CI logs); default 5. */
  plainLineSeconds?: number;
  now?: () => number;
  /** What is counted (the import counts rows); default events. */
  unit?: string;
}

const RATE_WINDOW_MS = 3000;

/**
 * A progress bar on a terminal (redrawn in place), plain lines every few seconds elsewhere,
 * so CI logs stay readable. The rate is measured over the last few seconds.
 */
export class ProgressBar {
  private readonly startedAt: number;
  private readonly samples: Array<{ at: number; applied: number }> = [];
  private lastDrawAt = Number.NEGATIVE_INFINITY;
  private drawn = false;
  private readonly now: () => number;
  private readonly tty: boolean;

  constructor(
    private readonly stream: ProgressStream,
    private readonly label: string,
    private total: number | undefined,
    private readonly options: ProgressBarOptions = {},
  ) {
    this.now = options.now ?? (() => performance.now());
    this.startedAt = this.now();
    this.tty = stream.isTTY === true;
  }

  setTotal(total: number | undefined): void {
    this.total = total;
  }

  update(applied: number): void {
    const at = this.now();
    this.samples.push({ at, applied });
    while (this.samples.length > 2 && at - this.samples[0].at > RATE_WINDOW_MS) this.samples.shift();
    const interval = this.tty ? 1000 / (this.options.redrawsPerSecond ?? 10) : (this.options.plainLineSeconds ?? 5) * 1000;
    if (at - this.lastDrawAt < interval) return;
    this.lastDrawAt = at;
    this.draw(applied, at);
  }

  /** The last state, and a new line on a terminal, so what follows starts clean. */
  finish(applied: number): void {
    this.draw(applied, this.now());
    if (this.tty) this.stream.write('\n');
  }

  private rate(at: number): number {
    const first = this.samples[0];
    const last = this.samples.at(-1);
    if (!first || !last || last.at - first.at <= 0) {
      const elapsed = (at - this.startedAt) / 1000;
      return elapsed > 0 && last ? last.applied / elapsed : 0;
    }
    return ((last.applied - first.applied) * 1000) / (last.at - first.at);
  }

  private draw(applied: number, at: number): void {
    const line = formatProgress(
      {
        label: this.label,
        applied,
        total: this.total,
        rate: this.rate(at),
        elapsedSeconds: (at - this.startedAt) / 1000,
        unit: this.options.unit,
      },
      this.tty,
    );
    // \r and "erase to end of line" redraw in place on a terminal.
    this.stream.write(this.tty ? `\r${line}\x1b[K` : `${line}\n`);
    this.drawn = true;
  }

  get hasDrawn(): boolean {
    return this.drawn;
  }
}
