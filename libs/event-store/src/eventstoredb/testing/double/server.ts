/**
 * An in-process EventStoreDB single node for tests: a @grpc/grpc-js server built from the service
 * definitions that @eventstore/db-client itself ships (one copy of the generated code and of grpc-js
 * in the process, or the client's `instanceof` checks fail), speaking to the real client over
 * `esdb://127.0.0.1:<port>?tls=false`. Behaviours and their sources: BEHAVIOURS.md.
 */
import grpc from '@grpc/grpc-js';
import featuresGrpc from '@eventstore/db-client/generated/serverfeatures_grpc_pb.js';
import type { IServerFeaturesServer } from '@eventstore/db-client/generated/serverfeatures_grpc_pb.js';
import featuresPb from '@eventstore/db-client/generated/serverfeatures_pb.js';
import streamsGrpc from '@eventstore/db-client/generated/streams_grpc_pb.js';
import { EventLog, type StoredEvent } from './event-log.js';
import { OpenCalls } from './open-calls.js';
import { streamsService } from './streams-service.js';
import { writeFirstStartEvents, writeStartEvents } from './system-events.js';

export type { StoredEvent } from './event-log.js';

export interface DoubleOptions {
  /** 0 (the default) takes a free port. */
  port?: number;
  /** Advertise Streams.BatchAppend in ServerFeatures (the client then appends through it); default false. */
  batchAppend?: boolean;
  /** Write `$`-stream system events at start as a real node does; default true. */
  systemEvents?: boolean;
}

export interface EventStoreDbDouble {
  /** esdb://127.0.0.1:<port>?tls=false, the same across stop/start. */
  readonly connectionString: string;
  /** The node goes away keeping its data; open calls end with UNAVAILABLE (abruptly: the connection just drops). */
  stop(options?: { abruptly?: boolean }): Promise<void>;
  /** Back on the same port with the same data. */
  start(): Promise<void>;
  /** Stop for good (idempotent). */
  close(): Promise<void>;
  /** Everything in $all order. */
  events(): ReadonlyArray<StoredEvent>;
  /** Server calls in flight (reads, subscriptions, appends). */
  openCalls(): number;
}

const STREAMS_SERVICE = 'event_store.client.streams.streams';
const SERVER_VERSION = '23.10.0';
// Longer than any in-flight call needs to flush its status after stop() ended it.
const GRACEFUL_SHUTDOWN_MS = 2_000;

export async function startDouble(options: DoubleOptions = {}): Promise<EventStoreDbDouble> {
  const double = new GrpcDouble(options);
  await double.start();
  return double;
}

class GrpcDouble implements EventStoreDbDouble {
  readonly #log = new EventLog();
  readonly #calls = new OpenCalls();
  readonly #options: DoubleOptions;
  #port: number;
  #server: grpc.Server | undefined;
  #starts = 0;
  #closed = false;

  constructor(options: DoubleOptions) {
    this.#options = options;
    this.#port = options.port ?? 0;
  }

  get connectionString(): string {
    return `esdb://127.0.0.1:${this.#port}?tls=false`;
  }

  events(): ReadonlyArray<StoredEvent> {
    return [...this.#log.all];
  }

  openCalls(): number {
    return this.#calls.size;
  }

  async start(): Promise<void> {
    if (this.#closed) throw new Error('The double is closed');
    if (this.#server) return;
    const server = new grpc.Server();
    server.addService(streamsGrpc.StreamsService, streamsService(this.#log, this.#calls));
    const features: IServerFeaturesServer = { getSupportedMethods: (_call, callback) => callback(null, this.#features()) };
    server.addService(featuresGrpc.ServerFeaturesService, features);
    this.#port = await new Promise<number>((resolve, reject) =>
      server.bindAsync(`127.0.0.1:${this.#port}`, grpc.ServerCredentials.createInsecure(), (error, port) =>
        error ? reject(error) : resolve(port),
      ),
    );
    this.#server = server;
    this.#starts += 1;
    if (this.#options.systemEvents ?? true) {
      const statsStream = `$stats-127.0.0.1:${this.#port}`;
      if (this.#starts === 1) writeFirstStartEvents(this.#log, statsStream);
      writeStartEvents(this.#log, statsStream, this.#starts - 1);
    }
  }

  async stop(options: { abruptly?: boolean } = {}): Promise<void> {
    const server = this.#server;
    if (!server) return;
    this.#server = undefined;
    if (options.abruptly) {
      server.forceShutdown();
      this.#calls.dropAll();
      return;
    }
    this.#calls.failAll('Server is shutting down.');
    await new Promise<void>((resolve) => {
      const force = setTimeout(() => server.forceShutdown(), GRACEFUL_SHUTDOWN_MS);
      server.tryShutdown(() => {
        clearTimeout(force);
        resolve();
      });
    });
  }

  async close(): Promise<void> {
    await this.stop();
    this.#closed = true;
  }

  #features(): InstanceType<typeof featuresPb.SupportedMethods> {
    const methods = ['read', 'append', ...(this.#options.batchAppend ? ['batchappend'] : [])].map((method) =>
      new featuresPb.SupportedMethod().setServiceName(STREAMS_SERVICE).setMethodName(method),
    );
    return new featuresPb.SupportedMethods().setMethodsList(methods).setEventStoreServerVersion(SERVER_VERSION);
  }
}
