import type { AdminKeyOutcome, AppConfig } from '#platform';

const CREATE_KEY_HINT = 'npm run cli -- keys create --name <who> --role <service|importer|analyst|auditor|admin>';

function adminKeyLines(outcome: AdminKeyOutcome): string[] {
  switch (outcome.kind) {
    case 'from-env':
      return [`  Admin key: the value of ADMIN_API_KEY (key id ${outcome.id}).`];
    case 'present':
      return [
        '  Admin key: printed once, on the first start. To make another, run',
        `             ${CREATE_KEY_HINT.replace('<who>', 'ops').replace('<service|importer|analyst|auditor|admin>', 'admin')}`,
        '             or set ADMIN_API_KEY to a secret of your own and restart.',
      ];
    case 'created': {
      const rule = '='.repeat(78);
      return [
        rule,
        '  FIRST START: an admin API key was created. It is shown only this once:',
        '',
        `      ${outcome.created.key}`,
        '',
        '  Send it as "Authorization: Bearer <key>" (or "X-API-Key: <key>"). Keep it safe;',
        '  only its hash is stored. More keys, with narrower roles:',
        '      POST /admin/api-keys  {"name": "call-centre", "roles": ["service"]}',
        `      ${CREATE_KEY_HINT}`,
        rule,
      ];
    }
  }
}

/** What a person starting the API needs to see, as plain text (the JSON log says it too, for machines). */
export function startUpBanner(url: string, config: AppConfig, databaseMode: string, adminKey: AdminKeyOutcome): string {
  const database =
    databaseMode === 'external'
      ? 'DATABASE_URL'
      : `embedded PostgreSQL (DATA_DIR ${config.dataDir}; the CLI finds it via postgres.json there)`;
  return [
    '',
    `bildirim API listening on ${url}`,
    `  OpenAPI:   ${url}/docs   (JSON: ${url}/docs-json)`,
    `  Health:    ${url}/health`,
    `  Database:  ${database}`,
    ...adminKeyLines(adminKey),
    '',
  ].join('\n');
}
