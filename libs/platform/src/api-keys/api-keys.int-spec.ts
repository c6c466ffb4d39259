import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { createReadModelDataSource, destroyDataSource, migrateReadModel } from '#read-model';
import { createTestDatabase, type TestDatabase } from '#read-model/testing/test-database.js';
import { ManualClock } from '../testing/manual-clock.js';
import { ApiKeyRecord } from './api-key.record.js';
import { ApiKeys } from './api-keys.js';

describe('ApiKeys on PostgreSQL', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  const clock = new ManualClock('2025-03-01T10:00:00.000Z');
  let keys: ApiKeys;

  beforeAll(async () => {
    database = await createTestDatabase('apikeys');
    dataSource = createReadModelDataSource({ url: database.url, applicationName: 'api-keys-spec', entities: [ApiKeyRecord] });
    await dataSource.initialize();
    await migrateReadModel(dataSource);
    keys = new ApiKeys(dataSource, clock);
  });

  afterAll(async () => {
    await destroyDataSource(dataSource);
    await database.drop();
  });

  it('creates a key that authenticates as its caller, and stores only its hash', async () => {
    const created = await keys.create('call-centre', ['service', 'service', 'importer'], 'spec');
    expect(created).toMatchObject({
      name: 'call-centre',
      roles: ['service', 'importer'],
      createdAt: '2025-03-01T10:00:00.000Z',
      createdBy: 'spec',
      revokedAt: null,
    });
    expect(await keys.authenticate(created.key)).toEqual({ apiKeyId: created.id, name: 'call-centre', roles: ['service', 'importer'] });
    expect(await keys.authenticate(`${created.key}x`)).toBeUndefined();
    const stored = await dataSource.query<Array<{ row: string }>>('SELECT row_to_json(k)::text AS row FROM api_keys k WHERE id = $1', [
      created.id,
    ]);
    // The secret is everything after `bk_<id>_`: base64url, so it may itself hold '_'.
    const secret = created.key.slice(`bk_${created.id}_`.length);
    expect(secret.length).toBeGreaterThanOrEqual(20);
    expect(stored[0].row).not.toContain(secret);
  });

  it('revokes a key: it no longer authenticates, and revoking again keeps the first time', async () => {
    const created = await keys.create('web-forms', ['service'], 'spec');
    clock.set('2025-03-01T11:00:00.000Z');
    expect((await keys.revoke(created.id, { keepAnAdmin: true })).revokedAt).toBe('2025-03-01T11:00:00.000Z');
    expect(await keys.authenticate(created.key)).toBeUndefined();
    clock.set('2025-03-01T12:00:00.000Z');
    expect((await keys.revoke(created.id, { keepAnAdmin: true })).revokedAt).toBe('2025-03-01T11:00:00.000Z');
    await expect(keys.revoke('nope', { keepAnAdmin: true })).rejects.toMatchObject({ code: 'API_KEY_NOT_FOUND', kind: 'not_found' });
  });

  it('refuses a key at once after this process revoked it, though it had verified (and kept) it just before', async () => {
    const created = await keys.create('kiosk', ['service'], 'spec');
    expect(await keys.authenticate(created.key)).toMatchObject({ apiKeyId: created.id });
    expect(await keys.authenticate(created.key)).toMatchObject({ apiKeyId: created.id });
    await keys.revoke(created.id, { keepAnAdmin: true });
    expect(await keys.authenticate(created.key)).toBeUndefined();
  });

  it('reads the table again for a key it has not verified: one made by another process works at once', async () => {
    const elsewhere = new ApiKeys(dataSource, clock);
    const created = await elsewhere.create('other-process', ['analyst'], 'spec');
    expect(await keys.authenticate(created.key)).toEqual({ apiKeyId: created.id, name: 'other-process', roles: ['analyst'] });
  });

  it('lists keys without secrets', async () => {
    const listed = await keys.list();
    expect(listed.map((key) => key.name)).toEqual(expect.arrayContaining(['call-centre', 'web-forms']));
    for (const key of listed) expect(Object.keys(key).sort()).toEqual(['createdAt', 'createdBy', 'id', 'name', 'revokedAt', 'roles']);
  });

  it('creates one first-start admin key even when two processes start together, and none later', async () => {
    const outcomes = await Promise.all([keys.ensureAdminKey(undefined), keys.ensureAdminKey(undefined)]);
    expect(outcomes.map((outcome) => outcome.kind).sort()).toEqual(['created', 'present']);
    expect(await keys.ensureAdminKey(undefined)).toEqual({ kind: 'present' });
  });

  it('makes ADMIN_API_KEY an active admin key, idempotently, and restores it if it was revoked', async () => {
    const secret = 'an-operator-chosen-admin-secret-0123456789';
    const first = await keys.ensureAdminKey(secret);
    expect(first).toMatchObject({ kind: 'from-env', changed: true });
    expect(await keys.ensureAdminKey(secret)).toMatchObject({ kind: 'from-env', changed: false });
    const caller = await keys.authenticate(secret);
    expect(caller?.roles).toEqual(['admin']);
    await keys.revoke(caller?.apiKeyId ?? '', { keepAnAdmin: false });
    expect(await keys.authenticate(secret)).toBeUndefined();
    expect(await keys.ensureAdminKey(secret)).toMatchObject({ kind: 'from-env', changed: true });
    expect(await keys.authenticate(secret)).toMatchObject({ roles: ['admin'] });
  });

  it('keeps the last active admin key when asked to (HTTP), even against two revocations at once', async () => {
    for (const key of await keys.list())
      if (key.roles.includes('admin') && key.revokedAt === null) await keys.revoke(key.id, { keepAnAdmin: false });
    const first = await keys.create('admin-a', ['admin'], 'spec');
    const second = await keys.create('admin-b', ['admin', 'analyst'], 'spec');
    const outcomes = await Promise.allSettled([
      keys.revoke(first.id, { keepAnAdmin: true }),
      keys.revoke(second.id, { keepAnAdmin: true }),
    ]);
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    const refused = outcomes.find((outcome) => outcome.status === 'rejected');
    expect(refused?.status === 'rejected' ? refused.reason : undefined).toMatchObject({ code: 'LAST_ADMIN_KEY', kind: 'conflict' });
    const left = (await keys.list()).filter((key) => key.roles.includes('admin') && key.revokedAt === null);
    expect(left).toHaveLength(1);
    await expect(keys.revoke(left[0].id, { keepAnAdmin: true })).rejects.toMatchObject({ code: 'LAST_ADMIN_KEY' });
    expect((await keys.revoke(left[0].id, { keepAnAdmin: false })).revokedAt).not.toBeNull();
  });
});
