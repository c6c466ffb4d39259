import http from 'node:http';

export interface HttpAnswer {
  status: number;
  /** the parsed JSON body, or undefined when the body is not JSON */
  body: unknown;
  /** from the request's start to the answer's last byte */
  milliseconds: number;
}

/**
 * A small JSON client over keep-alive connections: the bench's load must cost the machine it
 * measures as little as it can, and node:http costs less per request than fetch.
 */
export class HttpClient {
  private readonly agent: http.Agent;

  constructor(
    private readonly baseUrl: string,
    maxSockets = 256,
  ) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets });
  }

  request(
    method: 'GET' | 'POST',
    path: string,
    options: { headers?: Record<string, string>; body?: unknown; timeoutMs?: number } = {},
  ): Promise<HttpAnswer> {
    const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
    const started = performance.now();
    return new Promise((resolve, reject) => {
      const request = http.request(
        new URL(path, this.baseUrl),
        {
          method,
          agent: this.agent,
          headers: {
            accept: 'application/json',
            ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) }),
            ...options.headers,
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', reject);
          response.on('end', () => {
            const milliseconds = performance.now() - started;
            const text = Buffer.concat(chunks).toString('utf8');
            let body: unknown;
            try {
              body = text === '' ? undefined : JSON.parse(text);
            } catch (error) {
              if (!(error instanceof SyntaxError)) throw error;
              body = undefined;
            }
            resolve({ status: response.statusCode ?? 0, body, milliseconds });
          });
        },
      );
      request.on('error', reject);
      if (options.timeoutMs !== undefined) {
        request.setTimeout(options.timeoutMs, () => request.destroy(new NoAnswerInTime(method, path, options.timeoutMs ?? 0)));
      }
      request.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** The request's timeout passed before the answer was complete. */
export class NoAnswerInTime extends Error {
  readonly code = 'NO_ANSWER_IN_TIME';
  constructor(method: string, path: string, timeoutMs: number) {
    super(`${method} ${path.split('?')[0]}: no answer within ${timeoutMs / 1000} s`);
    this.name = 'NoAnswerInTime';
  }
}

/** A message for a refused request: the status and the API's error code, if it sent one. */
export function describeRefusal(answer: HttpAnswer): string {
  const body = answer.body;
  const code = typeof body === 'object' && body !== null && 'code' in body ? String(body.code) : undefined;
  return code ? `${answer.status} ${code}` : String(answer.status);
}
