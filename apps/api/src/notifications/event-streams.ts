import { Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import type { Response } from 'express';
import { NotificationQueries, type NotificationBody } from '#automation';
import { JsonLogger } from '#platform';

/** How often an open stream looks for new notifications. */
const POLL_MS = 500;
/** A comment line this often keeps proxies and load balancers from closing a quiet stream. */
const HEARTBEAT_MS = 15_000;
/** Notifications written per poll; a client far behind catches up over several polls. */
const POLL_LIMIT = 500;

export interface StreamRequest {
  /** the seq after which to start */
  after: number;
  kinds: string[];
  unitId?: string;
}

/**
 * The open GET /events/stream answers (Server-Sent Events): each polls the outbox after the last
 * seq it wrote and writes `id: <seq>`, `event: <kind>`, `data: <json>`. Polling, not
 * LISTEN/NOTIFY: the outbox is written by the projection's runner, which may run in another
 * process or on the other event store, and half a second is the projection's own lag. On
 * shutdown every stream is ended, so closing the server does not wait for dashboards.
 */
@Injectable()
export class EventStreams implements BeforeApplicationShutdown {
  private readonly open = new Set<() => void>();

  constructor(
    private readonly queries: NotificationQueries,
    private readonly logger: JsonLogger,
  ) {}

  /** The seq a stream without Last-Event-ID starts after: the newest now. */
  end(): Promise<number> {
    return this.queries.end();
  }

  serve(request: StreamRequest, response: Response): void {
    let after = request.after;
    let closed = false;
    let poll: NodeJS.Timeout | undefined;
    const heartbeat = setInterval(() => response.write(': heartbeat\n\n'), HEARTBEAT_MS);
    const close = (): void => {
      if (closed) return;
      closed = true;
      clearTimeout(poll);
      clearInterval(heartbeat);
      this.open.delete(close);
      response.end();
    };
    this.open.add(close);
    response.on('close', close);
    response.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      // nginx buffers answers unless told not to: a stream would arrive in lumps.
      'X-Accel-Buffering': 'no',
    });
    // The reconnection delay the browser's EventSource uses after a dropped connection.
    response.write('retry: 2000\n\n');
    const tick = async (): Promise<void> => {
      try {
        const notifications = await this.queries.after(after, { kinds: request.kinds, unitId: request.unitId }, POLL_LIMIT);
        if (closed) return;
        for (const notification of notifications) response.write(frameOf(notification));
        if (notifications.length > 0) after = notifications[notifications.length - 1].seq;
      } catch (error) {
        // The stream stays open: the next poll tries again, from the same seq.
        this.logger.write('error', 'the event stream could not read the outbox', {
          error: error instanceof Error ? error.message : String(error),
        });
      }
      if (!closed) poll = setTimeout(() => void tick(), POLL_MS);
    };
    void tick();
  }

  beforeApplicationShutdown(): void {
    for (const close of [...this.open]) close();
  }
}

function frameOf(notification: NotificationBody): string {
  return `id: ${notification.seq}\nevent: ${notification.kind}\ndata: ${JSON.stringify(notification)}\n\n`;
}
