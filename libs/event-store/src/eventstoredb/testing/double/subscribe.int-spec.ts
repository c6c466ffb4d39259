import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import {
  END,
  EventStoreDBClient,
  eventTypeFilter,
  jsonEvent,
  START,
  streamNameFilter,
  type Position,
  type ResolvedEvent,
  type StreamSubscription,
} from '@eventstore/db-client';
import { startDouble, type EventStoreDbDouble } from './index.js';

type Entry =
  | { kind: 'event'; streamId: string; revision: bigint; position?: Position }
  | { kind: 'caughtUp' }
  | { kind: 'checkpoint'; position: Position };

/** Records what a subscription delivers, in order, until `done` holds. */
function record(subscribe: (onCheckpoint: (position: Position) => void) => StreamSubscription, done: (entries: Entry[]) => boolean) {
  const entries: Entry[] = [];
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((resolve, reject) => {
    finish = resolve;
    setTimeout(
      () =>
        reject(new Error(`subscription incomplete: ${JSON.stringify(entries, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}` : v))}`)),
      5_000,
    ).unref();
  });
  const check = () => done(entries) && finish();
  const subscription = subscribe((position) => {
    entries.push({ kind: 'checkpoint', position });
    check();
  });
  subscription.on('data', ({ event }: ResolvedEvent) => {
    if (event) entries.push({ kind: 'event', streamId: event.streamId, revision: event.revision, position: event.position });
    check();
  });
  subscription.on('caughtUp', () => {
    entries.push({ kind: 'caughtUp' });
    check();
  });
  return { entries, finished, subscription };
}
const ours = (prefix: string) => (entries: Entry[]) => entries.filter((e) => e.kind === 'event' && e.streamId.startsWith(prefix));
const kinds = (entries: Entry[]) => entries.map((e) => e.kind);

describe('subscriptions', () => {
  let double: EventStoreDbDouble;
  let client: EventStoreDBClient;
  let prefix: string;
  const append = (stream: string, count: number, type = 'noted') =>
    client.appendToStream(
      `${prefix}${stream}`,
      Array.from({ length: count }, (_, n) => jsonEvent({ type, data: { n } })),
    );

  beforeAll(async () => {
    double = await startDouble();
    client = EventStoreDBClient.connectionString(double.connectionString);
  });
  beforeEach(() => {
    prefix = `${randomUUID()}-`;
  });
  afterAll(async () => {
    await client.dispose();
    await double.close();
  });

  it('$all from the start: the history (system events too), caughtUp, then live events; unsubscribe closes the call', async () => {
    await append('a', 3);
    const { entries, finished, subscription } = record(
      () => client.subscribeToAll({ fromPosition: START }),
      (all) => ours(prefix)(all).length === 5,
    );
    await new Promise((resolve) => subscription.once('caughtUp', resolve));
    await append('b', 2);
    await finished;
    const caughtUp = entries.findIndex((e) => e.kind === 'caughtUp');
    expect(ours(prefix)(entries.slice(0, caughtUp))).toHaveLength(3);
    expect(ours(prefix)(entries.slice(caughtUp))).toHaveLength(2);
    expect(entries.filter((e) => e.kind === 'event' && e.streamId.startsWith('$')).length).toBeGreaterThan(0);
    expect(double.openCalls()).toBe(1);
    await subscription.unsubscribe();
    await waitFor(() => double.openCalls() === 0);
  });

  it('$all from the end: caughtUp at once, only later events', async () => {
    await append('a', 2);
    const { entries, finished, subscription } = record(
      () => client.subscribeToAll({ fromPosition: END }),
      (all) => ours(prefix)(all).length === 1,
    );
    await new Promise((resolve) => subscription.once('caughtUp', resolve));
    await append('b', 1);
    await finished;
    expect(kinds(entries)[0]).toBe('caughtUp');
    expect(ours(prefix)(entries)).toMatchObject([{ streamId: `${prefix}b` }]);
    await subscription.unsubscribe();
  });

  it('$all from a position excludes the event at that position (3 before + 4 after, as the client test counts)', async () => {
    const marker = await append('marker', 1);
    await append('a', 3);
    const { entries, finished, subscription } = record(
      () => client.subscribeToAll({ fromPosition: marker.position }),
      (all) => ours(prefix)(all).length === 7,
    );
    await new Promise((resolve) => subscription.once('caughtUp', resolve));
    await append('a', 4);
    await finished;
    expect(ours(prefix)(entries).some((e) => e.kind === 'event' && e.streamId === `${prefix}marker`)).toBe(false);
    expect(entries.filter((e) => e.kind === 'caughtUp')).toHaveLength(1);
    await subscription.unsubscribe();
  });

  it('filtered $all: matching events only, a checkpoint per window × multiplier considered, one before caughtUp', async () => {
    await append('keep', 2);
    await append('skip', 9);
    const { entries, finished, subscription } = record(
      (onCheckpoint) =>
        client.subscribeToAll({
          fromPosition: START,
          filter: streamNameFilter({
            prefixes: [`${prefix}keep`],
            maxSearchWindow: 2,
            checkpointInterval: 2,
            checkpointReached: (_s, p) => onCheckpoint(p),
          }),
        }),
      (all) => all.filter((e) => e.kind === 'event').length === 3,
    );
    await new Promise((resolve) => subscription.once('caughtUp', resolve));
    await append('skip', 4);
    await append('keep', 1);
    await finished;
    const events = entries.filter((e) => e.kind === 'event');
    expect(events.every((e) => e.streamId.startsWith(`${prefix}keep`))).toBe(true);
    const caughtUp = kinds(entries).indexOf('caughtUp');
    expect(kinds(entries)[caughtUp - 1]).toBe('checkpoint');
    const checkpoints = entries.filter((e): e is Extract<Entry, { kind: 'checkpoint' }> => e.kind === 'checkpoint');
    expect(checkpoints.length).toBeGreaterThanOrEqual(3);
    const commits = checkpoints.map((c) => c.position.commit);
    expect(commits).toEqual([...commits].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)));
    expect(entries.slice(caughtUp).some((e) => e.kind === 'checkpoint')).toBe(true);
    await subscription.unsubscribe();
  });

  it('an event-type filter that excludes system events, from a checkpoint it reported, resumes after it', async () => {
    await append('a', 2, 'opened');
    const first = record(
      (onCheckpoint) =>
        client.subscribeToAll({ filter: eventTypeFilter({ regex: '^[^$]', checkpointReached: (_s, p) => onCheckpoint(p) }) }),
      (all) => all.some((e) => e.kind === 'caughtUp'),
    );
    await first.finished;
    await first.subscription.unsubscribe();
    const last = first.entries.filter((e) => e.kind === 'checkpoint').at(-1);
    if (last?.kind !== 'checkpoint') throw new Error('a checkpoint came before caughtUp');
    expect(first.entries.some((e) => e.kind === 'event' && e.streamId.startsWith('$'))).toBe(false);
    await append('b', 1, 'opened');
    const resumed = record(
      () => client.subscribeToAll({ fromPosition: last.position, filter: eventTypeFilter({ regex: '^[^$]' }) }),
      (all) => all.some((e) => e.kind === 'caughtUp'),
    );
    await resumed.finished;
    await resumed.subscription.unsubscribe();
    expect(ours(prefix)(resumed.entries)).toMatchObject([{ streamId: `${prefix}b` }]);
  });

  it('a filtered subscription from the start of an empty log reports checkpoint (0, 0) before caughtUp', async () => {
    const empty = await startDouble({ systemEvents: false });
    const emptyClient = EventStoreDBClient.connectionString(empty.connectionString);
    const { entries, finished, subscription } = record(
      (onCheckpoint) =>
        emptyClient.subscribeToAll({ filter: streamNameFilter({ prefixes: ['x'], checkpointReached: (_s, p) => onCheckpoint(p) }) }),
      (all) => all.some((e) => e.kind === 'caughtUp'),
    );
    await finished;
    await subscription.unsubscribe();
    await emptyClient.dispose();
    await empty.close();
    expect(entries).toEqual([{ kind: 'checkpoint', position: { commit: 0n, prepare: 0n } }, { kind: 'caughtUp' }]);
  });

  it('a stream from the start, from a revision (exclusive) and from the end; caughtUp, then live', async () => {
    await append('s', 3);
    const stream = `${prefix}s`;
    const fromStart = record(
      () => client.subscribeToStream(stream),
      (all) => all.filter((e) => e.kind === 'event').length === 4,
    );
    const fromRevision = record(
      () => client.subscribeToStream(stream, { fromRevision: 1n }),
      (all) => all.filter((e) => e.kind === 'event').length === 2,
    );
    const fromEnd = record(
      () => client.subscribeToStream(stream, { fromRevision: END }),
      (all) => all.filter((e) => e.kind === 'event').length === 1,
    );
    await Promise.all(
      [fromStart, fromRevision, fromEnd].map(({ subscription }) => new Promise((resolve) => subscription.once('caughtUp', resolve))),
    );
    await append('other', 1);
    await append('s', 1);
    await Promise.all([fromStart.finished, fromRevision.finished, fromEnd.finished]);
    const revisionsOf = (entries: Entry[]) => entries.flatMap((e) => (e.kind === 'event' ? [e.revision] : []));
    expect(revisionsOf(fromStart.entries)).toEqual([0n, 1n, 2n, 3n]);
    expect(kinds(fromStart.entries)[3]).toBe('caughtUp');
    expect(revisionsOf(fromRevision.entries)).toEqual([2n, 3n]);
    expect(revisionsOf(fromEnd.entries)).toEqual([3n]);
    await Promise.all([fromStart, fromRevision, fromEnd].map(({ subscription }) => subscription.unsubscribe()));
    await waitFor(() => double.openCalls() === 0);
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let attempt = 0; attempt < 200 && !condition(); attempt += 1) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(condition()).toBe(true);
}
