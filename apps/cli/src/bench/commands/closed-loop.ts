import { randomUUID } from 'node:crypto';
import { describeRefusal, type HttpClient } from '../shared/http-client.js';
import { percentile } from '../shared/measure.js';

/**
 * Issue 12's command figure: `connections` clients, each sending one ticket's life at a time
 * (open → claim → respond → close) and the next command only after the answer (closed loop),
 * every command with its own Idempotency-Key as a retrying client sends it. For `seconds`
 * after a short warm-up; commands/s counts 2xx answers.
 */
export interface ClosedLoopResult {
  connections: number;
  seconds: number;
  answered: number;
  /** 2xx answers per second */
  rate: number;
  p50: number;
  p99: number;
  /** answers by status (and code, for refusals) */
  outcomes: Map<string, number>;
}

const WARM_UP_MS = 2000;
const UNIT = 'front';

function lifeOf(ticketId: string, user: string): Array<{ path: string; body: Record<string, unknown> }> {
  return [
    {
      path: '/tickets',
      body: {
        ticketId,
        channel: 'phone',
        customer: 'cust-bench',
        category: 'wrong-invoice',
        priority: 'normal',
        subject: 'closed-loop bench',
        unitId: UNIT,
      },
    },
    { path: `/tickets/${ticketId}/claim`, body: { userId: user } },
    { path: `/tickets/${ticketId}/respond`, body: { userId: user, solution: true } },
    { path: `/tickets/${ticketId}/close`, body: { userId: user, resolution: 'resolved', requestMet: true } },
  ];
}

/** Told when the measured window (after the warm-up) opens and closes, e.g. to sample CPU counters. */
export interface LoopWindow {
  opened(): Promise<void>;
  closed(): Promise<void>;
}

export async function closedLoop(
  http: HttpClient,
  key: string,
  connections: number,
  seconds: number,
  window?: LoopWindow,
): Promise<ClosedLoopResult> {
  const outcomes = new Map<string, number>();
  const milliseconds: number[] = [];
  const warmUpEnds = performance.now() + WARM_UP_MS;
  const ends = warmUpEnds + seconds * 1000;
  let answered = 0;
  const marks: Array<Promise<void>> = [];
  const timers = window
    ? [
        setTimeout(() => marks.push(window.opened()), WARM_UP_MS),
        setTimeout(() => marks.push(window.closed()), WARM_UP_MS + seconds * 1000),
      ]
    : [];
  await Promise.all(
    Array.from({ length: connections }, async (_, client) => {
      while (performance.now() < ends) {
        for (const command of lifeOf(randomUUID(), `bench-${client}`)) {
          const answer = await http.request('POST', command.path, {
            headers: { authorization: `Bearer ${key}`, 'idempotency-key': randomUUID() },
            body: command.body,
            timeoutMs: 60_000,
          });
          const now = performance.now();
          if (now < warmUpEnds || now > ends) continue;
          milliseconds.push(answer.milliseconds);
          const outcome = answer.status >= 200 && answer.status < 300 ? '2xx' : describeRefusal(answer);
          if (outcome === '2xx') answered += 1;
          outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
        }
      }
    }),
  );
  for (const timer of timers) clearTimeout(timer);
  await Promise.all(marks);
  return {
    connections,
    seconds,
    answered,
    rate: answered / seconds,
    p50: percentile(milliseconds, 50),
    p99: percentile(milliseconds, 99),
    outcomes,
  };
}
