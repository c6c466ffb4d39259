import { describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { load } from 'js-yaml';

/** No Docker engine runs here, so the compose file is checked statically against the repository. */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

interface Service {
  image?: string;
  build?: string;
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
}

const compose = load(readFileSync(path.join(root, 'docker-compose.yml'), 'utf8')) as { services: Record<string, Service> };

describe('docker-compose.yml', () => {
  it('runs PostgreSQL, the api and the projector', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['api', 'postgres', 'projector']);
  });

  it('points the api and the projector at the compose PostgreSQL with its own credentials', () => {
    const pg = compose.services.postgres.environment ?? {};
    const expected = `postgres://${pg.POSTGRES_USER}:${pg.POSTGRES_PASSWORD}@postgres:5432/${pg.POSTGRES_DB}`;
    expect(compose.services.api.environment?.DATABASE_URL).toBe(expected);
    expect(compose.services.projector.environment?.DATABASE_URL).toBe(expected);
  });

  it('starts entry points that the build produces', () => {
    for (const name of ['api', 'projector']) {
      const command = compose.services[name].command ?? [];
      expect(command[0]).toBe('node');
      const entry = command[1].replace(/^dist\//, '').replace(/\.js$/, '.ts');
      expect({ name, exists: existsSync(path.join(root, entry)) }).toEqual({ name, exists: true });
    }
  });

  it('builds from a Dockerfile that copies only folders the repository has', () => {
    const dockerfile = readFileSync(path.join(root, 'Dockerfile'), 'utf8');
    const copied = [...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) => m[1].split(/\s+/));
    expect(copied.length).toBeGreaterThan(0);
    for (const source of copied) expect({ source, exists: existsSync(path.join(root, source)) }).toEqual({ source, exists: true });
  });
});
