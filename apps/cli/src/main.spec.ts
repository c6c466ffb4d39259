import { afterAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { COMMANDS, GROUPS } from './usage.js';

/**
 * The built CLI as `npm run cli` runs it: `--help` and `-h` answer every command with its usage
 * and open no database — DATABASE_URL names a port nobody listens on and DATA_DIR a folder that
 * must not come into being (the embedded server would create it).
 */
const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../dist/apps/cli/src/main.js');
const scratch = mkdtempSync(path.join(tmpdir(), 'bildirim-cli-help-'));
const dataDir = path.join(scratch, 'never-created');

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function cli(
  args: string[],
  env: Record<string, string> = { DATABASE_URL: 'postgres://nobody:none@127.0.0.1:1/nothing', DATA_DIR: dataDir },
) {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build first (npm run build)`);
  const { PATH = '/usr/bin:/bin', HOME = '/' } = process.env;
  const run = spawnSync(process.execPath, [CLI, ...args], { env: { PATH, HOME, ...env }, encoding: 'utf8', timeout: 30_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** What identifies a command's usage in what it prints. */
function usageMark(topic: string): string {
  if (topic.startsWith('bench ')) return `usage: ${topic} [`;
  return `\n  ${topic}`;
}

describe('npm run cli -- <command> --help', () => {
  const topics = [...GROUPS, ...COMMANDS];

  it.each(
    topics.flatMap((topic) => [
      [topic, '--help'],
      [topic, '-h'],
    ]),
  )('%s %s prints its usage without opening a database', (topic, flag) => {
    const run = cli([...topic.split(' '), flag]);
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
    expect(run.stdout).toContain(usageMark(topic));
    expect(existsSync(dataDir)).toBe(false);
  });

  it('answers the flag after options and arguments too, and `help <command>` alike', () => {
    const afterOptions = cli(['keys', 'create', '--name', 'crm', '--role', 'service', '-h']);
    expect(afterOptions.status).toBe(0);
    expect(afterOptions.stdout).toContain(usageMark('keys create'));
    const helpCommand = cli(['help', 'keys', 'revoke']);
    expect(helpCommand).toEqual({ status: 0, stdout: expect.stringContaining(usageMark('keys revoke')), stderr: '' });
    expect(existsSync(dataDir)).toBe(false);
  });

  it('refuses help about an unknown command with exit code 2', () => {
    const run = cli(['frobnicate', '--help']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('unknown command "frobnicate"');
  });

  it('does open the database without the flag (so the checks above mean something)', () => {
    const run = cli(['keys', 'list']);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/ECONNREFUSED|connect/);
  });
});
