import { z } from 'zod';

/** Instants on the wire: ISO 8601 with an offset (the API answers in UTC, `…Z`). */
export const isoInstant = z.iso.datetime({ offset: true });

/** Every error body: `{ error: { code, message, fields?, errorId? } }` (docs/api-contract.md). */
export enum ApiErrorCode {
  VALIDATION_FAILED = 'VALIDATION_FAILED',
  NOT_FOUND = 'NOT_FOUND',
  METHOD_NOT_ALLOWED = 'METHOD_NOT_ALLOWED',
  INVALID_TRANSITION = 'INVALID_TRANSITION',
  CONFLICT = 'CONFLICT',
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  CSRF_FAILED = 'CSRF_FAILED',
  INVALID_CREDENTIALS = 'INVALID_CREDENTIALS',
  LOGIN_THROTTLED = 'LOGIN_THROTTLED',
  RATE_LIMITED = 'RATE_LIMITED',
  QUOTA_EXCEEDED = 'QUOTA_EXCEEDED',
  UNSUPPORTED_MEDIA_TYPE = 'UNSUPPORTED_MEDIA_TYPE',
  QUERY_TIMEOUT = 'QUERY_TIMEOUT',
  PAYLOAD_TOO_LARGE = 'PAYLOAD_TOO_LARGE',
  SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE',
  INTERNAL = 'INTERNAL',
}

/**
 * The error envelope. `code` is one of ApiErrorCode or, on a 422, a code specific to the operation (plan
 * edits, parser refusals, the directory): the operations list theirs in their descriptions, so the schema
 * keeps `code` an open string rather than break clients when an operation gains one.
 */
export const errorBody = z
  .object({
    error: z.object({
      code: z.string().min(1),
      message: z.string(),
      fields: z.record(z.string(), z.array(z.string())).optional(),
      errorId: z.string().optional(),
    }),
  })
  .meta({ id: 'Error' });
export type ErrorBody = z.infer<typeof errorBody>;

/** `?page=&pageSize=` of every list (max 100 a page). */
export const pageQuery = {
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
};

/** `?lang=en` picks the language of messages, like Accept-Language. */
export const langQuery = { lang: z.string().max(16).optional() };

/** One page of a list. */
export interface Paged<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

/** The schema of one page of `item`. */
export function paged<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), total: z.number().int().min(0), page: z.number().int().min(1), pageSize: z.number().int().min(1) });
}

/**
 * The item schema of each `listOf` list: the list parses through a transform, which JSON Schema cannot
 * express, so the OpenAPI writer documents it from here as "one item or an array of items".
 */
export const listItems = new WeakMap<z.ZodType, z.ZodType>();

/**
 * JSON Schema keywords for what a refinement checks and zod cannot write down (unique items, a pattern a
 * parser enforces): the OpenAPI writer merges them into that schema's output, so the document is as strict
 * as the API and Schemathesis' valid cases are valid.
 */
export const schemaDocs = new WeakMap<z.ZodType, Record<string, unknown>>();

/** The schema, with `keywords` added to its JSON Schema. */
export function documented<T extends z.ZodType>(schema: T, keywords: Record<string, unknown>): T {
  schemaDocs.set(schema, { ...(schemaDocs.get(schema) ?? {}), ...keywords });
  return schema;
}

/** `?status=a,b` or `?status=a&status=b`: both arrive as one list. */
export function listOf<T extends z.ZodType<unknown, string>>(item: T) {
  const list = z
    .union([z.string(), z.array(z.string())])
    .transform((v) =>
      (Array.isArray(v) ? v : [v])
        .flatMap((s) => s.split(','))
        .map((s) => s.trim())
        .filter((s) => s.length > 0),
    )
    .pipe(z.array(item).max(20));
  listItems.set(list, item);
  return list;
}

/** A `:id` path parameter that is a database id. */
export const uuidParam = z.uuid();
