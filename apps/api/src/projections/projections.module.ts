import {
  Inject,
  Injectable,
  Module,
  type BeforeApplicationShutdown,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnModuleInit,
} from '@nestjs/common';
import type pg from 'pg';
import { EVENT_STORE, type EventStore } from '#event-store';
import {
  migrateProjections,
  ProjectionDaemon,
  ProjectionPositions,
  validateRegistry,
  type DaemonOptions,
  type Projection,
} from '#read-model/projections/index.js';
import { Deliverer, Watchdog } from '#automation';
import {
  APP_CONFIG,
  CLOCK,
  EVENT_STORE_POOL,
  INLINE_PROJECTIONS,
  JsonLogger,
  ReferenceStore,
  webhookRetry,
  type AppConfig,
  type Clock,
  type Connections,
} from '#platform';
import { PROJECTION_WAIT, type ProjectionWait } from '../reports/projection-wait.js';
import { ListProjectionsController } from './list-projections/list-projections.controller.js';
import type { ProjectionsMode } from './projections-mode.js';
import { PROJECTIONS_OPTIONS, PROJECTIONS_POOL } from './projections.tokens.js';
import { ReadYourWrites } from './read-your-writes.js';

export interface ProjectionsOptions {
  registry: readonly Projection[];
  mode: ProjectionsMode;
  /** Runner settings for the inline runners (batch size, polling). */
  runner?: DaemonOptions['runner'];
}

/**
 * With PROJECTIONS=inline, the runners, the SLA watchdog and the webhook deliverer (a
 * single-process install needs its delays and notifications too): they start once the
 * application is initialised and stop (finishing their batch, freeing their locks) before the
 * database connections close. They read and write through connections of their own
 * (INLINE_PROJECTIONS): a runner catching up never makes an append wait for a connection.
 */
@Injectable()
class ProjectionsLifecycle implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown {
  private daemon: ProjectionDaemon | undefined;
  private watchdog: Watchdog | undefined;
  private deliverer: Deliverer | undefined;

  constructor(
    @Inject(PROJECTIONS_POOL) private readonly pool: pg.Pool,
    @Inject(INLINE_PROJECTIONS) private readonly inline: Connections['projections'],
    @Inject(PROJECTIONS_OPTIONS) private readonly options: ProjectionsOptions,
    private readonly logger: JsonLogger,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly reference: ReferenceStore,
  ) {}

  /** GET /projections needs the checkpoints table even when the API runs no projection itself. */
  async onModuleInit(): Promise<void> {
    await migrateProjections(this.pool);
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.options.mode !== 'inline' || this.options.registry.length === 0) {
      this.logger.info('projections are not run in this process', {
        mode: this.options.mode,
        registered: this.options.registry.map((projection) => projection.name),
      });
      return;
    }
    const { pool, eventStore: store } = this.inline;
    this.daemon = new ProjectionDaemon({ pool, store }, this.options.registry, {
      runner: this.options.runner,
      log: (level, msg, fields) => this.logger.write(level, msg, fields),
    });
    await this.daemon.start();
    // The watchdog scans the deadlines projection's table: a registry without it has nothing to scan.
    if (this.config.watchdog.enabled && this.options.registry.some((projection) => projection.name === 'deadlines')) {
      this.watchdog = new Watchdog({
        pool,
        store,
        reference: this.reference,
        referenceMode: this.config.referenceMode,
        clock: this.clock,
        intervalMs: this.config.watchdog.intervalMs,
        backfillQuietMs: this.config.watchdog.backfillQuietMs,
        log: (level, msg, fields) => this.logger.write(level, msg, fields),
      });
      this.watchdog.start();
    }
    // The deliverer sends the notifications projection's outbox: without it there is nothing to send.
    if (this.options.registry.some((projection) => projection.name === 'notifications')) {
      this.deliverer = new Deliverer({
        pool,
        clock: this.clock,
        retry: webhookRetry(this.config.webhooks),
        timeoutMs: this.config.webhooks.timeoutMs,
        log: (level, msg, fields) => this.logger.write(level, msg, fields),
      });
      this.deliverer.start();
    }
  }

  /** Before every onApplicationShutdown, hence before the platform ends the pools. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.deliverer?.stop();
    await this.watchdog?.stop();
    await this.daemon?.stop();
  }
}

/**
 * Projections in the API: GET /projections, read-your-writes for reports (PROJECTION_WAIT,
 * ReadYourWrites), and the inline runners. Global, so the reports inject them without
 * importing this module.
 */
@Module({})
export class ProjectionsModule {
  static forRoot(options: ProjectionsOptions): DynamicModule {
    validateRegistry(options.registry);
    return {
      module: ProjectionsModule,
      global: true,
      controllers: [ListProjectionsController],
      providers: [
        { provide: PROJECTIONS_OPTIONS, useValue: options },
        // The event store's pool: short statements only, and the platform closes it after every
        // module has shut down, so the runners (stopped before) never outlive it.
        { provide: PROJECTIONS_POOL, useExisting: EVENT_STORE_POOL },
        {
          provide: ProjectionPositions,
          inject: [PROJECTIONS_POOL, EVENT_STORE],
          useFactory: (pool: pg.Pool, store: EventStore) => new ProjectionPositions(pool, store),
        },
        ReadYourWrites,
        {
          // The reports read every registered projection, so a report's minPosition waits for all of them.
          provide: PROJECTION_WAIT,
          inject: [ReadYourWrites],
          useFactory: (readYourWrites: ReadYourWrites): ProjectionWait => {
            const names = [...new Set(options.registry.map((projection) => projection.name))];
            return { wait: (minPosition) => readYourWrites.waitForPosition(names, minPosition) };
          },
        },
        ProjectionsLifecycle,
      ],
      exports: [ReadYourWrites, ProjectionPositions, PROJECTIONS_POOL, PROJECTION_WAIT],
    };
  }
}
