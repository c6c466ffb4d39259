import { centreAppends, type SeedWorkload } from '#workload';
import { commandRequest } from '../bench/projections/lag-bench.js';
import { describeRefusal, HttpClient } from '../bench/shared/http-client.js';
import { ProgressBar } from '../rebuild/progress-bar.js';

/**
 * `simulate --api`: the simulated centre's commands sent to a running API at a steady rate, for
 * load tests. The commands go out in the simulation's order (all tickets merged by their
 * instants), each ticket's one after another (a command waits for its ticket's previous answer),
 * many tickets interleaved; the API stamps them with its own time. Each carries an
 * Idempotency-Key derived from the seed, the ticket and the command's index (its command id), so
 * sending the same seed again replays the first answers instead of writing twice.
 */
export interface StreamTally {
  sent: number;
  answered: number;
  /** commands of a ticket whose earlier command was refused or unanswered: not sent */
  skipped: number;
  /** refusals by status and code */
  refused: Record<string, number>;
  /** requests without an answer, by message */
  failed: Record<string, number>;
  interrupted: boolean;
}

/** Requests awaiting their answer at most: a slow API slows the sending rather than piling up requests. */
const MAX_IN_FLIGHT = 2_000;
const TIMEOUT_MS = 60_000;

export async function streamToApi(
  workload: SeedWorkload,
  api: { url: string; rate: number; key: string },
  signal: AbortSignal,
): Promise<StreamTally> {
  const tally: StreamTally = { sent: 0, answered: 0, skipped: 0, refused: {}, failed: {}, interrupted: false };
  const client = new HttpClient(api.url);
  const bar = new ProgressBar(process.stderr, 'simulate → API', undefined, { unit: 'commands' });
  // Per ticket: the answer of its latest command (false: refused or unanswered, so its next ones are not sent).
  const chains = new Map<string, Promise<boolean>>();
  const inFlight = new Set<Promise<boolean>>();
  const started = performance.now();
  let scheduled = 0;
  try {
    for (const append of centreAppends(workload)) {
      if (signal.aborted) {
        tally.interrupted = true;
        break;
      }
      const request = commandRequest(append.ticketId, append.command);
      if (request === undefined) continue;
      // Open loop at the asked rate: the n-th command is due n / rate seconds after the first.
      const dueAt = started + (scheduled * 1000) / api.rate;
      scheduled += 1;
      const wait = dueAt - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      while (inFlight.size >= MAX_IN_FLIGHT) await Promise.race(inFlight);
      const previous = chains.get(append.ticketId) ?? Promise.resolve(true);
      const flight = previous.then(async (ok) => {
        if (!ok) {
          tally.skipped += 1;
          return false;
        }
        tally.sent += 1;
        try {
          const answer = await client.request('POST', request.path, {
            headers: { authorization: `Bearer ${api.key}`, 'idempotency-key': append.envelope.commandId },
            body: request.body,
            timeoutMs: TIMEOUT_MS,
          });
          if (answer.status === 200 || answer.status === 201) {
            tally.answered += 1;
            return true;
          }
          const refusal = describeRefusal(answer);
          tally.refused[refusal] = (tally.refused[refusal] ?? 0) + 1;
          return false;
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          tally.failed[reason] = (tally.failed[reason] ?? 0) + 1;
          return false;
        } finally {
          bar.update(tally.sent);
        }
      });
      chains.set(append.ticketId, flight);
      inFlight.add(flight);
      void flight.then((ok) => {
        inFlight.delete(flight);
        // A ticket's chain ends here unless a later command joined it; a failed one stays, so its later commands are not sent.
        if (ok && chains.get(append.ticketId) === flight) chains.delete(append.ticketId);
      });
    }
    await Promise.all(inFlight);
    bar.finish(tally.sent);
  } finally {
    client.close();
  }
  return tally;
}
