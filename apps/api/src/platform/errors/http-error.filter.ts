import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { errorFields, JsonLogger } from '#platform';
import { contextOf } from '../request-context.js';
import { toHttpError } from './to-http-error.js';

/** The one exception filter: every error answer is written here, from `toHttpError`. */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  constructor(private readonly logger: JsonLogger) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    const context = contextOf(req);
    const answer = toHttpError(error, context?.correlationId);
    if (answer.unexpected) {
      this.logger.write('error', 'unexpected error while serving a request', {
        method: req.method,
        path: context?.path ?? req.path,
        ...(error instanceof Error ? errorFields(error) : { error: String(error) }),
      });
    }
    if (res.headersSent) {
      // Part of the answer is out already: the client can only be told by a broken connection.
      res.destroy();
      return;
    }
    for (const [name, value] of Object.entries(answer.headers)) res.setHeader(name, value);
    res.status(answer.status).json(answer.body);
  }
}
