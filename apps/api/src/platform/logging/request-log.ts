import type { NextFunction, Request, Response } from 'express';
import { contextOf } from '../request-context.js';
import type { JsonLogger } from '#platform';

/** One log line per HTTP request, when its answer is sent (or the client went away). */
export function requestLog(logger: JsonLogger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    let logged = false;
    const done = (): void => {
      if (logged) return;
      logged = true;
      const context = contextOf(req);
      const durationMs = context ? Math.round((performance.now() - context.startedAt) * 10) / 10 : undefined;
      logger.write(res.statusCode >= 500 ? 'error' : 'info', 'request', {
        correlationId: context?.correlationId,
        method: req.method,
        path: context?.path ?? req.path,
        status: res.statusCode,
        durationMs,
        apiKey: context?.caller?.name,
        ...(res.writableFinished ? {} : { aborted: true }),
      });
    };
    res.once('finish', done);
    res.once('close', done);
    next();
  };
}
