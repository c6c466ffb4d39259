/**
 * The API, same origin, with the session cookie (sent by the browser; never readable here).
 * Every figure comes from the report endpoints: the dashboard computes none of its own.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

async function failure(response: Response): Promise<ApiError> {
  const text = await response.text();
  try {
    const body = JSON.parse(text) as { code?: string; message?: string };
    return new ApiError(response.status, body.code, body.message ?? text);
  } catch {
    return new ApiError(response.status, undefined, text.slice(0, 200));
  }
}

export async function getJson<T>(path: string): Promise<T> {
  const response = await fetch(path, { headers: { accept: 'application/json' }, credentials: 'same-origin' });
  if (!response.ok) throw await failure(response);
  return (await response.json()) as T;
}

/** The report's CSV exactly as the API answers it (no byte changed), and the file name it gives. */
export async function getCsv(path: string): Promise<{ blob: Blob; fileName: string }> {
  const response = await fetch(path, { headers: { accept: 'text/csv' }, credentials: 'same-origin' });
  if (!response.ok) throw await failure(response);
  const disposition = response.headers.get('content-disposition') ?? '';
  const fileName = /filename="([^"]+)"/.exec(disposition)?.[1] ?? 'report.csv';
  return { blob: await response.blob(), fileName };
}

export async function send<T>(method: 'POST' | 'DELETE', path: string, body?: unknown): Promise<T | undefined> {
  const response = await fetch(path, {
    method,
    headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
  });
  if (!response.ok) throw await failure(response);
  const text = await response.text();
  return text === '' ? undefined : (JSON.parse(text) as T);
}

export interface Session {
  name: string;
  roles: string[];
  expiresAt: string;
  timeZone: string;
}

/** The JSON envelope of every report. */
export interface Report<Row> {
  report: string;
  asOf: string;
  period: { from: string; to: string };
  timeZone: string;
  rows: Row[];
}

export function query(parameters: Record<string, string | number | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(parameters)) if (value !== null && value !== undefined) search.set(name, String(value));
  return search.toString();
}
