import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { AddressInfo } from 'node:net';
import { AdminKeyBootstrap } from './access/api-keys/admin-key-bootstrap.js';
import {
  ApiKeyRecord,
  type AdminKeyOutcome,
  loadConfig,
  type AppConfig,
  type Env,
  systemClock,
  type Clock,
  openConnections,
  JsonLogger,
  type LogSink,
} from '#platform';
import { AppModule, type ModuleImport } from './app.module.js';
import { inspectRequestInput, requireJsonBody } from './platform/input/input-guards.js';
import { requestLog } from './platform/logging/request-log.js';
import { enterRequestContext, reenterRequestContext } from './platform/request-context.js';
import type { ProjectionsOptions } from './projections/projections.module.js';
import { projectionsMode } from './projections/projections-mode.js';
import type { OpenDatabase } from '#read-model';
import { createRegistry } from '#projections/registry.js';

/** How long the server keeps an idle keep-alive connection (see listen()). */
const KEEP_ALIVE_TIMEOUT_MS = 65_000;

export interface CreateAppOptions {
  /** Environment to read the configuration from; default `process.env`. */
  env?: Env;
  /** A configuration made already (wins over `env`). */
  config?: AppConfig;
  clock?: Clock;
  /** Where log lines go; default stdout. */
  logSink?: LogSink;
  /** Extra modules, e.g. a spec's test-only controllers. */
  imports?: ModuleImport[];
  /** Default: the registered projections (in the configured zone), run in this process unless PROJECTIONS=off. */
  projections?: Partial<ProjectionsOptions>;
}

export interface App {
  nest: NestExpressApplication;
  config: AppConfig;
  logger: JsonLogger;
  /** How an admin gets in: ADMIN_API_KEY, a key created on this first start, or one that exists. */
  adminKey: AdminKeyOutcome;
  database: OpenDatabase;
  /** Listens on `config.port` (0: a free port); resolves to the base URL. */
  listen(): Promise<string>;
  /** Stops the HTTP server, closes the pools, stops the embedded server. */
  close(): Promise<void>;
}

function setUpOpenApi(nest: NestExpressApplication): void {
  const document = new DocumentBuilder()
    .setTitle('bildirim')
    .setDescription(
      'Event-sourced customer-service tickets. Every endpoint but /health needs an API key, sent as ' +
        '"Authorization: Bearer <key>" or "X-API-Key: <key>". Errors are { statusCode, code, message, details, correlationId }.',
    )
    .setVersion('0.1.0')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'An API key (bk_…)' }, 'api-key')
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', bearerFormat: 'API key (bk_…)', description: 'The same API key as a bearer token' },
      'bearer',
    )
    .addSecurityRequirements('api-key')
    .addSecurityRequirements('bearer')
    .build();
  SwaggerModule.setup('docs', nest, () => SwaggerModule.createDocument(nest, document), { jsonDocumentUrl: 'docs-json' });
}

/** A start that failed once the database was open closes it again: no embedded server outlives it. */
async function closeAfterFailure(close: () => Promise<void>, error: unknown): Promise<never> {
  try {
    await close();
  } catch (closeError) {
    throw new AggregateError([error, closeError], 'the API could not start, and closing its database failed too', { cause: closeError });
  }
  throw error;
}

/**
 * Builds the whole API on a fresh Nest application, initialised but not listening: the
 * database is open and migrated, the admin key ensured. Used by `main.ts` and by e2e specs.
 */
export async function createApp(options: CreateAppOptions = {}): Promise<App> {
  const config = options.config ?? loadConfig(options.env ?? process.env);
  const logger = new JsonLogger(config.logLevel, options.logSink);
  const projections: ProjectionsOptions = {
    registry: options.projections?.registry ?? createRegistry({ reportingTimeZone: config.reportingTimeZone }),
    mode: options.projections?.mode ?? projectionsMode(options.env ?? process.env),
    runner: options.projections?.runner,
  };
  // Before Nest: a database that cannot be opened (DATA_DIR in use, a wrong DATABASE_URL) is
  // the caller's to report, once; from inside a provider Nest would log it as well, with its stack.
  const connections = await openConnections({
    config,
    logger,
    applicationName: 'bildirim-api',
    entities: [ApiKeyRecord],
    reports: config.reports,
    warmUp: true,
  });
  let nest: NestExpressApplication;
  try {
    nest = await NestFactory.create<NestExpressApplication>(
      AppModule.forRoot({ config, logger, clock: options.clock ?? systemClock, connections, imports: options.imports, projections }),
      { logger, bodyParser: false, abortOnError: false },
    );
  } catch (error) {
    return closeAfterFailure(() => connections.close(), error);
  }
  nest.disable('x-powered-by');
  // Express would add a weak ETag to every body; ours, where there is one, names a ticket revision.
  nest.set('etag', false);
  // Only a configured proxy's X-Forwarded-Proto makes a request `secure` (the session cookie's Secure flag).
  nest.set('trust proxy', config.trustProxy);
  // Before the body parser, so a 413 or malformed JSON still has a correlation id and a log line.
  nest.use(enterRequestContext);
  nest.use(requestLog(logger));
  nest.use(requireJsonBody);
  nest.useBodyParser('json', { limit: config.bodyLimitBytes });
  nest.use(reenterRequestContext);
  nest.use(inspectRequestInput);
  setUpOpenApi(nest);
  try {
    await nest.init();
  } catch (error) {
    // The shutdown hooks stop whatever started (the runners) before they close the connections.
    return closeAfterFailure(() => nest.close(), error);
  }

  return {
    nest,
    config,
    logger,
    adminKey: nest.get(AdminKeyBootstrap).outcome,
    database: connections.database,
    listen: async () => {
      const server = await nest.listen(config.port);
      // Idle keep-alive sockets outlive the usual client and load-balancer idle timeouts (60 s), so
      // the server is never the side that closes one as a client reuses it (Node's 5 s default let a
      // command go unanswered with ECONNRESET under steady load). Headers must be allowed longer still.
      server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
      server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1000;
      const { port } = server.address() as AddressInfo;
      return `http://localhost:${port}`;
    },
    close: () => nest.close(),
  };
}
