import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Role } from './roles.js';

/** A row of `api_keys` (migration CreateApiKeys1763900000000). */
@Entity({ name: 'api_keys' })
export class ApiKeyRecord {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text', array: true })
  roles!: Role[];

  @Column({ name: 'key_hash', type: 'text' })
  keyHash!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'created_by', type: 'text' })
  createdBy!: string;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;
}
