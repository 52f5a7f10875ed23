import { type NextFunction, type Request, type Response } from 'express';
import { operations } from '@app/contracts';
import { ApiErrorCode, messageFor } from './errors';
import { langOf } from './http-exception.filter';

interface Template {
  pattern: RegExp;
  methods: Set<string>;
  /** No `{param}` in it: `/api/plans/import` is that address only, not a plan id. */
  literal: boolean;
}

/** The operation table's paths as patterns (`{id}` matches one segment), each with the methods it takes. */
function templates(): Template[] {
  const byPath = new Map<string, Set<string>>();
  for (const op of Object.values(operations)) {
    const methods = byPath.get(op.path) ?? new Set<string>();
    methods.add(op.method.toUpperCase());
    byPath.set(op.path, methods);
  }
  return [...byPath].map(([path, methods]) => ({
    pattern: new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{\w+\}/g, '[^/]+')}/?$`),
    methods,
    literal: !path.includes('{'),
  }));
}

/**
 * A known address asked with a method it does not take gets 405 with `Allow` (HTTP's answer), not the 404
 * of an unknown address: a client can tell a wrong method from a wrong path. HEAD follows GET as in Express.
 */
export function methodNotAllowed(): (req: Request, res: Response, next: NextFunction) => void {
  const all = templates();
  return (req, res, next) => {
    const candidates = all.filter((t) => t.pattern.test(req.path));
    if (candidates.length === 0) return next();
    const literal = candidates.filter((t) => t.literal);
    const matching = literal.length > 0 ? literal : candidates;
    const allowed = new Set(matching.flatMap((t) => [...t.methods]));
    if (allowed.has('GET')) allowed.add('HEAD');
    if (allowed.has(req.method.toUpperCase())) return next();
    res.setHeader('allow', [...allowed].join(', '));
    res.status(405).json({ error: { code: ApiErrorCode.METHOD_NOT_ALLOWED, message: messageFor(ApiErrorCode.METHOD_NOT_ALLOWED, langOf(req)) } });
  };
}
