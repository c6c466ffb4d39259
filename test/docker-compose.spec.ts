import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CORE_SCHEMA, load, mergeTag } from 'js-yaml';

/**
 * No Docker engine runs here: the compose file is checked statically against the repository (and README),
 * and validated by Debian's docker-compose 1.29 (`config`, with and without `--profile cluster`) when it is installed — `.ci/run`
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
  healthcheck?: { test: string[] };
  profiles?: string[];
  volumes?: string[];
}

interface Compose {
  name?: string;
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

// Compose's YAML parsers (PyYAML in 1.29, go-yaml in v2) merge `<<:` keys; js-yaml 5 does only when asked.
const compose = load(readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'), { schema: CORE_SCHEMA.withTags(mergeTag) }) as Compose;
const readme = readFileSync(path.join(root, 'README.md'), 'utf8');

/** The services that run an EventStoreDB server (the single node and the cluster's nodes). */
const eventStoreNodes = Object.keys(compose.services).filter((name) => compose.services[name].image?.startsWith('eventstore/eventstore:'));
const clusterNodes = eventStoreNodes.filter((name) => compose.services[name].profiles?.includes('cluster'));

/** The named volume mounted at a container path, if a service mounts one there (`name:/path`). */
function namedVolumeAt(service: Service, target: string): string | undefined {
  return (service.volumes ?? []).map((mount) => mount.split(':')).find(([, at]) => at === target)?.[0];
}

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
  it('runs PostgreSQL, EventStoreDB, the api and the projector, and a three-node cluster under a profile', () => {
    expect(Object.keys(compose.services).sort()).toEqual([
      'api',
      'esdb-node1',
      'esdb-node2',
      'esdb-node3',
      'eventstore',
      'postgres',
      'projector',
    ]);
    expect(eventStoreNodes.sort()).toEqual(['esdb-node1', 'esdb-node2', 'esdb-node3', 'eventstore']);
    expect(clusterNodes.sort()).toEqual(['esdb-node1', 'esdb-node2', 'esdb-node3']);
    // Only the cluster is optional: everything else starts with a plain `up`.
    const profiled = Object.entries(compose.services).filter(([, service]) => service.profiles !== undefined);
    expect(profiled.map(([name, service]) => [name, service.profiles])).toEqual(clusterNodes.map((name) => [name, ['cluster']]));
  });

  it('runs every EventStoreDB node from one image, insecure, without server projections or AtomPub', () => {
    const images = new Set(eventStoreNodes.map((name) => compose.services[name].image));
    expect([...images]).toEqual(['eventstore/eventstore:24.10']);
    for (const name of eventStoreNodes) {
      const env = compose.services[name].environment ?? {};
      const settings = {
        name,
        EVENTSTORE_INSECURE: env.EVENTSTORE_INSECURE,
        EVENTSTORE_RUN_PROJECTIONS: env.EVENTSTORE_RUN_PROJECTIONS,
        EVENTSTORE_ENABLE_ATOM_PUB_OVER_HTTP: env.EVENTSTORE_ENABLE_ATOM_PUB_OVER_HTTP,
      };
      expect(settings).toEqual({
        name,
        EVENTSTORE_INSECURE: 'true',
        EVENTSTORE_RUN_PROJECTIONS: 'None',
        EVENTSTORE_ENABLE_ATOM_PUB_OVER_HTTP: 'false',
      });
    }
    expect(compose.services.eventstore.environment?.EVENTSTORE_CLUSTER_SIZE).toBe('1');
  });

  it("checks every EventStoreDB node's health on its own /health/live with curl, which the image ships", () => {
    for (const name of eventStoreNodes) {
      const test = compose.services[name].healthcheck?.test ?? [];
      const port = compose.services[name].environment?.EVENTSTORE_NODE_PORT ?? '2113';
      expect({ name, kind: test[0], command: test.slice(1).join(' ') }).toEqual({
        name,
        kind: 'CMD-SHELL',
        command: expect.stringMatching(new RegExp(`^curl --fail .*http://localhost:${port}/health/live`)),
      });
    }
  });

  it('waits only on dependencies that have a health check', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
        const checked = condition !== 'service_healthy' || compose.services[dependency]?.healthcheck !== undefined;
        expect({ name, dependency, checked }).toEqual({ name, dependency, checked: true });
      }
    }
  });

  it('keeps each node in a named volume of its own, each declared, none unused', () => {
    const volumes = eventStoreNodes.map((name) => namedVolumeAt(compose.services[name], '/var/lib/eventstore'));
    expect(volumes.every((volume) => volume !== undefined && /^[a-z]/.test(volume))).toBe(true);
    expect(new Set(volumes).size).toBe(eventStoreNodes.length);
    const mounted = Object.values(compose.services).flatMap((service) => (service.volumes ?? []).map((mount) => mount.split(':')[0]));
    expect(Object.keys(compose.volumes ?? {}).sort()).toEqual([...new Set(mounted)].sort());
  });

  it('forms the cluster by gossip: each node seeds the others by service name and advertises its own', () => {
    for (const name of clusterNodes) {
      const env = compose.services[name].environment ?? {};
      const others = clusterNodes.filter((other) => other !== name).map((other) => `${other}:2113`);
      expect({ name, size: env.EVENTSTORE_CLUSTER_SIZE, seeds: env.EVENTSTORE_GOSSIP_SEED?.split(',').sort() }).toEqual({
        name,
        size: String(clusterNodes.length),
        seeds: others.sort(),
      });
      expect({ name, dns: env.EVENTSTORE_DISCOVER_VIA_DNS, advertised: env.EVENTSTORE_NODE_HOST_ADVERTISE_AS }).toEqual({
        name,
        dns: 'false',
        advertised: name,
      });
      // Insecure nodes: nothing of the cluster is published on the host.
      expect({ name, ports: compose.services[name].ports }).toEqual({ name, ports: undefined });
    }
  });

  it('publishes the insecure single node on 127.0.0.1 only', () => {
    expect(compose.services.eventstore.ports).toEqual(['127.0.0.1:${EVENTSTORE_PORT:-2113}:2113']);
  });

  it('gives the api and the projector the event store, defaulting to the single node, and waits for it to be healthy', () => {
    for (const name of ['api', 'projector']) {
      const service = compose.services[name];
      expect({ name, store: service.environment?.EVENT_STORE, url: service.environment?.EVENTSTORE_CONNECTION_STRING }).toEqual({
        name,
        store: '${EVENT_STORE:-eventstoredb}',
        url: '${EVENTSTORE_CONNECTION_STRING:-esdb://eventstore:2113?tls=false}',
      });
      expect({ name, eventstore: service.depends_on?.eventstore }).toEqual({ name, eventstore: { condition: 'service_healthy' } });
    }
  });

  it("documents the cluster's connection string with the cluster's own node names", () => {
    const cluster = `esdb+discover://${clusterNodes.map((name) => `${name}:2113`).join(',')}?tls=false`;
    expect(readme).toContain(cluster);
    expect(readFileSync(path.join(root, 'docker-compose.yml'), 'utf8')).toContain(cluster);
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

// Skipped only where docker-compose cannot be installed (.ci/run installs it; the static checks above still run).
const withDockerCompose = DOCKER_COMPOSE ? describe : describe.skip;
if (!DOCKER_COMPOSE) console.log('docker-compose is not installed: its validation of docker-compose.yml is skipped (.ci/run installs it)');

withDockerCompose(`docker-compose.yml with ${DOCKER_COMPOSE ?? 'docker-compose'}`, () => {
  it.each([[[]], [['--profile', 'cluster']]])('validates with no environment variable set, options %j', (options: string[]) => {
    const run = dockerCompose([...options, 'config', '-q']);
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
  });

  it('resolves the cluster profile to three nodes of the profile and the single node without one', () => {
    const run = dockerCompose(['--profile', 'cluster', 'config']);
    expect(run.status).toBe(0);
    const resolved = load(run.stdout) as Compose;
    const profiles = Object.fromEntries(
      ['eventstore', 'esdb-node1', 'esdb-node2', 'esdb-node3'].map((name) => [name, resolved.services[name]?.profiles ?? null]),
    );
    expect(profiles).toEqual({ eventstore: null, 'esdb-node1': ['cluster'], 'esdb-node2': ['cluster'], 'esdb-node3': ['cluster'] });
    // The shared settings come from one YAML anchor: every node gets them, and its own seeds.
    expect(resolved.services['esdb-node2'].environment).toEqual(
      expect.objectContaining({
        EVENTSTORE_CLUSTER_SIZE: '3',
        EVENTSTORE_INSECURE: 'true',
        EVENTSTORE_GOSSIP_SEED: 'esdb-node1:2113,esdb-node3:2113',
      }),
    );
  });

  it('resolves, with nothing set, to a first start that prints an admin key and a consistent database password', () => {
    const run = dockerCompose(['config']);
    expect(run.status).toBe(0);
    const resolved = load(run.stdout) as Compose;
    expect(resolved.services.api.environment?.ADMIN_API_KEY).toBe('');
    const password = resolved.services.postgres.environment?.POSTGRES_PASSWORD;
    expect(password).toBe('bildirim');
    expect(resolved.services.api.environment?.DATABASE_URL).toBe(`postgres://bildirim:${password}@postgres:5432/bildirim`);
    for (const name of ['api', 'projector']) {
      const env = resolved.services[name].environment ?? {};
      expect({ name, store: env.EVENT_STORE, url: env.EVENTSTORE_CONNECTION_STRING }).toEqual({
        name,
        store: 'eventstoredb',
        url: 'esdb://eventstore:2113?tls=false',
      });
    }
  });

  it('takes the variables a user sets', () => {
    const run = dockerCompose(['config'], {
      ADMIN_API_KEY: 'k'.repeat(32),
      POSTGRES_PASSWORD: 'not-the-default',
      API_PORT: '8080',
      POSTGRES_PORT: '15432',
      EVENT_STORE: 'postgres',
      EVENTSTORE_CONNECTION_STRING: 'esdb+discover://esdb-node1:2113,esdb-node2:2113,esdb-node3:2113?tls=false',
      EVENTSTORE_PORT: '12113',
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
    for (const name of ['api', 'projector']) {
      const env = resolved.services[name].environment ?? {};
      expect({ name, store: env.EVENT_STORE, url: env.EVENTSTORE_CONNECTION_STRING }).toEqual({
        name,
        store: 'postgres',
        url: 'esdb+discover://esdb-node1:2113,esdb-node2:2113,esdb-node3:2113?tls=false',
      });
    }
    expect(resolved.services.eventstore.ports).toEqual(['127.0.0.1:12113:2113/tcp']);
  });
});
