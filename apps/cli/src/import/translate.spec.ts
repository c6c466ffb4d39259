import { describe, expect, it } from '@jest/globals';
import { decide, DomainError, EMPTY_CATALOGUE, fold, initialState, type TicketState } from '#ticketing';
import { importSla } from './import-log.js';
import { bpi2013Mapping } from './mapping.js';
import { mapRow, nextStep, parseTimestamp, type MappedRow } from './translate.js';

/**
 * Given the earlier rows of a case, when a row comes, then these commands (with their bridges):
 * the BPI 2013 README's rules as the shipped mapping states them. Between steps the commands are
 * decided and folded by the real domain, as the importer does.
 */

const MAPPING = bpi2013Mapping();
const SLA = importSla(MAPPING, EMPTY_CATALOGUE);
let minute = 0;

/** A BPI-like row: `Status/Sub status`, team, person; each row a minute after the one before. */
function row(activity: string, group: string, resource = 'ann'): MappedRow {
  const [status, sub] = activity.split('/');
  const at = new Date(Date.UTC(2012, 3, 2, 8, minute++)).toISOString();
  const fields = {
    'case:concept:name': '1-1',
    'concept:name': status,
    'lifecycle:transition': sub,
    'time:timestamp': at,
    'org:group': group,
    'org:resource': resource,
    impact: 'Medium',
    product: 'PROD1',
  };
  const mapped = mapRow(MAPPING, '1-1', { line: minute, fields });
  if ('reason' in mapped) throw new Error(mapped.message);
  return mapped;
}

/** The row's commands on `state`, decided and folded one by one; the new state with them. */
function apply(state: TicketState, mapped: MappedRow): { state: TicketState; steps: string[] } {
  const steps: string[] = [];
  for (let step = nextStep(MAPPING, state, mapped); step !== null; step = nextStep(MAPPING, state, mapped)) {
    const { command } = step;
    const detail =
      command.type === 'EscalateTicket'
        ? ` level ${command.data.level} to ${command.data.toUnitId}`
        : command.type === 'RouteTicket'
          ? ` to ${command.data.toUnitId}`
          : command.type === 'ClaimTicket'
            ? ` by ${command.data.userId}`
            : command.type === 'CloseTicket'
              ? ` ${command.data.resolution}`
              : '';
    steps.push(`${command.type}${detail}${step.bridge ? ` [${step.bridge}]` : ''}`);
    const events = decide(state, command, { at: mapped.at, ticketId: 'ticket', sla: SLA });
    if (events instanceof DomainError) throw new Error(`${command.type} refused: ${events.code}`);
    state = fold(events, state);
    if (steps.length > 12) throw new Error('no end');
  }
  return { state, steps };
}

function given(...rows: MappedRow[]) {
  const state = rows.reduce((current, mapped) => apply(current, mapped).state, initialState);
  return { when: (mapped: MappedRow) => ({ then: (...steps: string[]) => expect(apply(state, mapped).steps).toEqual(steps) }) };
}

describe('nextStep: a row of the BPI 2013 log as commands', () => {
  it('the first row opens the ticket in its team, then follows its status (Accepted: claimed by the person)', () => {
    given().when(row('Accepted/In Progress', 'V30')).then('OpenTicket', 'ClaimTicket by ann');
  });

  it('a queued row releases the ticket to its pool; in another team it is routed there (unclaimed) first', () => {
    given(row('Accepted/In Progress', 'V30')).when(row('Queued/Awaiting Assignment', 'V30')).then('ReleaseTicket');
    given(row('Accepted/In Progress', 'V30')).when(row('Queued/Awaiting Assignment', 'G96')).then('RouteTicket to G96');
  });

  it('a held ticket moved to another team is resumed first: a bridge, counted', () => {
    given(row('Accepted/In Progress', 'V30'), row('Accepted/Wait - User', 'V30'))
      .when(row('Queued/Awaiting Assignment', 'G96'))
      .then('ResumeTicket [resume_before_route]', 'RouteTicket to G96');
  });

  it('a held ticket queued again, or taken by someone else, is resumed before the release: a bridge', () => {
    given(row('Accepted/In Progress', 'V30'), row('Accepted/Wait', 'V30'))
      .when(row('Queued/Awaiting Assignment', 'V30'))
      .then('ResumeTicket [resume_before_release]', 'ReleaseTicket');
    given(row('Accepted/In Progress', 'V30'), row('Accepted/Wait', 'V30'))
      .when(row('Accepted/In Progress', 'V30', 'bob'))
      .then('ResumeTicket [resume_before_release]', 'ReleaseTicket', 'ClaimTicket by bob');
  });

  it('Accepted by someone else: released, then claimed by them; Wait puts it on hold, any other Accepted resumes it', () => {
    given(row('Accepted/In Progress', 'V30'))
      .when(row('Accepted/Wait - Vendor', 'V30', 'bob'))
      .then('ReleaseTicket', 'ClaimTicket by bob', 'PutTicketOnHold');
    given(row('Accepted/In Progress', 'V30'), row('Accepted/Wait', 'V30')).when(row('Accepted/Assigned', 'V30')).then('ResumeTicket');
    given(row('Accepted/In Progress', 'V30'), row('Accepted/Wait', 'V30')).when(row('Accepted/Wait - User', 'V30')).then();
  });

  it('Completed: resumed if on hold, claimed by its person if unclaimed, then closed by the holder', () => {
    given(row('Accepted/In Progress', 'V30'), row('Accepted/Wait', 'V30'))
      .when(row('Completed/Resolved', 'V30', 'Siebel'))
      .then('ResumeTicket', 'CloseTicket resolved');
    given(row('Queued/Awaiting Assignment', 'V30'))
      .when(row('Completed/In Call', 'V30', 'bob'))
      .then('ClaimTicket by bob', 'CloseTicket resolved');
    given(row('Accepted/In Progress', 'V30')).when(row('Completed/Cancelled', 'V30')).then('CloseTicket not_resolved');
  });

  it('after a close, Completed changes nothing and anything else reopens the ticket first', () => {
    given(row('Accepted/In Progress', 'V30'), row('Completed/Resolved', 'V30')).when(row('Completed/Closed', 'V30')).then();
    given(row('Accepted/In Progress', 'V30'), row('Completed/Resolved', 'V30'))
      .when(row('Accepted/In Progress', 'V30'))
      .then('ReopenTicket', 'ClaimTicket by ann');
  });

  it('a move to a higher line escalates to its level; down and up again to a line reached is a route: a bridge', () => {
    given(row('Accepted/In Progress', 'V30')).when(row('Queued/Awaiting Assignment', 'V5 2nd')).then('EscalateTicket level 1 to V5 2nd');
    given(row('Accepted/In Progress', 'V30'), row('Queued/Awaiting Assignment', 'V5 2nd'), row('Queued/Awaiting Assignment', 'V30'))
      .when(row('Queued/Awaiting Assignment', 'V5 2nd'))
      .then('RouteTicket to V5 2nd [move_up_to_line_reached]');
    given(row('Accepted/In Progress', 'V30'), row('Queued/Awaiting Assignment', 'V5 2nd'))
      .when(row('Queued/Awaiting Assignment', 'N52 3rd'))
      .then('EscalateTicket level 2 to N52 3rd');
    given(row('Accepted/In Progress', 'V5 2nd')).when(row('Queued/Awaiting Assignment', 'V30')).then('RouteTicket to V30');
  });
});

describe('mapRow and parseTimestamp', () => {
  const fields = (overrides: Record<string, string>) => ({
    line: 7,
    fields: {
      'concept:name': 'Accepted',
      'lifecycle:transition': 'In Progress',
      'time:timestamp': '2012-04-02T10:00:00+02:00',
      'org:group': 'V30',
      'org:resource': 'ann',
      impact: 'High',
      product: 'PROD9',
      ...overrides,
    },
  });

  it('reads the row through the mapping: activity joined, instant in UTC, impact as priority, product as category', () => {
    expect(mapRow(MAPPING, '1-9', fields({}))).toMatchObject({
      activity: 'Accepted/In Progress',
      at: '2012-04-02T08:00:00.000Z',
      group: 'V30',
      priority: 'High',
      category: 'PROD9',
      product: 'PROD9',
      channel: 'unknown',
      subject: '1-9',
    });
  });

  it('refuses what it cannot import, with a reason', () => {
    expect(mapRow(MAPPING, '1-9', fields({ 'concept:name': 'Escalated' }))).toMatchObject({ reason: 'unknown_activity' });
    expect(mapRow(MAPPING, '1-9', fields({ 'time:timestamp': 'yesterday' }))).toMatchObject({ reason: 'bad_timestamp' });
    expect(mapRow(MAPPING, '1-9', fields({ 'org:group': ' ' }))).toMatchObject({ reason: 'missing_field' });
    expect(mapRow(MAPPING, '1-9', fields({ 'org:resource': '' }))).toMatchObject({ reason: 'missing_field' });
  });

  it('parses offsets, Z, fractions and local times in a zone (DST included); refuses impossible dates', () => {
    expect(parseTimestamp('2012-04-02T10:00:00-05:30', undefined)).toBe('2012-04-02T15:30:00.000Z');
    expect(parseTimestamp('2012-04-02 10:00:00.25Z', undefined)).toBe('2012-04-02T10:00:00.250Z');
    expect(parseTimestamp('2012-01-02 10:00', 'Europe/Brussels')).toBe('2012-01-02T09:00:00.000Z');
    expect(parseTimestamp('2012-07-02 10:00', 'Europe/Brussels')).toBe('2012-07-02T08:00:00.000Z');
    expect(parseTimestamp('2012-07-02 10:00', undefined)).toMatchObject({ reason: 'bad_timestamp' });
    expect(parseTimestamp('2012-02-30T10:00:00Z', undefined)).toMatchObject({ reason: 'bad_timestamp' });
    expect(parseTimestamp('2012-02-03T24:00:00Z', undefined)).toMatchObject({ reason: 'bad_timestamp' });
  });
});
