import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { load } from 'js-yaml';

/**
 * No Docker engine runs here: the compose file is checked statically against the repository,
 * and validated by Debian's docker-compose 1.29 (`config`) when it is installed — `.ci/run`
 * installs it, so CI always runs that part.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

interface Service {
  image?: string;
  build?: string | { context: string };
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  ports?: Array<string | { published: number | string; target: number; host_ip?: string }>;
}

interface Compose {
  name?: string;
  services: Record<string, Service>;
}

const compose = load(readFileSync(path.join(root, 'docker-compose.yml'), 'utf8')) as Compose;

/** The Dockerfile's instructions, continuation lines joined, split into stages at each FROM. */
function dockerfileStages(): Array<Array<{ instruction: string; args: string }>> {
  const text = readFileSync(path.join(root, 'Dockerfile'), 'utf8').replace(/\\\n/g, ' ');
  const stages: Array<Array<{ instruction: string; args: string }>> = [];
  for (const line of text.split('\n')) {
    const match = /^\s*([A-Za-z]+)\s+(.*)$/.exec(line);
    if (!match || line.trim().startsWith('#')) continue;
    const instruction = match[1].toUpperCase();
    if (instruction === 'FROM') stages.push([]);
    stages.at(-1)?.push({ instruction, args: match[2].trim() });
  }
  return stages;
}

const DOCKER_COMPOSE = ['/usr/bin/docker-compose', '/usr/local/bin/docker-compose'].find((candidate) => existsSync(candidate));

/** docker-compose with no environment but a PATH (the brief's `env -i PATH=/usr/bin:/bin`) and the variables given. */
function dockerCompose(args: string[], env: Record<string, string> = {}) {
  if (!DOCKER_COMPOSE) throw new Error('docker-compose is not installed');
  const run = spawnSync(DOCKER_COMPOSE, ['-f', 'docker-compose.yml', ...args], {
    cwd: root,
    env: { PATH: '/usr/bin:/bin', ...env },
    encoding: 'utf8',
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('docker-compose.yml', () => {
  it('runs PostgreSQL, the api and the projector', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['api', 'postgres', 'projector']);
  });

  it('has no top-level name (docker-compose 1.x refuses it)', () => {
    expect(Object.keys(compose).filter((key) => key === 'name')).toEqual([]);
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

  it('builds from a Dockerfile that copies only what the repository has and the build context sends', () => {
    const dockerfile = readFileSync(path.join(root, 'Dockerfile'), 'utf8');
    const copied = [...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) => m[1].split(/\s+/));
    expect(copied.length).toBeGreaterThan(0);
    for (const source of copied) expect({ source, exists: existsSync(path.join(root, source)) }).toEqual({ source, exists: true });
    const ignored = readFileSync(path.join(root, '.dockerignore'), 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'));
    expect(copied.filter((source) => ignored.includes(source))).toEqual([]);
    // The embedded database's files may belong to another OS user: sending them would fail the build.
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', 'dist', '.data']));
  });

  it("gives the image's runtime user a DATA_DIR it owns", () => {
    const runtime = dockerfileStages().at(-1) ?? [];
    const user = runtime.filter((step) => step.instruction === 'USER').at(-1)?.args;
    const dataDir = runtime
      .filter((step) => step.instruction === 'ENV')
      .map((step) => /^DATA_DIR[= ](\S+)$/.exec(step.args)?.[1])
      .find((dir) => dir !== undefined);
    expect(user).toBeDefined();
    expect(dataDir).toMatch(/^\//);
    const owned = runtime.some(
      (step) =>
        step.instruction === 'RUN' &&
        step.args.includes(`mkdir -p ${dataDir}`) &&
        new RegExp(`chown (-R )?${user}(:${user})? ${dataDir}(\\s|$)`).test(step.args),
    );
    expect({ user, dataDir, owned }).toEqual({ user, dataDir, owned: true });
  });
});

const withDockerCompose = DOCKER_COMPOSE ? describe : describe.skip;
if (!DOCKER_COMPOSE) console.log('docker-compose is not installed: its validation of docker-compose.yml is skipped (.ci/run installs it)');

withDockerCompose(`docker-compose.yml with ${DOCKER_COMPOSE ?? 'docker-compose'}`, () => {
  it('validates with no environment variable set', () => {
    const run = dockerCompose(['config', '-q']);
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
  });

  it('resolves, with nothing set, to a first start that prints an admin key and a consistent database password', () => {
    const run = dockerCompose(['config']);
    expect(run.status).toBe(0);
    const resolved = load(run.stdout) as Compose;
    expect(resolved.services.api.environment?.ADMIN_API_KEY).toBe('');
    const password = resolved.services.postgres.environment?.POSTGRES_PASSWORD;
    expect(password).toBe('bildirim');
    expect(resolved.services.api.environment?.DATABASE_URL).toBe(`postgres://bildirim:${password}@postgres:5432/bildirim`);
  });

  it('takes the variables a user sets', () => {
    const run = dockerCompose(['config'], {
      ADMIN_API_KEY: 'k'.repeat(32),
      POSTGRES_PASSWORD: 'not-the-default',
      API_PORT: '8080',
      POSTGRES_PORT: '15432',
    });
    expect(run.status).toBe(0);
    const resolved = load(run.stdout) as Compose;
    expect(resolved.services.api.environment?.ADMIN_API_KEY).toBe('k'.repeat(32));
    expect(resolved.services.postgres.environment?.POSTGRES_PASSWORD).toBe('not-the-default');
    for (const name of ['api', 'projector']) {
      expect(resolved.services[name].environment?.DATABASE_URL).toBe('postgres://bildirim:not-the-default@postgres:5432/bildirim');
    }
    expect(resolved.services.api.ports).toEqual([expect.objectContaining({ published: 8080, target: 3000 })]);
    expect(JSON.stringify(resolved.services.postgres.ports)).toContain('15432');
  });
});
