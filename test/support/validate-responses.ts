import { OpenApiValidator } from './openapi-validator.js';

/**
 * Jest set-up for every spec file: each answer a spec receives from one of our APIs (an origin
 * that serves /docs-json) is checked against that document, and a spec that receives an
 * undocumented answer fails at the request. So the served OpenAPI document cannot drift from
 * the code. Test-only endpoints (/test/…) and the documentation itself are not checked.
 */

const originalFetch = globalThis.fetch;
const validators = new Map<string, Promise<OpenApiValidator | undefined>>();
let checked = 0;

function validatorFor(origin: string): Promise<OpenApiValidator | undefined> {
  let validator = validators.get(origin);
  if (!validator) {
    validator = originalFetch(`${origin}/docs-json`, { signal: AbortSignal.timeout(10_000) })
      .then(async (response) => {
        if (!response.ok) return undefined;
        const document = (await response.json()) as ConstructorParameters<typeof OpenApiValidator>[0];
        return typeof document.openapi === 'string' ? new OpenApiValidator(document) : undefined;
      })
      .catch(() => undefined);
    validators.set(origin, validator);
  }
  return validator;
}

function skipped(pathname: string): boolean {
  return pathname.startsWith('/docs') || pathname.startsWith('/test/');
}

async function checkedFetch(input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]): Promise<Response> {
  const response = await originalFetch(input, init);
  const url = new URL(input instanceof Request ? input.url : input instanceof URL ? input.href : input);
  const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
  if (url.hostname !== 'localhost' && url.hostname !== '127.0.0.1') return response;
  if (skipped(url.pathname)) return response;
  const validator = await validatorFor(url.origin);
  if (!validator) return response;
  const body = await response.clone().text();
  const problems = validator.check(method, url.pathname, response.status, response.headers.get('content-type'), body);
  checked += 1;
  if (problems.length > 0)
    throw new Error(`the answer does not match the served OpenAPI document:\n${problems.join('\n')}\nbody: ${body.slice(0, 2000)}`);
  return response;
}

globalThis.fetch = checkedFetch as typeof fetch;

/** How many answers this spec file had checked (a spec can assert the checking happened). */
export function answersChecked(): number {
  return checked;
}
