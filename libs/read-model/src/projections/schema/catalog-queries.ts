/** Catalog look-ups for the projection tables and their views. */

/** $1 a schema-qualified relation name; NULL when it does not exist. */
export const RELATION_EXISTS = {
  name: 'projections.relation_exists',
  text: `SELECT to_regclass($1) IS NOT NULL AS exists`,
};

/** The comment of a table or view, and of each of its columns in order. $1 a schema-qualified relation. */
export const RELATION_COMMENTS = {
  name: 'projections.relation_comments',
  text: `SELECT obj_description($1::regclass, 'pg_class') AS relation_comment,
                coalesce(json_agg(json_build_object('column', a.attname, 'comment', col_description(a.attrelid, a.attnum))
                                  ORDER BY a.attnum)
                         FILTER (WHERE a.attnum IS NOT NULL), '[]') AS columns
           FROM (SELECT 1) AS one
           LEFT JOIN pg_attribute a ON a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped`,
};

export interface RelationCommentsRow {
  relation_comment: string | null;
  columns: Array<{ column: string; comment: string | null }>;
}
