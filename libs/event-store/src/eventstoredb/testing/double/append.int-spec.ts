import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { EventStoreDBClient, jsonEvent, WrongExpectedVersionError, type AppendExpectedRevision } from '@eventstore/db-client';
import { startDouble, type EventStoreDbDouble } from './index.js';

const event = (n: number, id: string = randomUUID()) => jsonEvent({ id, type: 'noted', data: { n } });

async function wrongExpectedVersion(promise: Promise<unknown>): Promise<WrongExpectedVersionError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof WrongExpectedVersionError)) throw new Error(`Expected WrongExpectedVersionError, got ${String(error)}`);
  return error;
}

// Every case runs over Streams.Append and, with batchAppend advertised, over Streams.BatchAppend.
describe.each([false, true])('append (batchAppend advertised: %s)', (batchAppend) => {
  let double: EventStoreDbDouble;
  let client: EventStoreDBClient;
  const stream = () => `ticket-${randomUUID()}`;
  const append = (streamId: string, events: ReturnType<typeof event>[], expectedRevision: AppendExpectedRevision) =>
    client.appendToStream(streamId, events, { expectedRevision });

  beforeAll(async () => {
    double = await startDouble({ batchAppend, systemEvents: false });
    client = EventStoreDBClient.connectionString(double.connectionString);
  });
  afterAll(async () => {
    await client.dispose();
    await double.close();
  });

  it('no_stream creates a stream at revision 0.., positions strictly increasing and unlike revisions', async () => {
    const id = stream();
    const first = await append(id, [event(1), event(2)], 'no_stream');
    const second = await append(id, [event(3)], 1n);
    expect(first.nextExpectedRevision).toBe(1n);
    expect(second.nextExpectedRevision).toBe(2n);
    expect(second.position?.commit).toBeGreaterThan(first.position?.commit ?? Infinity);
    expect(first.position?.commit).toBeGreaterThan(100n);
    expect(first.position?.prepare).toBe(first.position?.commit);
    const stored = double.events().filter((e) => e.streamId === id);
    expect(stored.map((e) => e.revision)).toEqual([0n, 1n, 2n]);
    expect(stored.at(-1)?.position).toEqual(second.position);
  });

  it('no_stream on an existing stream: WrongExpectedVersionError, expected no_stream, current the last revision', async () => {
    const id = stream();
    await append(id, [event(1)], 'no_stream');
    const error = await wrongExpectedVersion(append(id, [event(2)], 'no_stream'));
    expect([error.streamName, error.expectedVersion, error.actualVersion]).toEqual([id, 'no_stream', 0n]);
  });

  it('stream_exists on a missing stream: expected stream_exists, current no_stream; nothing written', async () => {
    const id = stream();
    const error = await wrongExpectedVersion(append(id, [event(1)], 'stream_exists'));
    expect([error.expectedVersion, error.actualVersion]).toEqual(['stream_exists', 'no_stream']);
    expect(double.events().some((e) => e.streamId === id)).toBe(false);
    await append(id, [event(1)], 'any');
    expect((await append(id, [event(2)], 'stream_exists')).nextExpectedRevision).toBe(1n);
  });

  it('an exact revision behind or ahead of the stream: expected that revision, current the last one', async () => {
    const id = stream();
    await append(id, [event(1), event(2), event(3)], 'no_stream');
    const behind = await wrongExpectedVersion(append(id, [event(4)], 0n));
    const ahead = await wrongExpectedVersion(append(id, [event(4)], 7n));
    expect([behind.expectedVersion, behind.actualVersion, ahead.expectedVersion, ahead.actualVersion]).toEqual([0n, 2n, 7n, 2n]);
    const missing = await wrongExpectedVersion(append(stream(), [event(1)], 0n));
    expect([missing.expectedVersion, missing.actualVersion]).toEqual([0n, 'no_stream']);
  });

  it('re-appending the same ids at the same expected revision succeeds without writing', async () => {
    const id = stream();
    const events = [event(1), event(2)];
    const first = await append(id, events, 'no_stream');
    const again = await append(id, events, 'no_stream');
    await append(id, [event(3)], 1n);
    const atRevision = await append(id, [events[1]], 0n);
    expect(again).toEqual(first);
    expect(atRevision).toEqual(first);
    expect(double.events().filter((e) => e.streamId === id)).toHaveLength(3);
  });

  it('re-appending the same ids with any is idempotent; a different event after a known first id is not', async () => {
    const id = stream();
    const events = [event(1), event(2)];
    const first = await append(id, events, 'any');
    await append(id, [event(3)], 'any');
    expect(await append(id, events, 'any')).toEqual(first);
    expect(await append(id, events, 'stream_exists')).toEqual(first);
    const corrupted = await wrongExpectedVersion(append(id, [events[0], event(9)], 'any'));
    expect([corrupted.expectedVersion, corrupted.actualVersion]).toEqual(['any', 2n]);
    expect(double.events().filter((e) => e.streamId === id)).toHaveLength(3);
  });

  it('the same ids at a revision where other events stand: WrongExpectedVersionError', async () => {
    const id = stream();
    const events = [event(1), event(2)];
    await append(id, events, 'no_stream');
    const shifted = await wrongExpectedVersion(append(id, [events[1], event(3)], 0n));
    expect([shifted.expectedVersion, shifted.actualVersion]).toEqual([0n, 1n]);
  });
});
