/**
 * What a fresh single node writes into `$`-streams on its own, so that a reader that does not filter
 * meets them: stream metadata for scavenges and its stats stream once, and on every start a new epoch
 * record and a stats sample (a real node writes an epoch per election or restart and stats periodically).
 */
import { randomUUID } from 'node:crypto';
import type { EventLog } from './event-log.js';

const json = (value: unknown): Uint8Array => Buffer.from(JSON.stringify(value), 'utf8');

export function writeFirstStartEvents(log: EventLog, statsStream: string): void {
  const metadata = (maxAge: number) => [
    { id: randomUUID(), type: '$metadata', contentType: 'application/json', data: json({ $maxAge: maxAge }), metadata: new Uint8Array() },
  ];
  log.append('$$$scavenges', { kind: 'any' }, metadata(30 * 24 * 3600));
  log.append(`$$${statsStream}`, { kind: 'any' }, metadata(24 * 3600));
}

export function writeStartEvents(log: EventLog, statsStream: string, epochNumber: number): void {
  const epoch = { epochNumber, epochId: randomUUID(), leaderInstanceId: randomUUID(), time: new Date().toISOString() };
  const event = (type: string, data: unknown) => ({
    id: randomUUID(),
    type,
    contentType: 'application/json',
    data: json(data),
    metadata: new Uint8Array(),
  });
  log.append('$epoch-information', { kind: 'any' }, [event('$epoch-information', epoch)]);
  log.append(statsStream, { kind: 'any' }, [event('$statsCollection', { 'proc-startTime': epoch.time, 'es-queue-count': 0 })]);
}
