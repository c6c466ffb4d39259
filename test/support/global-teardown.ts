import { rmSync } from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  const server = globalThis.__testPostgres;
  if (!server) return;
  await server.stop();
  const dataDir = process.env.TEST_POSTGRES_DATA_DIR;
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}
