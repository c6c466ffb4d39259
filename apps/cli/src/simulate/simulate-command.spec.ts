import { describe, expect, it } from '@jest/globals';
import { DomainError, EMPTY_CATALOGUE, planImport } from '#ticketing';
import { centreReferenceDocument, generateCentreTickets } from '#workload';
import { UsageError } from '../usage.js';
import { parseSimulateArgs } from './simulate-command.js';

describe('simulate arguments', () => {
  it('defaults to seed 7, 100,000 tickets over 365 days from 2026-01-01, written in-process as history', () => {
    expect(parseSimulateArgs([], {})).toEqual({
      workload: { seed: 7, tickets: 100_000, days: 365, start: new Date('2026-01-01T00:00:00Z'), backdated: true },
      dryRun: false,
      api: undefined,
    });
  });

  it('takes the API, the rate and the key from --key or BILDIRIM_API_KEY', () => {
    const args = ['--seed', '3', '--tickets', '10', '--api', 'http://localhost:3000', '--rate', '200'];
    expect(parseSimulateArgs([...args, '--key', 'k1'], {}).api).toEqual({ url: 'http://localhost:3000/', rate: 200, key: 'k1' });
    expect(parseSimulateArgs(args, { BILDIRIM_API_KEY: 'k2' }).api?.key).toBe('k2');
  });

  it.each([
    [['--tickets', '0'], '--tickets must be a positive integer'],
    [['--days', '1.5'], '--days must be a positive integer'],
    [['--seed=-1'], '--seed must be an integer'],
    [['--start', '2026-13-45'], '--start must be a date'],
    [['--rate', '5'], '--rate and --key go with --api'],
    [['--api', 'not a url', '--rate', '5', '--key', 'k'], '--api must be a URL'],
    [['--api', 'http://localhost:3000', '--key', 'k'], '--api needs --rate'],
    [['--api', 'http://localhost:3000', '--rate', '5'], '--api needs an API key'],
    [['--api', 'http://localhost:3000', '--rate', '5', '--key', 'k', '--dry-run'], 'choose one'],
    [['extra'], 'no positional arguments'],
    [['--unknown'], "Unknown option '--unknown'"],
  ])('refuses %j as wrong usage', (args, message) => {
    expect(() => parseSimulateArgs(args, {})).toThrow(UsageError);
    expect(() => parseSimulateArgs(args, {})).toThrow(message);
  });
});

describe("the simulated centre's reference data", () => {
  it('is accepted by the reference rules and names every unit, agent, category, channel and priority the tickets use', () => {
    const document = centreReferenceDocument();
    expect(planImport(EMPTY_CATALOGUE, document, { at: '2026-01-01T00:00:00.000Z', by: 'spec' })).not.toBeInstanceOf(DomainError);
    const names = { units: new Set<string>(), users: new Set<string>(), categories: new Set<string>(), channels: new Set<string>() };
    const priorities = new Set<string>();
    for (const ticket of generateCentreTickets({ tickets: 500, seed: 7, start: new Date('2026-01-01T00:00:00Z'), days: 7 })) {
      for (const { command } of ticket.commands) {
        const data = command.data as Record<string, unknown>;
        if (command.type === 'OpenTicket') {
          names.units.add(String(data.unitId));
          names.categories.add(String(data.category));
          names.channels.add(String(data.channel));
          priorities.add(String(data.priority));
        }
        if (command.type === 'RouteTicket') names.units.add(String(data.toUnitId));
        if (typeof data.userId === 'string') names.users.add(data.userId);
      }
    }
    for (const [kind, used] of Object.entries(names))
      expect([kind, [...used].filter((name) => !(name in (document[kind as keyof typeof names] ?? {})))]).toEqual([kind, []]);
    expect([...priorities].filter((name) => !(name in (document.priorities ?? {})))).toEqual([]);
  });
});
