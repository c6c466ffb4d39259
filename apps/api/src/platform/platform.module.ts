import { Global, Inject, Injectable, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EVENT_STORE } from '#event-store';
import {
  APP_CONFIG,
  type AppConfig,
  CLOCK,
  type Clock,
  type Connections,
  DATABASE,
  EVENT_STORE_POOL,
  IDEMPOTENCY_POOL,
  INLINE_PROJECTIONS,
  REPORT_POOL,
  ReferenceStore,
  JsonLogger,
} from '#platform';
import { IdempotencyService } from '../idempotency/idempotency.service.js';

const CONNECTIONS = Symbol('CONNECTIONS');

/** Closes the pools, then stops the embedded server; global modules shut down after all others. */
@Injectable()
class ConnectionsShutdown implements OnApplicationShutdown {
  constructor(
    @Inject(CONNECTIONS) private readonly connections: Connections,
    private readonly logger: JsonLogger,
  ) {}

  async onApplicationShutdown(signal?: string): Promise<void> {
    this.logger.info('closing the database connections', { signal, database: this.connections.database.mode });
    await this.connections.close();
    this.logger.info('shut down cleanly');
  }
}

export interface PlatformOptions {
  config: AppConfig;
  logger: JsonLogger;
  clock: Clock;
  /** Opened before the Nest application (see createApp); closed by it on shutdown. */
  connections: Connections;
}

/**
 * What every feature module may inject without importing anything: APP_CONFIG, JsonLogger,
 * CLOCK, the database (DATABASE, EVENT_STORE_POOL, IDEMPOTENCY_POOL, INLINE_PROJECTIONS, REPORT_POOL, DataSource, EVENT_STORE)
 * the IdempotencyService and the ReferenceStore (reference data, cached per process).
 */
@Global()
@Module({})
export class PlatformModule {
  static forRoot(options: PlatformOptions): DynamicModule {
    const fromConnections = <T>(token: symbol | typeof DataSource, pick: (connections: Connections) => T) => ({
      provide: token,
      inject: [CONNECTIONS],
      useFactory: pick,
    });
    return {
      module: PlatformModule,
      providers: [
        { provide: APP_CONFIG, useValue: options.config },
        { provide: JsonLogger, useValue: options.logger },
        { provide: CLOCK, useValue: options.clock },
        { provide: CONNECTIONS, useValue: options.connections },
        fromConnections(DATABASE, (connections) => connections.database),
        fromConnections(EVENT_STORE_POOL, (connections) => connections.eventStorePool),
        fromConnections(IDEMPOTENCY_POOL, (connections) => connections.idempotencyPool),
        fromConnections(INLINE_PROJECTIONS, (connections) => connections.projections),
        fromConnections(REPORT_POOL, (connections) => connections.reportPool),
        fromConnections(DataSource, (connections) => connections.dataSource),
        fromConnections(EVENT_STORE, (connections) => connections.eventStore),
        {
          provide: ReferenceStore,
          inject: [CONNECTIONS],
          useFactory: (connections: Connections) => new ReferenceStore(connections.eventStore, connections.eventStorePool),
        },
        ConnectionsShutdown,
        IdempotencyService,
      ],
      exports: [
        APP_CONFIG,
        JsonLogger,
        CLOCK,
        DATABASE,
        EVENT_STORE_POOL,
        IDEMPOTENCY_POOL,
        INLINE_PROJECTIONS,
        REPORT_POOL,
        DataSource,
        EVENT_STORE,
        ReferenceStore,
        IdempotencyService,
      ],
    };
  }
}
