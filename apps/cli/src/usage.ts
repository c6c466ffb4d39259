/** A command line that cannot be run as given: exit code 2 and the usage. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** What `bench` measures; each is documented in USAGE. */
export const BENCHES = ['append', 'projections', 'commands'] as const;
export type Bench = (typeof BENCHES)[number];

export const USAGE = `Usage: npm run cli -- <command>

Commands:
  keys create --name <who> --role <role> [--role <role> ...]
                         create an API key and print it (once); roles: service, importer, analyst, auditor, admin
  keys list              list API keys (never their secrets)
  keys revoke <id>       revoke an API key: it is refused from now on
  migrate                bring the event store and the read store schemas up to date
  rebuild [name] [--batch-size N] [--drop-retired]
                         rebuild a projection (default: all) from zero into a fresh version beside the
                         live one; the analytics views switch to it once it has caught up; progress on
                         stderr; Ctrl-C stops after the batch in flight and the next run continues;
                         --drop-retired then drops the tables of replaced versions (else they are kept)
  projections [--json]   each projection version: state, position, events applied, lag
  bench append [...]     append throughput: raw PostgreSQL inserts vs. the event store port
  bench projections [--tickets N] [--only a,b,c] [--keep | --reuse <dir>] [...]
                         the read side at scale on a seeded store (default 1,000,000 tickets): (a) rebuild
                         throughput, (b) append → visible lag under 300 commands/s over HTTP, (c) report
                         latency; --keep keeps the seeded database for --reuse; --help lists every option
  bench commands [--writers 8] [--commands 100] [--long 3000] [...]
                         time per command on a long ticket against a short one, writers racing
                         without If-Match over HTTP; --help lists every option
  help                   this text

Database: DATABASE_URL if set; otherwise the embedded PostgreSQL whose port a running API
wrote to DATA_DIR/postgres.json (DATA_DIR defaults to ./.data). With nothing running, the
embedded server is started for the length of the command.

Exit codes: 0 done, 1 failed, 2 wrong usage.`;

/** `--name x`, `--name=x`, repeated `--role`; everything else is positional. */
export interface ParsedArgs {
  positional: string[];
  options: Map<string, string[]>;
}

export function parseArgs(args: readonly string[]): ParsedArgs {
  const positional: string[] = [];
  const options = new Map<string, string[]>();
  for (let index = 0; index < args.length; index++) {
    const arg = args[index];
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const equals = arg.indexOf('=');
    const name = equals === -1 ? arg.slice(2) : arg.slice(2, equals);
    let value: string | undefined = equals === -1 ? undefined : arg.slice(equals + 1);
    if (value === undefined) {
      value = args[index + 1];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`--${name} needs a value`);
      index++;
    }
    options.set(name, [...(options.get(name) ?? []), value]);
  }
  return { positional, options };
}
