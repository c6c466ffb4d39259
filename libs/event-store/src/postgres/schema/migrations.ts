import {
  COMMENT_APPEND_FUNCTION,
  COMMENT_FIND_APPENDED_FUNCTION,
  CREATE_APPEND_FUNCTION,
  CREATE_FIND_APPENDED_FUNCTION,
} from './append.js';
import { COMMENT_COPIES_TABLE, CREATE_COPIES_TABLE } from './copies.js';
import { COMMENT_EVENTS_TABLE, CREATE_EVENTS_TABLE } from './create-tables.js';

/**
 * Numbered migrations, applied in order and recorded in event_store.schema_versions. A change
 * to a table or to the append function is a new entry, never an edit of an applied one.
 */
export interface EventStoreMigration {
  version: number;
  name: string;
  statements: string[];
}

export const EVENT_STORE_MIGRATIONS: EventStoreMigration[] = [
  {
    version: 1,
    name: 'events table and append function',
    statements: [
      CREATE_EVENTS_TABLE,
      ...COMMENT_EVENTS_TABLE,
      CREATE_FIND_APPENDED_FUNCTION,
      COMMENT_FIND_APPENDED_FUNCTION,
      CREATE_APPEND_FUNCTION,
      COMMENT_APPEND_FUNCTION,
    ],
  },
  {
    version: 2,
    name: 'copies table (cli copy-events checkpoints)',
    statements: [CREATE_COPIES_TABLE, ...COMMENT_COPIES_TABLE],
  },
];
