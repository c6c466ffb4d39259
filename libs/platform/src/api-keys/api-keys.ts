import { Inject, Injectable } from '@nestjs/common';
import { DataSource, IsNull, type EntityManager } from 'typeorm';
import { CLOCK, type Clock } from '../clock/clock.js';
import { ApiError } from '../errors/api-error.js';
import type { Caller } from '../context/request-context.js';
import type { Role } from './roles.js';
import { ApiKeyRecord } from './api-key.record.js';
import { generateApiKey, hashApiKey, idOfGivenKey } from './api-key-secret.js';
import { VerifiedKeys } from './verified-keys.js';

/** A key as lists show it: never its secret. */
export interface ApiKeyView {
  id: string;
  name: string;
  roles: Role[];
  createdAt: string;
  createdBy: string;
  revokedAt: string | null;
}

export interface CreatedApiKey extends ApiKeyView {
  /** The key itself: shown this once, stored only as a hash. */
  key: string;
}

export type AdminKeyOutcome =
  /** ADMIN_API_KEY was stored now, or made active and admin again */
  | { kind: 'from-env'; id: string; changed: boolean }
  /** an active admin key exists already */
  | { kind: 'present' }
  /** first start: a new admin key, to print once */
  | { kind: 'created'; created: CreatedApiKey };

// Plain SQL rather than the repository: it runs on every request that misses the cache.
const AUTHENTICATE = 'SELECT id, name, roles, revoked_at IS NOT NULL AS revoked FROM api_keys WHERE key_hash = $1';

// Serialises the admin-key bootstrap of processes that start together on one database.
const BOOTSTRAP_LOCK_KEY = 7_361_902_115;

function view(record: ApiKeyRecord): ApiKeyView {
  return {
    id: record.id,
    name: record.name,
    roles: record.roles,
    createdAt: record.createdAt.toISOString(),
    createdBy: record.createdBy,
    revokedAt: record.revokedAt ? record.revokedAt.toISOString() : null,
  };
}

export const apiKeyNotFound = (id: string) => new ApiError('API_KEY_NOT_FOUND', `There is no API key with id ${id}.`, 'not_found', { id });

/** API keys (DESIGN.md §10): create, list, revoke, authenticate; shared by the API and the CLI. */
@Injectable()
export class ApiKeys {
  private readonly verified = new VerifiedKeys();

  constructor(
    private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async create(name: string, roles: readonly Role[], createdBy: string): Promise<CreatedApiKey> {
    return this.insert(this.dataSource.manager, name, roles, createdBy);
  }

  async list(): Promise<ApiKeyView[]> {
    const records = await this.dataSource.getRepository(ApiKeyRecord).find({ order: { createdAt: 'ASC', id: 'ASC' } });
    return records.map(view);
  }

  /**
   * Revoking twice is not an error: the answer is the key with its first revocation time.
   * With `keepAnAdmin` (over HTTP) the last active admin key stays: revoking it would lock
   * every admin out until someone with database access makes a new one.
   */
  async revoke(id: string, options: { keepAnAdmin: boolean }): Promise<ApiKeyView> {
    // Before and after: no request that started before the commit keeps the key it read.
    this.forgetVerified();
    try {
      return await this.revokeInTransaction(id, options);
    } finally {
      this.forgetVerified();
    }
  }

  private revokeInTransaction(id: string, options: { keepAnAdmin: boolean }): Promise<ApiKeyView> {
    return this.dataSource.transaction(async (manager) => {
      // The bootstrap's lock: two revocations of the last two admin keys cannot both pass the count.
      await manager.query('SELECT pg_advisory_xact_lock($1)', [BOOTSTRAP_LOCK_KEY]);
      const repository = manager.getRepository(ApiKeyRecord);
      const record = await repository.findOneBy({ id });
      if (!record) throw apiKeyNotFound(id);
      if (record.revokedAt !== null) return view(record);
      if (options.keepAnAdmin && record.roles.includes('admin') && (await this.activeAdmins(manager)) <= 1) {
        throw new ApiError(
          'LAST_ADMIN_KEY',
          `Key ${id} is the last active admin key; create another admin key before revoking it.`,
          'conflict',
          { id },
        );
      }
      const revokedAt = this.clock.now();
      await repository.update({ id, revokedAt: IsNull() }, { revokedAt });
      return view({ ...record, revokedAt });
    });
  }

  private activeAdmins(manager: EntityManager): Promise<number> {
    return manager
      .getRepository(ApiKeyRecord)
      .createQueryBuilder('key')
      .where('key.revoked_at IS NULL')
      .andWhere(':role = ANY(key.roles)', { role: 'admin' })
      .getCount();
  }

  /**
   * The caller a key stands for; undefined for an unknown or revoked key. A verified key is kept
   * in this process for VERIFIED_KEY_TTL_MS (5 s): a revocation takes effect at once in the process
   * that revoked (it forgets every kept key), and within that time in every other process.
   * Unknown and revoked keys are never kept: a key created elsewhere works at once.
   */
  async authenticate(key: string): Promise<Caller | undefined> {
    const keyHash = hashApiKey(key);
    const kept = this.verified.get(keyHash);
    if (kept) return kept;
    const read = this.verified.beginRead();
    const rows = await this.dataSource.query<Array<{ id: string; name: string; roles: Role[]; revoked: boolean }>>(AUTHENTICATE, [keyHash]);
    const row = rows.at(0);
    const caller: Caller | undefined = row && !row.revoked ? { apiKeyId: row.id, name: row.name, roles: row.roles } : undefined;
    this.verified.settle(read, keyHash, caller);
    return caller;
  }

  /** Every kept key is read again on its next use (after a revocation or a change of roles). */
  private forgetVerified(): void {
    this.verified.forget();
  }

  /**
   * Start-up: with ADMIN_API_KEY, that exact key is an active admin key (automation relies
   * on it, so it is restored if it was revoked); without it, the first start with no active
   * admin key creates one.
   */
  async ensureAdminKey(adminApiKey: string | undefined): Promise<AdminKeyOutcome> {
    try {
      return await this.ensureAdminKeyInTransaction(adminApiKey);
    } finally {
      // It may have given a kept key the admin role.
      this.forgetVerified();
    }
  }

  private ensureAdminKeyInTransaction(adminApiKey: string | undefined): Promise<AdminKeyOutcome> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [BOOTSTRAP_LOCK_KEY]);
      const repository = manager.getRepository(ApiKeyRecord);
      if (adminApiKey !== undefined) {
        const existing = await repository.findOneBy({ keyHash: hashApiKey(adminApiKey) });
        if (!existing) {
          await repository.insert({
            id: idOfGivenKey(adminApiKey),
            name: 'admin (ADMIN_API_KEY)',
            roles: ['admin'],
            keyHash: hashApiKey(adminApiKey),
            createdAt: this.clock.now(),
            createdBy: 'ADMIN_API_KEY',
            revokedAt: null,
          });
          return { kind: 'from-env', id: idOfGivenKey(adminApiKey), changed: true };
        }
        if (existing.revokedAt === null && existing.roles.includes('admin')) return { kind: 'from-env', id: existing.id, changed: false };
        const roles: Role[] = existing.roles.includes('admin') ? existing.roles : [...existing.roles, 'admin'];
        await repository.update({ id: existing.id }, { revokedAt: null, roles });
        return { kind: 'from-env', id: existing.id, changed: true };
      }
      if ((await this.activeAdmins(manager)) > 0) return { kind: 'present' };
      return { kind: 'created', created: await this.insert(manager, 'admin (first start)', ['admin'], 'first-start') };
    });
  }

  private async insert(manager: EntityManager, name: string, roles: readonly Role[], createdBy: string): Promise<CreatedApiKey> {
    const generated = generateApiKey();
    const record: ApiKeyRecord = {
      id: generated.id,
      name,
      roles: [...new Set(roles)],
      keyHash: generated.hash,
      createdAt: this.clock.now(),
      createdBy,
      revokedAt: null,
    };
    await manager.getRepository(ApiKeyRecord).insert(record);
    return { ...view(record), key: generated.key };
  }
}
