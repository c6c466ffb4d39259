import type { BulkAppend } from '#event-store/postgres/bulk-load.js';
import { eventIdFor, type EventStore, type EventToAppend } from '#event-store';
import {
  decide,
  decodeEventMetadata,
  decodeTicketEvent,
  DomainError,
  encodeTicketEvent,
  fold,
  initialState,
  ticketStreamId,
  type CommandEnvelope,
  CALENDAR_TIME_ID,
  EMPTY_CATALOGUE,
  slaCatalogueOf,
  type ReferenceCatalogue,
  type ReferenceContext,
  type SlaCatalogue,
  type SlaTerms,
  type TicketEvent,
  type TicketState,
} from '#ticketing';
import { importCommandId, importTicketId } from './import-ids.js';
import type { ImportMapping } from './mapping.js';
import type { RejectReason, SourceCase, UnreadableRow } from './source-row.js';
import { mapRow, nextStep, type BridgeKind } from './translate.js';

/**
 * The writer's half of the import: each case's rows become commands (translate.ts), each
 * command is decided on the ticket's state with the row's instant, exactly as the live
 * pipeline decides it, and its events are encoded with an envelope whose command id is derived
 * from the case and the row. Out come the appends, for the bulk loader to write many tickets per
 * transaction. A case already (partly) in the store is folded from its stream first: a command
 * whose id is there is not decided again, so a second import adds nothing and a half-imported
 * case continues where it stopped.
 */

export const IMPORT_CALLER: CommandEnvelope['caller'] = { service: 'importer', apiKeyId: 'cli-import' };

/** Cases looked ahead, so the store is asked once for which of their streams exist. */
const LOOKAHEAD_CASES = 500;

/** More steps than any row can need (reopen, resume, release, claim, resume/hold, close): a loop means a bug. */
const MAX_STEPS_PER_ROW = 12;

export interface Rejection {
  line: number;
  caseId: string;
  reason: RejectReason;
  message: string;
}

export interface ImportTally {
  cases: number;
  /** cases that became (or already were) tickets */
  tickets: number;
  rows: number;
  /** rows a `skip` rule left out (BPI 2013: Unmatched) */
  skipped: number;
  commands: number;
  /** commands found in the store already (an earlier import) */
  commandsAlreadyImported: number;
  events: number;
  eventTypes: Record<string, number>;
  bridges: Record<BridgeKind, number>;
  rejects: Partial<Record<RejectReason, number>>;
  /** the refusals by the domain's error code */
  refusals: Record<string, number>;
  /** whether any event carried a due time / a response / a survey (the summary's "not filled") */
  sawDueTime: boolean;
  /** stopped between two cases by the signal */
  interrupted: boolean;
}

export function emptyTally(): ImportTally {
  return {
    cases: 0,
    tickets: 0,
    rows: 0,
    skipped: 0,
    commands: 0,
    commandsAlreadyImported: 0,
    events: 0,
    eventTypes: {},
    bridges: { resume_before_route: 0, resume_before_release: 0, move_up_to_line_reached: 0 },
    rejects: {},
    refusals: {},
    sawDueTime: false,
    interrupted: false,
  };
}

export interface ImportContext {
  mapping: ImportMapping;
  store: Pick<EventStore, 'readStream'>;
  reference?: ReferenceContext;
  tally: ImportTally;
  onReject: (rejection: Rejection) => void;
  /** after each case, with the rows read so far (progress) */
  onCase?: (rowsRead: number) => void;
  /**
   * Which of these streams hold events already (one round trip for many cases); without it every
   * case's stream is read. Only those are read and folded.
   */
  existingStreams?: (streamIds: string[]) => Promise<Set<string>>;
  /** Ctrl-C: no case is begun after it, the appends so far are handed on whole (`tally.interrupted`) */
  signal?: AbortSignal;
}

/** No policy: no clock runs, so no calendar matters (calendar time named for the record). */
const NO_TERMS: SlaTerms = Object.freeze({
  policyId: null,
  calendarId: CALENDAR_TIME_ID,
  claimClock: null,
  responseClock: null,
  resolutionClock: null,
});

/**
 * The SLA lookups of an import: the catalogue's policies, or none at all (`slaPolicies: none`, the
 * default), so a log without targets gives tickets without due times rather than the built-in default's.
 */
export function importSla(mapping: ImportMapping, catalogue: ReferenceCatalogue): SlaCatalogue {
  const policies = slaCatalogueOf(catalogue);
  if (mapping.slaPolicies === 'catalogue') return policies;
  return {
    ...policies,
    termsAt: () => NO_TERMS,
    escalationRuleAt: () => undefined,
  };
}

type StoredCommands = Map<string, TicketEvent[]>;

async function storedCommands(store: Pick<EventStore, 'readStream'>, streamId: string): Promise<StoredCommands> {
  const commands: StoredCommands = new Map();
  for (const recorded of await store.readStream(streamId)) {
    const { commandId } = decodeEventMetadata(recorded);
    const events = commands.get(commandId) ?? [];
    events.push(decodeTicketEvent(recorded));
    commands.set(commandId, events);
  }
  return commands;
}

function hasDueTime(event: TicketEvent): boolean {
  const data = event.data as { claimDueAt?: string | null; responseDueAt?: string | null; resolutionDueAt?: string | null };
  return Boolean(data.claimDueAt ?? data.responseDueAt ?? data.resolutionDueAt);
}

/** The appends of every case, in file order; rejected rows go to `onReject`, figures to the tally. */
export async function* importAppends(input: AsyncIterable<SourceCase | UnreadableRow>, context: ImportContext): AsyncGenerator<BulkAppend> {
  const { tally } = context;
  const seen = new Set<string>();
  const sla = importSla(context.mapping, context.reference?.catalogue ?? EMPTY_CATALOGUE);
  const reject = (line: number, caseId: string, reason: RejectReason, message: string) => {
    tally.rejects[reason] = (tally.rejects[reason] ?? 0) + 1;
    context.onReject({ line, caseId, reason, message });
  };
  const handle = async function* (item: SourceCase | UnreadableRow, existing: Set<string> | undefined): AsyncGenerator<BulkAppend> {
    if (!('rows' in item)) {
      tally.rows += 1;
      reject(item.line, item.caseId ?? '', item.reason, item.message);
      return;
    }
    tally.rows += item.rows.length;
    tally.cases += 1;
    if (item.caseId === '') {
      for (const row of item.rows) reject(row.line, '', 'missing_field', `no case id (${context.mapping.columns.caseId})`);
    } else if (seen.has(item.caseId)) {
      for (const row of item.rows)
        reject(
          row.line,
          item.caseId,
          'case_not_contiguous',
          'the case had rows earlier in the file, apart from these (sort the file by case)',
        );
    } else {
      seen.add(item.caseId);
      yield* caseAppends(item, context, sla, existing, reject);
    }
    context.onCase?.(tally.rows);
  };
  const streamOf = (caseId: string) => ticketStreamId(importTicketId(context.mapping.source, caseId));
  let ahead: Array<SourceCase | UnreadableRow> = [];
  const drain = async function* (): AsyncGenerator<BulkAppend> {
    const cases = ahead.flatMap((item) => ('rows' in item && item.caseId !== '' ? [streamOf(item.caseId)] : []));
    const existing = context.existingStreams ? await context.existingStreams(cases) : undefined;
    for (const item of ahead) {
      if (context.signal?.aborted === true) {
        tally.interrupted = true;
        return;
      }
      yield* handle(item, existing);
    }
    ahead = [];
  };
  for await (const item of input) {
    ahead.push(item);
    if (ahead.length >= LOOKAHEAD_CASES) yield* drain();
    if (tally.interrupted) return;
  }
  yield* drain();
}

async function* caseAppends(
  source: SourceCase,
  context: ImportContext,
  sla: SlaCatalogue,
  existing: Set<string> | undefined,
  reject: (line: number, caseId: string, reason: RejectReason, message: string) => void,
): AsyncGenerator<BulkAppend> {
  const { mapping, tally } = context;
  const { caseId } = source;
  const ticketId = importTicketId(mapping.source, caseId);
  const streamId = ticketStreamId(ticketId);
  const stored = existing === undefined || existing.has(streamId) ? await storedCommands(context.store, streamId) : new Map();
  let state: TicketState = initialState;
  let lastAt: number | undefined;
  for (const [index, row] of source.rows.entries()) {
    const mapped = mapRow(mapping, caseId, row);
    if ('reason' in mapped) {
      reject(row.line, caseId, mapped.reason, mapped.message);
      continue;
    }
    if (mapped.rule.action === 'skip') {
      tally.skipped += 1;
      continue;
    }
    const at = Date.parse(mapped.at);
    if (lastAt !== undefined && at < lastAt) {
      reject(row.line, caseId, 'out_of_order', `${mapped.at} is before the case's previous row (${new Date(lastAt).toISOString()})`);
      continue;
    }
    lastAt = at;
    for (let step = 0; ; step++) {
      if (step === MAX_STEPS_PER_ROW) throw new Error(`import: ${caseId} line ${row.line} needs more than ${MAX_STEPS_PER_ROW} commands`);
      const next = nextStep(mapping, state, mapped);
      if (next === null) break;
      if (next.bridge) tally.bridges[next.bridge] += 1;
      tally.commands += 1;
      const commandId = importCommandId(mapping.source, caseId, index, step);
      const earlier = stored.get(commandId);
      if (earlier !== undefined) {
        tally.commandsAlreadyImported += 1;
        if (earlier.some(hasDueTime)) tally.sawDueTime = true;
        state = fold(earlier, state);
        continue;
      }
      const decision = decide(state, next.command, { at: mapped.at, ticketId, reference: context.reference, sla });
      if (decision instanceof DomainError) {
        tally.refusals[decision.code] = (tally.refusals[decision.code] ?? 0) + 1;
        reject(row.line, caseId, 'refused_by_rules', `${next.command.type}: ${decision.code}: ${decision.message}`);
        break;
      }
      const envelope: CommandEnvelope = {
        commandId,
        correlationId: ticketId,
        causationId: commandId,
        caller: IMPORT_CALLER,
        backdated: true,
      };
      const events = decision.map(
        (event, n) => encodeTicketEvent(next.command, event, envelope, eventIdFor(commandId, n)) as EventToAppend,
      );
      yield { streamId, expectedRevision: state.exists ? state.revision : 'no_stream', events };
      for (const event of decision) {
        tally.eventTypes[event.type] = (tally.eventTypes[event.type] ?? 0) + 1;
        if (hasDueTime(event)) tally.sawDueTime = true;
      }
      tally.events += decision.length;
      state = fold(decision, state);
    }
  }
  if (state.exists) tally.tickets += 1;
}
