/** The table in which TypeORM records the read store's migrations. */
export const MIGRATIONS_TABLE = 'read_model_migrations';
