/** The statements on reference_heads and reference_version (migration CreateReferenceHeads1763900000002). */

/** $1 stream id. Announces a stream before its first append, so a crash between the two still leaves it findable. */
export const ANNOUNCE_HEAD = {
  name: 'reference.announce_head',
  text: `INSERT INTO reference_heads (stream_id, revision, changed_at) VALUES ($1, -1, now()) ON CONFLICT (stream_id) DO NOTHING`,
};

/** $1 stream id, $2 its revision now. The counter is bumped in the same transaction (the caller's). */
export const WRITE_HEAD = {
  name: 'reference.write_head',
  text: `INSERT INTO reference_heads (stream_id, revision, changed_at) VALUES ($1, $2, now())
         ON CONFLICT (stream_id) DO UPDATE SET revision = GREATEST(reference_heads.revision, EXCLUDED.revision), changed_at = now()`,
};

export const BUMP_VERSION = {
  name: 'reference.bump_version',
  text: `UPDATE reference_version SET version = version + 1 RETURNING version::text AS version`,
};

export const READ_VERSION = {
  name: 'reference.read_version',
  text: `SELECT version::text AS version FROM reference_version`,
};

export const READ_HEADS = {
  name: 'reference.read_heads',
  text: `SELECT stream_id, revision::int AS revision FROM reference_heads ORDER BY stream_id`,
};
