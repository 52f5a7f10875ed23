import { type z } from 'zod';
import { ApiError, ApiErrorCode } from './errors';
import { nulPath } from './no-nul';

/**
 * Parses a request part with a zod schema; the global filter turns failures into field errors. What the
 * schema keeps must not hold a NUL character, which PostgreSQL text and jsonb cannot store (ignored extra
 * fields are dropped by the schema first, so they do not count).
 */
export function parse<S extends z.ZodType>(schema: S, value: unknown, opts: { nulCheckedLater?: readonly string[] } = {}): z.infer<S> {
  const parsed = schema.parse(value);
  // A field whose own check answers a NUL more precisely (a plan's text: BINARY_CONTENT, "this is a binary file")
  // is left to it; it never reaches the database with the NUL either.
  const checked =
    opts.nulCheckedLater && typeof parsed === 'object' && parsed !== null
      ? Object.fromEntries(Object.entries(parsed).filter(([k]) => !opts.nulCheckedLater!.includes(k)))
      : parsed;
  const nul = nulPath(checked);
  if (nul) throw new ApiError(ApiErrorCode.VALIDATION_FAILED, undefined, { [nul]: ['không được chứa ký tự NUL'] });
  return parsed;
}
