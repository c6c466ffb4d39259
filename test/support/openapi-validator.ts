import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

/**
 * Checks an HTTP answer against the OpenAPI 3.0 document the API serves (/docs-json): the
 * operation exists, the status is documented, the content type is one it produces, and a JSON
 * body matches the documented schema. The document is made strict for the check — an object
 * with declared properties takes no others, and `nullable` means null — so an undocumented
 * field, code or status fails a spec instead of drifting.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

interface MediaType {
  schema?: JsonObject;
}
interface ResponseObject {
  content?: Record<string, MediaType>;
}
interface Operation {
  responses: Record<string, ResponseObject>;
}
interface Document {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, JsonObject> };
}

// ajv-formats is CommonJS; under ESM its default export is the module object.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (
  ajv: Ajv,
) => Ajv;

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** OpenAPI 3.0 schema → JSON Schema as ajv reads it, made strict (see above). */
export function strictSchema(schema: Json, closed = true): Json {
  if (Array.isArray(schema)) return schema.map((item) => strictSchema(item, closed));
  if (!isObject(schema)) return schema;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'nullable' || key === 'example' || key === 'examples') continue;
    if (key === 'properties' && isObject(value))
      out[key] = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, strictSchema(sub)]));
    // The parts of an allOf each see only some properties: closing one would refuse the others'.
    else if (key === 'allOf') out[key] = Array.isArray(value) ? value.map((part) => strictSchema(part, false)) : value;
    else out[key] = strictSchema(value);
  }
  if (closed && isObject(out.properties) && out.additionalProperties === undefined) out.additionalProperties = false;
  // OpenAPI 3.0's nullable widens the whole schema (an allOf of a $ref included) to null.
  if (schema.nullable === true) return { anyOf: [out, { type: 'null' }] };
  return out;
}

function templateMatcher(template: string): RegExp {
  const pattern = template
    .split('/')
    .map((part) => (/^\{[^}]+\}$/.test(part) ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${pattern}$`);
}

export class OpenApiValidator {
  private readonly ajv = new Ajv({ strict: false, allErrors: true });
  private readonly operations: Array<{ matcher: RegExp; template: string; literal: boolean; methods: Record<string, Operation> }>;
  private readonly errorBody: ValidateFunction | undefined;
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(readonly document: Document) {
    addFormats(this.ajv);
    this.ajv.addSchema({ $id: 'openapi', components: { schemas: strictSchema((document.components?.schemas ?? {}) as Json) } });
    this.operations = Object.entries(document.paths).map(([template, methods]) => ({
      matcher: templateMatcher(template),
      template,
      literal: !template.includes('{'),
      methods,
    }));
    this.errorBody = document.components?.schemas?.ErrorBodyDto
      ? this.ajv.compile({ $ref: 'openapi#/components/schemas/ErrorBodyDto' })
      : undefined;
  }

  /** The problems of one answer; none when it is as documented. */
  check(method: string, pathname: string, status: number, contentType: string | null, body: string): string[] {
    const where = `${method} ${pathname} → ${status}`;
    // A literal path (/tickets/x) wins over a template (/tickets/{id}), as routing does.
    const candidates = this.operations
      .filter((operation) => operation.matcher.test(pathname))
      .sort((a, b) => Number(b.literal) - Number(a.literal));
    const path = candidates.find((operation) => operation.methods[method.toLowerCase()] !== undefined);
    if (!path) {
      // No such endpoint: the router's 404/405 must still be an error body.
      if (status >= 400 && this.errorBody) return this.validate(where, this.errorBody, body);
      return [`${where}: no documented operation`];
    }
    const operation = path.methods[method.toLowerCase()];
    const response = operation.responses[String(status)] ?? operation.responses.default;
    if (!response)
      return [
        `${where}: status ${status} is not documented for ${method.toUpperCase()} ${path.template} (documented: ` +
          `${Object.keys(operation.responses).join(', ')})`,
      ];
    const content = response.content ?? {};
    if (body === '') return [];
    const mediaType = (contentType ?? '').split(';')[0].trim().toLowerCase();
    const media = content[mediaType];
    if (!media)
      return [
        `${where}: content type ${mediaType || 'none'} is not documented (documented: ${Object.keys(content).join(', ') || 'no body'})`,
      ];
    if (mediaType !== 'application/json' || !media.schema) return [];
    return this.validate(where, this.validatorFor(`${method} ${path.template} ${status}`, media.schema), body);
  }

  private validatorFor(key: string, schema: JsonObject): ValidateFunction {
    let validate = this.compiled.get(key);
    if (!validate) {
      validate = this.ajv.compile(rebase(strictSchema(schema)) as JsonObject);
      this.compiled.set(key, validate);
    }
    return validate;
  }

  private validate(where: string, validate: ValidateFunction, body: string): string[] {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch (error) {
      return [`${where}: the body is not JSON (${(error as Error).message})`];
    }
    if (validate(parsed)) return [];
    return (validate.errors ?? []).map(
      (error) => `${where}: ${error.instancePath || '(body)'} ${error.message ?? ''} ${JSON.stringify(error.params)}`,
    );
  }
}

/** `#/components/schemas/X` as ajv finds it in the document registered under the id `openapi`. */
function rebase(schema: Json): Json {
  if (Array.isArray(schema)) return schema.map(rebase);
  if (!isObject(schema)) return schema;
  return Object.fromEntries(
    Object.entries(schema).map(([key, value]) => [
      key,
      key === '$ref' && typeof value === 'string' && value.startsWith('#/') ? `openapi${value}` : rebase(value),
    ]),
  );
}
