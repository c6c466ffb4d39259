import { createApp, type App, type CreateAppOptions } from './create-app.js';
import { startUpBanner } from './start-up-banner.js';

/**
 * `npm start`: the API listening on PORT, shutting down cleanly on SIGINT/SIGTERM, and the
 * start-up banner (URL, /docs, how to get an admin key) on stdout.
 */
export async function bootstrap(options: CreateAppOptions = {}): Promise<App> {
  const app = await createApp(options);
  // Stop taking requests, close the pools, stop the embedded server, then exit.
  app.nest.enableShutdownHooks(['SIGINT', 'SIGTERM']);
  const url = await app.listen();
  app.logger.info('listening', { url, docs: `${url}/docs`, database: app.database.mode });
  process.stdout.write(`${startUpBanner(url, app.config, app.database.mode, app.adminKey)}\n`);
  return app;
}
