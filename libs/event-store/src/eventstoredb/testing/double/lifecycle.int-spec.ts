import { afterEach, describe, expect, it } from '@jest/globals';
import { CancelledError, EventStoreDBClient, jsonEvent, UnavailableError, type ResolvedEvent } from '@eventstore/db-client';
import { startDouble, type EventStoreDbDouble } from './index.js';

const failureOf = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );
/** UNAVAILABLE as the client reports it: its UnavailableError, or the plain gRPC ServiceError (code 14) it sometimes passes on. */
const isUnavailable = (error: unknown): boolean =>
  error instanceof UnavailableError || (error instanceof Error && 'code' in error && (error as { code: unknown }).code === 14);

describe('lifecycle', () => {
  let double: EventStoreDbDouble | undefined;
  let client: EventStoreDBClient | undefined;
  const connect = async (options?: Parameters<typeof startDouble>[0]) => {
    double = await startDouble(options);
    client = EventStoreDBClient.connectionString(double.connectionString);
    return { double, client };
  };
  afterEach(async () => {
    await client?.dispose();
    await double?.close();
  });

  it('system events: a fresh node has $-stream events, a restart writes a new epoch; systemEvents: false has none', async () => {
    const { double: node } = await connect();
    const before = node.events();
    expect(before.length).toBeGreaterThan(0);
    expect(before.every((e) => e.streamId.startsWith('$'))).toBe(true);
    expect(before.some((e) => e.type === '$epoch-information')).toBe(true);
    await node.stop();
    await node.start();
    expect(node.events().filter((e) => e.type === '$epoch-information')).toHaveLength(2);
    const bare = await startDouble({ systemEvents: false });
    expect(bare.events()).toEqual([]);
    await bare.close();
  });

  it('ServerFeatures: the client appends through BatchAppend (a standing duplex call) only when it is advertised', async () => {
    const { double: plain, client: plainClient } = await connect({ systemEvents: false });
    await plainClient.appendToStream('s', jsonEvent({ type: 't', data: {} }));
    expect(plain.openCalls()).toBe(0);
    await plainClient.dispose();
    await plain.close();
    const { double: batching, client: batchingClient } = await connect({ systemEvents: false, batchAppend: true });
    await batchingClient.appendToStream('s', jsonEvent({ type: 't', data: {} }));
    expect(batching.openCalls()).toBe(1);
  });

  it('stop ends a live subscription with UNAVAILABLE; the port, the connection string and the data survive a restart', async () => {
    const { double: node, client: esdb } = await connect();
    await esdb.appendToStream('kept', jsonEvent({ type: 't', data: { n: 1 } }));
    const subscription = esdb.subscribeToAll();
    const ended = new Promise<unknown>((resolve) => subscription.on('error', resolve));
    subscription.on('data', (_event: ResolvedEvent) => undefined);
    await new Promise((resolve) => subscription.once('caughtUp', resolve));
    const connectionString = node.connectionString;
    await node.stop();
    expect(isUnavailable(await ended)).toBe(true);
    expect(node.openCalls()).toBe(0);
    const whileDown = await failureOf(esdb.appendToStream('kept', jsonEvent({ type: 't', data: { n: 2 } })));
    expect(isUnavailable(whileDown)).toBe(true);
    await node.start();
    expect(node.connectionString).toBe(connectionString);
    const after = await esdb.appendToStream('kept', jsonEvent({ type: 't', data: { n: 3 } }), { expectedRevision: 0n });
    expect(after.nextExpectedRevision).toBe(1n);
    expect(node.events().filter((e) => e.streamId === 'kept')).toHaveLength(2);
  });

  it('an abrupt stop cancels the streams: the subscription errors with CancelledError; the next call reconnects', async () => {
    const { double: node, client: esdb } = await connect();
    const subscription = esdb.subscribeToAll();
    const ended = new Promise<unknown>((resolve) => subscription.on('error', resolve));
    subscription.on('data', (_event: ResolvedEvent) => undefined);
    await new Promise((resolve) => subscription.once('caughtUp', resolve));
    await node.stop({ abruptly: true });
    // The transport resets the streams (RST_STREAM CANCEL): the client reports CANCELLED, which it too treats as "reconnect".
    expect(await ended).toBeInstanceOf(CancelledError);
    await node.start();
    await expect(esdb.appendToStream('s', jsonEvent({ type: 't', data: {} }))).resolves.toMatchObject({ success: true });
  });

  it('close is idempotent', async () => {
    const { double: node } = await connect();
    await node.close();
    await node.close();
    await expect(node.start()).rejects.toThrow('closed');
  });
});
