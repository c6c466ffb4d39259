import { describe, it } from '@jest/globals';
import { describeEventStoreConformance, type EventStoreUnderTest } from '../conformance/event-store-conformance.js';
import { EventStoreDbEventStore } from './eventstoredb-event-store.js';
import { startDouble } from './testing/double/index.js';

/*
 * The port's conformance suite against the EventStoreDB adapter: always on the in-process double
 * (testing/double, BEHAVIOURS.md), and on a real server when EVENTSTORE_CONNECTION_STRING names one
 * (README "Production: EventStoreDB" says how to run it).
 */

function onTheDouble(batchAppend: boolean): () => Promise<EventStoreUnderTest> {
  return async () => {
    const double = await startDouble({ batchAppend });
    const store = EventStoreDbEventStore.connect(double.connectionString);
    return {
      store,
      dispose: async () => {
        await store.close();
        await double.close();
      },
    };
  };
}

describeEventStoreConformance('EventStoreDbEventStore on the test double', onTheDouble(false), { idempotency: 'per-stream' });

describeEventStoreConformance('EventStoreDbEventStore on the test double advertising BatchAppend', onTheDouble(true), {
  idempotency: 'per-stream',
  concurrentEvents: 2_000,
});

const realServer = process.env.EVENTSTORE_CONNECTION_STRING;
if (realServer) {
  describeEventStoreConformance(
    `EventStoreDbEventStore on the real server at ${realServer.replace(/\/\/[^@/]*@/, '//***@')}`,
    async () => {
      const store = EventStoreDbEventStore.connect(realServer);
      return { store, dispose: () => store.close() };
    },
    { idempotency: 'per-stream', visibilityTimeoutMs: 30_000 },
  );
} else {
  // Skipped here on purpose: no EventStoreDB server can run on this machine or in CI (no Docker
  // engine, no .NET; ../shared/TOOLCHAIN.md "EventStoreDB"). The suite above runs the same
  // conformance against the protocol-level double; against a real server it runs whenever
  // EVENTSTORE_CONNECTION_STRING names one (docker-compose up -d eventstoredb).
  describe('EventStoreDbEventStore on a real server', () => {
    // Skipped because no real EventStoreDB runs here (see above): it stands in the run as a reminder
    // that the conformance suite also runs against a real server when one is named.
    it.skip('skipped: set EVENTSTORE_CONNECTION_STRING (e.g. esdb://localhost:2113?tls=false) to run the suite against one', () => {
      // Shown as skipped in the run, with the reason in its name.
    });
  });
  console.log(
    'EventStoreDB conformance against a real server skipped: EVENTSTORE_CONNECTION_STRING is not set ' +
      '(docker-compose up -d eventstoredb, then EVENTSTORE_CONNECTION_STRING=esdb://localhost:2113?tls=false)',
  );
}
