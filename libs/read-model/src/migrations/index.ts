import { CreateApiKeys1763900000000 } from './1763900000000-create-api-keys.js';
import { CreateCommands1763900000001 } from './1763900000001-create-commands.js';
import { CreateReferenceHeads1763900000002 } from './1763900000002-create-reference-heads.js';
import { CommandsOwner1765100000000 } from './1765100000000-commands-owner.js';
import { CommandsKeyReference1765100000001 } from './1765100000001-commands-key-reference.js';
import { CreateDashboardSessions1765200000000 } from './1765200000000-create-dashboard-sessions.js';

/**
 * Every TypeORM migration of the read store, in order. Listed as classes, not a glob: the
 * build is ESM and a glob would load `.ts` and `.js` alike. A new table adds its class here.
 */
export const READ_MODEL_MIGRATIONS = [
  CreateApiKeys1763900000000,
  CreateCommands1763900000001,
  CreateReferenceHeads1763900000002,
  CommandsOwner1765100000000,
  CommandsKeyReference1765100000001,
  CreateDashboardSessions1765200000000,
];
export { MIGRATIONS_TABLE } from './migrations-table.js';
