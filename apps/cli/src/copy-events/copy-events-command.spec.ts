import { describe, expect, it } from '@jest/globals';
import { targetIdentity } from '#event-store/copy/index.js';
import { UsageError } from '../usage.js';
import { parseCopyEventsArgs } from './copy-events-command.js';
import { openTargetEventStore } from './open-target-event-store.js';

describe('parseCopyEventsArgs', () => {
  it('reads --to, --batch-size and --no-verify, with 1000 events a batch and the check on by default', () => {
    expect(parseCopyEventsArgs(['--to', 'postgres://h/db'])).toEqual({ to: 'postgres://h/db', batchSize: 1000, verify: true });
    expect(parseCopyEventsArgs(['--to=postgresql://h/db', '--batch-size', '250', '--no-verify'])).toEqual({
      to: 'postgresql://h/db',
      batchSize: 250,
      verify: false,
    });
  });

  it('refuses a missing --to, a batch size that is not a whole number from 1 to 100,000, and unknown options', () => {
    expect(() => parseCopyEventsArgs([])).toThrow(UsageError);
    expect(() => parseCopyEventsArgs([])).toThrow('copy-events needs --to <connection string>; usage: copy-events --to');
    expect(() => parseCopyEventsArgs(['--to', ' '])).toThrow('copy-events needs --to');
    for (const size of ['0', '-5', '1.5', 'abc', '100001', '']) {
      expect(() => parseCopyEventsArgs(['--to', 'postgres://h/db', `--batch-size=${size}`])).toThrow(
        `--batch-size must be a whole number of events from 1 to 100,000, got "${size}"`,
      );
    }
    expect(() => parseCopyEventsArgs(['--to', 'postgres://h/db', '--verify'])).toThrow(UsageError);
    expect(() => parseCopyEventsArgs(['postgres://h/db'])).toThrow(UsageError);
  });
});

describe('openTargetEventStore', () => {
  it('refuses a scheme it does not open, naming the ones it does, before connecting anywhere', async () => {
    await expect(openTargetEventStore('https://127.0.0.1:2113')).rejects.toThrow(
      new UsageError('--to: a https:// target is not supported; accepted: esdb://…, esdb+discover://…, postgres://…, postgresql://…'),
    );
    await expect(openTargetEventStore('mysql://h/db')).rejects.toThrow(UsageError);
    await expect(openTargetEventStore('/var/run/postgresql')).rejects.toThrow('--to needs a connection string; accepted: esdb://…');
  });
});

describe('targetIdentity', () => {
  it('drops the user, the password and password-like parameters, and keeps what names the store', () => {
    expect(targetIdentity('postgres://app:s3cr%40t@db.example:5433/tickets?sslmode=require')).toBe(
      'postgres://db.example:5433/tickets?sslmode=require',
    );
    expect(targetIdentity('postgresql://db/tickets?password=x&application_name=a&sslpassword=y')).toBe(
      'postgresql://db/tickets?application_name=a',
    );
    expect(targetIdentity('postgres://db/tickets?password=x')).toBe('postgres://db/tickets');
    expect(targetIdentity('esdb://admin:changeit@node1:2113,node2:2113?tls=true')).toBe('esdb://node1:2113,node2:2113?tls=true');
    expect(targetIdentity(' postgres://db/tickets ')).toBe('postgres://db/tickets');
  });
});
