import pg from 'pg';

/** Physical, versioned tables and the checkpoints: not for analysts. */
export const PROJECTIONS_SCHEMA = 'projections';
/** The stable views over the live version of every projection table: what analysts query. */
export const ANALYTICS_SCHEMA = 'analytics';

/** `ticket_facts` in version 3 is the table `ticket_facts_v3`. */
export function physicalRelationName(table: string, version: number): string {
  return `${table}_v${version}`;
}

/**
 * Schema-qualified, e.g. `projections.ticket_facts_v3`. Table names are validated as plain
 * lower-case identifiers and the `_v<n>` suffix keeps them off the reserved words, so the name
 * reads in psql exactly as it is written in the DDL.
 */
export function physicalTableName(table: string, version: number): string {
  return `${PROJECTIONS_SCHEMA}.${physicalRelationName(table, version)}`;
}

/** The view may be any identifier the projection chose (even a reserved word): quoted. */
export function viewName(table: string): string {
  return `${ANALYTICS_SCHEMA}.${pg.escapeIdentifier(table)}`;
}
