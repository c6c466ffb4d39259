/** A command line that cannot be run as given: exit code 2 and the usage. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** What `bench` measures; each is documented in USAGE. */
export const BENCHES = ['append', 'projections', 'commands', 'import', 'watchdog', 'dashboard'] as const;
export type Bench = (typeof BENCHES)[number];

/** Every command the CLI runs, as typed after `npm run cli --`. */
export const COMMANDS = [
  'keys create',
  'keys list',
  'keys revoke',
  'migrate',
  'rebuild',
  'projections',
  'copy-events',
  'import',
  'simulate',
  'ref export',
  'ref import',
  'bench append',
  'bench projections',
  'bench commands',
  'bench import',
  'bench watchdog',
  'bench dashboard',
  'help',
] as const;
export type Command = (typeof COMMANDS)[number];

/** Commands that only name a group of others (`keys`, `bench`). */
export const GROUPS = ['keys', 'ref', 'bench'] as const;
export type Group = (typeof GROUPS)[number];

/** Each command's line(s) in the usage. */
const LINES: Record<Command, string> = {
  'keys create': `  keys create --name <who> --role <role> [--role <role> ...]
                         create an API key and print it (once); roles: service, importer, analyst, auditor, admin`,
  'keys list': '  keys list              list API keys (never their secrets)',
  'keys revoke': '  keys revoke <id>       revoke an API key: it is refused from now on',
  migrate: '  migrate                bring the event store and the read store schemas up to date',
  rebuild: `  rebuild [name] [--batch-size N] [--drop-retired]
                         rebuild a projection (default: all) from zero into a fresh version beside the
                         live one; the analytics views switch to it once it has caught up; progress on
                         stderr; Ctrl-C stops after the batch in flight and the next run continues;
                         --drop-retired then drops the tables of replaced versions (else they are kept)`,
  projections: '  projections [--json]   each projection version: state, position, events applied, lag',
  'copy-events': `  copy-events --to <connection string> [--batch-size N] [--no-verify]
                         copy the ticket streams, with their event ids and revisions, onto EventStoreDB
                         (esdb://…, esdb+discover://…) or another PostgreSQL (postgres://…); resumable: Ctrl-C or a crash, and the same
                         command continues; then compares both stores stream by stream (exit code 1 when
                         they differ) unless --no-verify; --batch-size: events per batch (default 1000)`,
  import: `  import <file.xes[.gz]|file.csv[.gz]> [--mapping <file.json|file.yaml>] [--rejects <file.csv>] [--dry-run]
                         import a ticket history (XES or CSV, plain or gzip) through the ticket rules into
                         the event store, many tickets per transaction; --mapping names the columns and
                         rules (docs/schemas/import-mapping.schema.json; default for XES: the BPI 2013
                         mapping); rows that cannot be imported go to --rejects (default <file>.rejects.csv);
                         importing again adds nothing; prints a summary (cases, events, bridges, rejects)`,
  simulate: `  simulate [--seed 7] [--tickets 100000] [--days 365] [--start 2026-01-01] [--dry-run] [--api <url> --rate <n> [--key <key>]]
                         a seeded contact centre's history (README "Simulating a contact centre"): exactly
                         --tickets arriving over --days from --start by hour and weekday, worked by agents on
                         their shifts in units with calendars, written with the centre's reference data through
                         the importer's in-process batched path; the same seed writes the same events;
                         --dry-run decides everything and writes nothing; --api sends the commands to a
                         running API at --rate commands/s instead (key: --key or BILDIRIM_API_KEY, service role)`,
  'ref export': `  ref export [--out <file.json|file.yaml>]
                         the whole reference data (units, users, categories, priorities, channels, tiers,
                         calendars, SLA policies) as one document, JSON on stdout by default`,
  'ref import': `  ref import <file.json|file.yaml|file.yml>
                         define what the document states (equal entities write nothing; ones left out are
                         kept), checked against docs/schemas/reference-data.schema.json and the reference
                         rules first: a problem is refused with its line, column and reason, nothing written`,
  'bench append': '  bench append [...]     append throughput: raw PostgreSQL inserts vs. the event store port',
  'bench projections': `  bench projections [--tickets N] [--only a,b,c] [--keep | --reuse <dir>] [...]
                         the read side at scale on a seeded store (default 1,000,000 tickets): (a) rebuild
                         throughput, (b) append → visible lag under 300 commands/s over HTTP, (c) report
                         latency; --keep keeps the seeded database for --reuse; --help lists every option`,
  'bench commands': `  bench commands [--writers 8] [--commands 100] [--long 3000] [...]
                         time per command on a long ticket against a short one, writers racing
                         without If-Match over HTTP; --help lists every option`,
  'bench import': `  bench import [--events 1000000] [--seed N]
                         import throughput: a seeded CSV log of about --events events through import's
                         path (decide/evolve, bulk appends) into a fresh database, then the projections
                         rebuilt, timed apart; events/s against the goal (≥ 20,000 with projections)`,
  'bench watchdog': `  bench watchdog [--tickets 100000] [--speed 20] [--quick] [...]
                         the SLA watchdog over open tickets whose dues spread over an hour of a faster
                         virtual clock: detection latency p50/p99, delays/s, CPU; --help lists every option`,
  'bench dashboard': `  bench dashboard [--tickets 150000] [--runs 5] [...]
                         the dashboard in Chromium on seeded tickets: time until the overview and the
                         units view show their data (goal under 1 s each); --help lists every option`,
  help: "  help [command]         this text, or a command's (so does <command> --help or -h)",
};

const DATABASE = `Database: DATABASE_URL if set; otherwise the embedded PostgreSQL whose port a running API
wrote to DATA_DIR/postgres.json (DATA_DIR defaults to ./.data). With nothing running, the
embedded server is started for the length of the command.`;

/** `bench` with no suite (all-benches.ts). */
export const ALL_BENCHES_LINE = `  bench                  every suite in turn (append; projections --tickets 150000; commands --loop;
                         import; watchdog --quick; dashboard on the projections suite's tickets), each
                         writing its figures to bench/results/<suite>-<time>.json`;

const EXIT_CODES = 'Exit codes: 0 done, 1 failed, 2 wrong usage.';

export const USAGE = `Usage: npm run cli -- <command>

Commands:
${COMMANDS.map((command) => LINES[command]).join('\n')}
${ALL_BENCHES_LINE}

${DATABASE}

${EXIT_CODES}`;

/** The usage of one command or group, for `<command> --help`; the benches' own options come from their modules. */
export function commandUsage(topic: Command | Group): string {
  const commands = COMMANDS.filter((command) => command === topic || command.startsWith(`${topic} `));
  const more = topic === 'bench' ? `\n${ALL_BENCHES_LINE}\n\n\`bench <what> --help\` lists the options of each.` : '';
  const database = topic === 'help' ? '' : `\n\n${DATABASE}`;
  return `Usage (after npm run cli --):\n\n${commands.map((command) => LINES[command]).join('\n')}${more}${database}\n\n${EXIT_CODES}`;
}

/**
 * The command a `--help` or `-h` anywhere on the line asks about: the longest command or group
 * the words before it start with; `''` for none (the whole usage). Undefined when no help is
 * asked for. After `--` everything is an argument. Options are skipped, so `keys create --name
 * x -h` asks about `keys create`.
 */
export function helpTopic(args: readonly string[]): Command | Group | '' | undefined {
  const end = args.indexOf('--');
  const flags = end === -1 ? args : args.slice(0, end);
  if (!flags.some((arg) => arg === '--help' || arg === '-h')) return undefined;
  return topicOf(flags.filter((arg) => !arg.startsWith('-')));
}

/** `help <words>` and `<words> --help` alike. */
export function topicOf(words: readonly string[]): Command | Group | '' {
  if (words.length === 0) return '';
  const known: ReadonlyArray<Command | Group> = [...COMMANDS, ...GROUPS];
  const found = [words.slice(0, 2).join(' '), words[0]]
    .map((candidate) => known.find((command) => command === candidate))
    .find((command) => command !== undefined);
  if (found === undefined) throw new UsageError(`unknown command "${words[0]}"`);
  return found;
}

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
