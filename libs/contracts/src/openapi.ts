// The OpenAPI document, generated from the operation table: nothing about a route is written twice.
import { z } from 'zod';
import { errorBody, listItems, schemaDocs } from './common';
import { type FileResponse, type Operation, operations } from './operations';

type Json = Record<string, unknown>;

const NO_NUL = '^[^\\u0000]*$';
/** JSON Schema keywords whose value is a map of schemas, a schema, or a list of schemas; the rest is data. */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', 'definitions', '$defs']);
const SCHEMA_KEYS = new Set(['items', 'additionalProperties', 'not', 'propertyNames', 'contains', 'anyOf', 'allOf', 'oneOf', 'prefixItems']);

export const SESSION_COOKIE_NAME = 'dondoc_session';
export const CSRF_HEADER_NAME = 'x-csrf-token';

const ERROR_TEXT: Record<number, string> = {
  400: 'VALIDATION_FAILED: the request does not parse; `fields` names what is wrong',
  401: 'UNAUTHENTICATED (no or expired session) or INVALID_CREDENTIALS',
  403: 'FORBIDDEN (role or unit) or CSRF_FAILED (missing or wrong x-csrf-token)',
  404: 'NOT_FOUND (or not visible to this user)',
  408: 'QUERY_TIMEOUT: the query was too wide and was stopped',
  409: 'CONFLICT (stale revision, already exists) or INVALID_TRANSITION (not allowed in this state)',
  413: 'PAYLOAD_TOO_LARGE or QUOTA_EXCEEDED',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'A code specific to the operation: the request parses but does not fit (docs/api-contract.md)',
  429: 'RATE_LIMITED or LOGIN_THROTTLED; Retry-After says how long to wait',
  500: 'INTERNAL; errorId identifies it in the logs',
  503: 'SERVICE_UNAVAILABLE: the workflow service did not answer; try again',
};

/** A `listOf` query list: one value, or the parameter repeated (`?status=a&status=b`). */
function documentLists(ctx: { zodSchema: unknown; jsonSchema: Json }): void {
  const keywords = schemaDocs.get(ctx.zodSchema as z.ZodType);
  if (keywords) Object.assign(ctx.jsonSchema, keywords);
  // `.trim().min(1)`: the length counts after trimming, so blank text is refused; say that it needs a visible character.
  const def = (ctx.zodSchema as { _zod?: { def?: { type?: string; checks?: Array<{ _zod?: { def?: { check?: string } } }> } } })._zod?.def;
  const trims = def?.type === 'string' && (def.checks ?? []).some((c) => c._zod?.def?.check === 'overwrite');
  const allOf = (ctx.jsonSchema.allOf as Json[] | undefined) ?? [];
  if (trims && typeof ctx.jsonSchema.minLength === 'number' && ctx.jsonSchema.minLength >= 1 && !allOf.some((p) => p.pattern === '\\S')) {
    ctx.jsonSchema.allOf = [...allOf, { pattern: '\\S' }];
  }
  const item = listItems.get(ctx.zodSchema as z.ZodType);
  if (!item) return;
  const one = z.toJSONSchema(item, { target: 'openapi-3.0', io: 'input' }) as Json;
  delete one.$schema;
  for (const key of Object.keys(ctx.jsonSchema)) delete ctx.jsonSchema[key];
  Object.assign(ctx.jsonSchema, { anyOf: [one, { type: 'array', items: one, minItems: 1, maxItems: 20 }] });
}

/** JSON Schema of one zod schema, its named parts (`.meta({ id })`) hoisted into `components`. */
class SchemaWriter {
  readonly components: Record<string, Json> = {};

  write(schema: z.ZodType, io: 'input' | 'output'): Json {
    const suffix = io === 'input' ? 'Input' : '';
    const json = z.toJSONSchema(schema, { target: 'openapi-3.0', io, unrepresentable: 'any', reused: 'inline', override: documentLists }) as Json;
    const defs = (json.definitions ?? {}) as Record<string, Json>;
    delete json.definitions;
    delete json.$schema;
    for (const [name, def] of Object.entries(defs)) this.components[`${name}${suffix}`] = this.tidy(def, io, suffix);
    return this.tidy(json, io, suffix);
  }

  /**
   * Refs point into components. Responses are described as open objects: a response may gain a field
   * without a new version (clients ignore what they do not know), which zod's `output` mode would forbid.
   */
  private tidy(node: Json, io: 'input' | 'output', suffix: string): Json {
    const walk = (v: unknown): unknown => {
      if (Array.isArray(v)) return v.map(walk);
      if (typeof v !== 'object' || v === null) return v;
      const schema = v as Json;
      // Any JSON (z.unknown) the API receives ends up stored: no NUL in its texts or keys either.
      if (io === 'input' && Object.keys(schema).length === 0) return { $ref: '#/components/schemas/JsonText' };
      const out: Json = {};
      for (const [k, x] of Object.entries(schema)) {
        if (k === '$ref' && typeof x === 'string') out[k] = x.replace('#/definitions/', '#/components/schemas/') + (x.startsWith('#/definitions/') ? suffix : '');
        else if (k === 'additionalProperties' && x === false && io === 'output') continue;
        else if (SCHEMA_MAPS.has(k) && typeof x === 'object' && x !== null) out[k] = Object.fromEntries(Object.entries(x).map(([name, sub]) => [name, walk(sub)]));
        else if (SCHEMA_KEYS.has(k)) out[k] = walk(x);
        // Everything else (default, enum, const, examples, description…) is data, not a schema.
        else out[k] = x;
      }
      if (io === 'input') {
        if (out.type === 'object' && typeof out.additionalProperties === 'object') out.propertyNames = { pattern: NO_NUL };
        // zod's own e-mail pattern is the rule the API applies; the `email` format's idea of an address differs.
        if (out.format === 'email' && typeof out.pattern === 'string') delete out.format;
        // The API refuses U+0000 in any text it receives (PostgreSQL cannot store it): every input string says so.
        if (out.type === 'string' && out.format !== 'binary' && !('enum' in out) && !('const' in out)) {
          if (typeof out.pattern === 'string') {
            out.allOf = [...((out.allOf as Json[] | undefined) ?? []), { pattern: out.pattern }, { pattern: NO_NUL }];
            delete out.pattern;
          } else out.pattern = NO_NUL;
        }
      }
      return out;
    };
    return walk(node) as Json;
  }
}

function isFile(r: Operation['response']): r is FileResponse {
  return typeof r === 'object' && r !== null && 'file' in r;
}

/** The error statuses an operation can answer with: those of every route of its kind plus its own. */
export function errorStatuses(op: Operation): number[] {
  const s = new Set<number>([500, ...(op.errors ?? [])]);
  if (!op.public) [401, 403, 429].forEach((c) => s.add(c));
  if (op.params || op.query || op.body || op.upload) s.add(400);
  if (op.params) s.add(404);
  if (op.body || op.upload) [413, 415].forEach((c) => s.add(c));
  // Sign-in has no session yet, but is still refused for a cross-site Origin.
  if (op.public && op.body) s.add(403);
  return [...s].sort((a, b) => a - b);
}

function parametersOf(op: Operation, w: SchemaWriter): Json[] {
  const out: Json[] = [];
  const add = (where: 'path' | 'query', obj: z.ZodObject | undefined) => {
    if (!obj) return;
    const json = w.write(obj, 'input');
    const props = (json.properties ?? {}) as Record<string, Json>;
    const required = new Set((json.required as string[] | undefined) ?? []);
    for (const [name, schema] of Object.entries(props)) {
      const param: Json = { name, in: where, required: where === 'path' || required.has(name), schema };
      // `?status=a,b` and `?status=a&status=b` both work; the document says the second.
      if (where === 'query' && JSON.stringify(schema).includes('"array"')) Object.assign(param, { style: 'form', explode: true });
      out.push(param);
    }
  };
  add('path', op.params);
  add('query', op.query);
  return out;
}

/** The whole document (OpenAPI 3.0.3). */
export function buildOpenApiDocument(info: { version: string } = { version: '0.1.0' }): Json {
  const w = new SchemaWriter();
  const errorSchema = w.write(errorBody, 'output');
  w.components.Error = errorSchema;
  w.components.JsonText = {
    description: 'Any JSON value whose texts and keys hold no NUL character',
    nullable: true,
    anyOf: [
      { type: 'string', pattern: NO_NUL },
      { type: 'number' },
      { type: 'boolean' },
      { type: 'array', items: { $ref: '#/components/schemas/JsonText' } },
      { type: 'object', propertyNames: { pattern: NO_NUL }, additionalProperties: { $ref: '#/components/schemas/JsonText' } },
    ],
  };
  const paths: Record<string, Record<string, Json>> = {};
  for (const [operationId, op] of Object.entries(operations) as Array<[string, Operation]>) {
    const responses: Record<string, Json> = {};
    if (op.response === null) responses[op.status] = { description: 'Done (no body)' };
    else if (isFile(op.response)) responses[op.status] = { description: 'The file', content: { [op.response.file]: { schema: { type: 'string', format: 'binary' } } } };
    else responses[op.status] = { description: 'OK', content: { 'application/json': { schema: w.write(op.response, 'output') } } };
    for (const code of errorStatuses(op)) {
      responses[code] = { description: ERROR_TEXT[code] ?? 'Error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
    }
    const entry: Json = {
      operationId,
      tags: [op.tag],
      summary: op.summary,
      parameters: parametersOf(op, w),
      responses,
    };
    if (op.public) entry.security = [];
    if (op.body) {
      const schema = w.write(op.body, 'input');
      entry.requestBody = { required: true, content: { 'application/json': { schema } } };
    }
    if (op.upload) {
      const content = { 'multipart/form-data': { schema: w.write(op.upload, 'input') } };
      entry.requestBody = { required: true, content: { ...content, ...((entry.requestBody as { content?: Json } | undefined)?.content ?? {}) } };
    }
    (paths[op.path] ??= {})[op.method] = entry;
  }
  return {
    openapi: '3.0.3',
    info: {
      title: 'Dondoc API',
      description:
        'Kế hoạch, nhiệm vụ, đôn đốc: plans, assignments, reminders and escalation. Sign in with POST /api/auth/login; send the session cookie and, on POST/PUT/PATCH/DELETE, the CSRF token it returns in the x-csrf-token header. Messages follow Accept-Language (or ?lang=en).',
      version: info.version,
    },
    tags: [...new Set(Object.values(operations).map((o) => o.tag))].map((name) => ({ name })),
    security: [{ session: [], csrf: [] }],
    paths,
    components: {
      schemas: w.components,
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE_NAME, description: 'Set by POST /api/auth/login' },
        csrf: { type: 'apiKey', in: 'header', name: CSRF_HEADER_NAME, description: 'The csrfToken of the session; needed on POST, PUT, PATCH and DELETE' },
      },
    },
  };
}
