import { type z } from 'zod';

/** Parses a request part with a zod schema; the global filter turns failures into field errors. */
export function parse<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  return schema.parse(value);
}
