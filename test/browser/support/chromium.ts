import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/**
 * Debian's Chromium (../shared/TOOLCHAIN.md "A real browser here"); `npx playwright install`
 * cannot download a browser here, so the specs use only this one. `.ci/run` installs it with apt.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Why the browser specs cannot run on this machine, or undefined when they can. */
export function browserSkipReason(): string | undefined {
  return existsSync(CHROMIUM_PATH) ? undefined : `${CHROMIUM_PATH} is missing (install it with: apt-get install -y chromium; .ci/run does)`;
}

/**
 * `describe` when Chromium is present, else `describe.skip` after saying plainly on stderr that
 * and why the specs were skipped: a missing browser must never read as a pass.
 */
export function describeInBrowser(name: string, body: () => void, describeFn: DescribeLike): void {
  const reason = browserSkipReason();
  if (reason === undefined) {
    describeFn(name, body);
    return;
  }
  process.stderr.write(`\nSKIPPED browser specs "${name}": ${reason}\n`);
  describeFn.skip(name, body);
}

export interface DescribeLike {
  (name: string, body: () => void): void;
  skip(name: string, body: () => void): void;
}

/** As root the sandbox cannot start: --no-sandbox (TOOLCHAIN.md). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: ['--no-sandbox'] });
}
