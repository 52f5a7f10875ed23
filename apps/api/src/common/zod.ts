import { type z } from 'zod';
import { ApiError, ApiErrorCode } from './errors';
import { nulPath } from './no-nul';

/**
 * Parses a request part with a zod schema; the global filter turns failures into field errors. What the
 * schema keeps must not hold a NUL character, which PostgreSQL text and jsonb cannot store (ignored extra
 * fields are dropped by the schema first, so they do not count).
 */
export function parse<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const parsed = schema.parse(value);
  const nul = nulPath(parsed);
  if (nul) throw new ApiError(ApiErrorCode.VALIDATION_FAILED, undefined, { [nul]: ['không được chứa ký tự NUL'] });
  return parsed;
}
