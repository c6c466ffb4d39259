import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * Every integration spec gets a database of its own on the one throwaway cluster that
 * jest's global set-up starts (test/support/global-setup.ts), so specs never see each
 * other's rows and no spec needs to clean up after another.
 */
export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

export function testClusterUrl(database = 'postgres'): string {
  const base = process.env.TEST_POSTGRES_URL;
  if (!base) throw new Error('TEST_POSTGRES_URL is not set: run the specs through jest (npm test), whose global set-up starts PostgreSQL');
  const url = new URL(base);
  url.pathname = `/${database}`;
  return url.toString();
}

async function dropDatabase(name: string): Promise<void> {
  const client = new pg.Client({ connectionString: testClusterUrl() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

async function createDatabase(name: string, template?: TestDatabase): Promise<TestDatabase> {
  const admin = new pg.Client({ connectionString: testClusterUrl() });
  await admin.connect();
  try {
    const from = template ? ` TEMPLATE ${admin.escapeIdentifier(template.name)} STRATEGY FILE_COPY` : '';
    await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(name)}${from}`);
  } finally {
    await admin.end();
  }
  return { name, url: testClusterUrl(name), drop: () => dropDatabase(name) };
}

export function createTestDatabase(prefix = 't'): Promise<TestDatabase> {
  return createDatabase(`${prefix}_${randomBytes(5).toString('hex')}`);
}

/** A copy of a test database (nobody may be connected to it), e.g. the same events seeded once. */
export function cloneTestDatabase(source: TestDatabase, prefix = 't'): Promise<TestDatabase> {
  return createDatabase(`${prefix}_${randomBytes(5).toString('hex')}`, source);
}
