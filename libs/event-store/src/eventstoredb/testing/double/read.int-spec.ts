import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import grpc from '@grpc/grpc-js';
import sharedPb from '@eventstore/db-client/generated/shared_pb.js';
import streamsGrpc from '@eventstore/db-client/generated/streams_grpc_pb.js';
import streamsPb from '@eventstore/db-client/generated/streams_pb.js';
import type { ReadResp } from '@eventstore/db-client/generated/streams_pb.js';
import { BACKWARDS, END, EventStoreDBClient, jsonEvent, StreamNotFoundError, type ResolvedEvent } from '@eventstore/db-client';
import { startDouble, type EventStoreDbDouble } from './index.js';

async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of source) items.push(item);
  return items;
}
const revisions = (events: ResolvedEvent[]) => events.map((e) => e.event?.revision);
const streamIds = (events: ResolvedEvent[]) => events.map((e) => e.event?.streamId);

describe('read', () => {
  let double: EventStoreDbDouble;
  let client: EventStoreDBClient;
  const a = `a-${randomUUID()}`;
  const b = `b-${randomUUID()}`;

  beforeAll(async () => {
    double = await startDouble();
    client = EventStoreDBClient.connectionString(double.connectionString);
    const events = (type: string, count: number) => Array.from({ length: count }, (_, n) => jsonEvent({ type, data: { n } }));
    await client.appendToStream(a, events('opened', 4));
    await client.appendToStream(b, events('closed', 4));
  });
  afterAll(async () => {
    await client.dispose();
    await double.close();
  });

  it('a stream forwards from a revision (inclusive) with a count, and backwards from the end or a revision', async () => {
    expect(revisions(await collect(client.readStream(a, { fromRevision: 1n, maxCount: 2 })))).toEqual([1n, 2n]);
    expect(revisions(await collect(client.readStream(a, { direction: BACKWARDS, fromRevision: END, maxCount: 3 })))).toEqual([3n, 2n, 1n]);
    expect(revisions(await collect(client.readStream(a, { direction: BACKWARDS, fromRevision: 1n })))).toEqual([1n, 0n]);
    const [first] = await collect(client.readStream(a, { maxCount: 1 }));
    expect(first.event).toMatchObject({ streamId: a, type: 'opened', data: { n: 0 }, isJson: true });
    expect(first.event?.position).toEqual(double.events().find((e) => e.streamId === a)?.position);
  });

  it('a missing stream: StreamNotFoundError', async () => {
    await expect(collect(client.readStream(`missing-${randomUUID()}`))).rejects.toBeInstanceOf(StreamNotFoundError);
  });

  it('$all forwards from the start holds system events first, then the appends in order', async () => {
    const all = await collect(client.readAll());
    expect(streamIds(all).filter((id) => !id?.startsWith('$'))).toEqual([...Array(4).fill(a), ...Array(4).fill(b)]);
    expect(all[0].event?.streamId.startsWith('$')).toBe(true);
    expect(all.map((e) => e.event?.position)).toEqual(double.events().map((e) => e.position));
  });

  it('$all forwards from a position includes the event at it; backwards from it excludes it', async () => {
    const all = await collect(client.readAll());
    const third = all[2].event?.position;
    if (!third) throw new Error('an event has a position');
    expect((await collect(client.readAll({ fromPosition: third, maxCount: 1 })))[0]).toEqual(all[2]);
    const backwards = await collect(client.readAll({ fromPosition: third, direction: BACKWARDS }));
    expect(backwards).toEqual([all[1], all[0]]);
  });

  it('$all backwards from the end, with a count', async () => {
    const all = await collect(client.readAll());
    expect(await collect(client.readAll({ fromPosition: END, direction: BACKWARDS, maxCount: 2 }))).toEqual([all.at(-1), all.at(-2)]);
  });

  // @eventstore/db-client 6.2.1's readAll sends no filter; its own generated StreamsClient sends one as newer clients do.
  describe('$all with a server-side filter (through the generated StreamsClient)', () => {
    let raw: InstanceType<typeof streamsGrpc.StreamsClient>;
    beforeAll(() => {
      raw = new streamsGrpc.StreamsClient(double.connectionString.replace(/^esdb:\/\/|\?.*$/g, ''), grpc.credentials.createInsecure());
    });
    afterAll(() => raw.close());

    const filteredRead = (on: 'stream' | 'type', expression: { prefixes?: string[]; regex?: string }, backwards = false, count = 100) => {
      const expr = new streamsPb.ReadReq.Options.FilterOptions.Expression()
        .setPrefixList(expression.prefixes ?? [])
        .setRegex(expression.regex ?? '');
      const filter = new streamsPb.ReadReq.Options.FilterOptions().setMax(2).setCheckpointintervalmultiplier(1);
      if (on === 'stream') filter.setStreamIdentifier(expr);
      else filter.setEventType(expr);
      const all = new streamsPb.ReadReq.Options.AllOptions();
      if (backwards) all.setEnd(new sharedPb.Empty());
      else all.setStart(new sharedPb.Empty());
      const options = new streamsPb.ReadReq.Options()
        .setAll(all)
        .setReadDirection(backwards ? 1 : 0)
        .setCount(String(count))
        .setFilter(filter)
        .setUuidOption(new streamsPb.ReadReq.Options.UUIDOption().setString(new sharedPb.Empty()));
      return new Promise<string[]>((resolve, reject) => {
        const names: string[] = [];
        raw
          .read(new streamsPb.ReadReq().setOptions(options))
          .on('data', (response: ReadResp) => {
            const recorded = response.getEvent()?.getEvent();
            if (recorded)
              names.push(
                `${Buffer.from(recorded.getStreamIdentifier()?.getStreamName_asU8() ?? []).toString()}/${recorded.getStreamRevision()}`,
              );
          })
          .on('error', reject)
          .on('end', () => resolve(names));
      });
    };

    it('stream-name prefix and regex, event-type prefix and regex; count counts matching events', async () => {
      expect(await filteredRead('stream', { prefixes: [a] }, false, 2)).toEqual([`${a}/0`, `${a}/1`]);
      expect(await filteredRead('stream', { regex: `^${b}` }, true, 3)).toEqual([`${b}/3`, `${b}/2`, `${b}/1`]);
      expect(await filteredRead('type', { prefixes: ['clo'] })).toHaveLength(4);
      const system = await filteredRead('type', { regex: '^\\$' });
      expect(system.length > 0 && system.every((name) => name.startsWith('$'))).toBe(true);
      expect(await filteredRead('type', { regex: 'pen' })).toHaveLength(4);
    });
  });
});
