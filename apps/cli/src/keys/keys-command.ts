import { ApiKeys, type ApiKeyView, isRole, ROLES, type Role, systemClock } from '#platform';
import { withDatabase } from '../cli-database.js';
import { parseArgs, UsageError } from '../usage.js';

function table(keys: ApiKeyView[]): string {
  const rows = [
    ['ID', 'NAME', 'ROLES', 'CREATED', 'REVOKED'],
    ...keys.map((key) => [key.id, key.name, key.roles.join(','), key.createdAt, key.revokedAt ?? '-']),
  ];
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column]))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function only(options: Map<string, string[]>, allowed: string[]): void {
  for (const name of options.keys()) if (!allowed.includes(name)) throw new UsageError(`unknown option --${name}`);
}

async function create(args: string[]): Promise<void> {
  const { positional, options } = parseArgs(args);
  only(options, ['name', 'role']);
  if (positional.length > 0) throw new UsageError(`keys create takes no positional arguments (got ${positional.join(' ')})`);
  const names = options.get('name') ?? [];
  if (names.length !== 1 || names[0].trim() === '' || names[0].length > 100)
    throw new UsageError('keys create needs one --name <who> (1–100 characters)');
  const requested = (options.get('role') ?? []).flatMap((value) => value.split(',')).map((role) => role.trim());
  if (requested.length === 0) throw new UsageError(`keys create needs at least one --role (${ROLES.join(', ')})`);
  const unknown = requested.filter((role) => !isRole(role));
  if (unknown.length > 0) throw new UsageError(`unknown role ${unknown.join(', ')}; roles are ${ROLES.join(', ')}`);
  const roles = requested.filter(isRole) satisfies Role[];
  const created = await withDatabase(({ dataSource }) => new ApiKeys(dataSource, systemClock).create(names[0].trim(), roles, 'cli'));
  process.stdout.write(
    `Created API key ${created.id} "${created.name}" (${created.roles.join(', ')}). It is shown only now; only its hash is stored:\n\n` +
      `  ${created.key}\n\nSend it as "Authorization: Bearer <key>" or "X-API-Key: <key>".\n`,
  );
}

async function list(args: string[]): Promise<void> {
  if (args.length > 0) throw new UsageError(`keys list takes no arguments (got ${args.join(' ')})`);
  const keys = await withDatabase(({ dataSource }) => new ApiKeys(dataSource, systemClock).list());
  process.stdout.write(keys.length === 0 ? 'No API keys yet.\n' : `${table(keys)}\n`);
}

async function revoke(args: string[]): Promise<void> {
  if (args.length !== 1 || args[0].startsWith('--')) throw new UsageError('keys revoke needs exactly one key id (see keys list)');
  const revoked = await withDatabase(({ dataSource }) => new ApiKeys(dataSource, systemClock).revoke(args[0], { keepAnAdmin: false }));
  process.stdout.write(`Revoked API key ${revoked.id} "${revoked.name}" at ${revoked.revokedAt}.\n`);
}

/** `keys create|list|revoke` */
export async function keysCommand(args: string[]): Promise<void> {
  const [action, ...rest] = args;
  switch (action) {
    case 'create':
      return create(rest);
    case 'list':
      return list(rest);
    case 'revoke':
      return revoke(rest);
    default:
      throw new UsageError(
        action === undefined
          ? 'keys needs an action: create, list or revoke'
          : `unknown keys action "${action}"; use create, list or revoke`,
      );
  }
}
