import { ConfigError, type Env } from '#platform';

/**
 * `PROJECTIONS=inline` (the default): the API runs the projection runners itself, so
 * `npm start` alone keeps the read models current. `off`: a separate projector process
 * (`apps/projector`) does; both may run at once, the advisory locks keep one runner active.
 */
export type ProjectionsMode = 'inline' | 'off';

export function projectionsMode(env: Env): ProjectionsMode {
  const raw = (env.PROJECTIONS ?? '').trim().toLowerCase();
  if (raw === '' || raw === 'inline') return 'inline';
  if (raw === 'off') return 'off';
  throw new ConfigError([
    `PROJECTIONS must be inline (the API runs the projections) or off (a projector process does), got "${env.PROJECTIONS}"`,
  ]);
}
