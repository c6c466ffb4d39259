import { describe, expect, it } from '@jest/globals';
import { BENCHES, COMMANDS, commandUsage, GROUPS, helpTopic, parseArgs, topicOf, USAGE, UsageError } from './usage.js';

describe('parseArgs', () => {
  it('reads --name value, --name=value and repeated options', () => {
    const parsed = parseArgs(['create', '--name', 'call centre', '--role=service', '--role', 'importer']);
    expect(parsed.positional).toEqual(['create']);
    expect(parsed.options.get('name')).toEqual(['call centre']);
    expect(parsed.options.get('role')).toEqual(['service', 'importer']);
  });

  it('refuses an option without its value', () => {
    expect(() => parseArgs(['--name'])).toThrow(UsageError);
    expect(() => parseArgs(['--name', '--role', 'x'])).toThrow('--name needs a value');
  });
});

describe('USAGE', () => {
  it('documents every bench the bench command runs', () => {
    for (const bench of BENCHES) expect({ bench, documented: USAGE.includes(`bench ${bench} [`) }).toEqual({ bench, documented: true });
    expect(BENCHES.map((bench) => `bench ${bench}`).filter((command) => !COMMANDS.some((known) => known === command))).toEqual([]);
  });

  it('lists every command, each at the start of its line', () => {
    for (const command of COMMANDS) expect({ command, listed: USAGE.includes(`\n  ${command}`) }).toEqual({ command, listed: true });
  });
});

describe('helpTopic', () => {
  it('is undefined when no help is asked for', () => {
    expect(helpTopic([])).toBeUndefined();
    expect(helpTopic(['keys', 'list'])).toBeUndefined();
    // After `--` a "-h" is an argument.
    expect(helpTopic(['rebuild', '--', '-h'])).toBeUndefined();
  });

  it('names the command the words before the flag start with, --help and -h alike', () => {
    expect(helpTopic(['--help'])).toBe('');
    expect(helpTopic(['-h'])).toBe('');
    expect(helpTopic(['keys', '-h'])).toBe('keys');
    expect(helpTopic(['keys', 'create', '--name', 'crm', '--help'])).toBe('keys create');
    expect(helpTopic(['-h', 'keys', 'revoke', 'abc'])).toBe('keys revoke');
    expect(helpTopic(['rebuild', 'tickets', '--batch-size', '10', '-h'])).toBe('rebuild');
    expect(helpTopic(['bench', 'projections', '--reuse', '/tmp/x', '--help'])).toBe('bench projections');
    expect(helpTopic(['bench', '--help'])).toBe('bench');
  });

  it('refuses help about a command that does not exist', () => {
    expect(() => helpTopic(['frobnicate', '--help'])).toThrow(new UsageError('unknown command "frobnicate"'));
    expect(() => topicOf(['frobnicate'])).toThrow(UsageError);
  });
});

describe('commandUsage', () => {
  it("holds a command's own lines and no other command's", () => {
    for (const command of COMMANDS) {
      const usage = commandUsage(command);
      const others = COMMANDS.filter((other) => other !== command && !other.startsWith(`${command} `) && usage.includes(`\n  ${other} `));
      expect({ command, own: usage.includes(`\n  ${command}`), others }).toEqual({ command, own: true, others: [] });
    }
  });

  it("of a group, holds each of its commands' lines", () => {
    for (const group of GROUPS) {
      const members = COMMANDS.filter((command) => command.startsWith(`${group} `));
      expect(members.length).toBeGreaterThan(1);
      for (const command of members)
        expect({ group, command, listed: commandUsage(group).includes(`\n  ${command}`) }).toEqual({ group, command, listed: true });
    }
  });
});
