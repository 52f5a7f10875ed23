import { type NextFunction, type Request, type Response } from 'express';
import { ApiErrorCode, messageFor } from './errors';
import { langOf } from './http-exception.filter';

/** The first place in `value` where a string (or a key) holds U+0000, as a dotted path; null when none does. */
export function nulPath(value: unknown, path = ''): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path || '(body)' : null;
  if (typeof value !== 'object' || value === null) return null;
  for (const [k, v] of Object.entries(value)) {
    const here = path ? `${path}.${k}` : k;
    if (k.includes('\u0000')) return here;
    const found = nulPath(v, here);
    if (found) return found;
  }
  return null;
}

/**
 * PostgreSQL text cannot hold U+0000, so a NUL in the address (path or query) is refused here with a 400,
 * before it can reach a query (it used to surface as a 500). Bodies are checked by `parse` (common/zod.ts),
 * on what the schema keeps.
 */
export function rejectNul(req: Request, res: Response, next: NextFunction): void {
  if (!/%00/.test(req.originalUrl)) return next();
  const message = langOf(req) === 'en' ? 'must not contain the NUL character' : 'không được chứa ký tự NUL';
  res.status(400).json({ error: { code: ApiErrorCode.VALIDATION_FAILED, message: messageFor(ApiErrorCode.VALIDATION_FAILED, langOf(req)), fields: { url: [message] } } });
}
