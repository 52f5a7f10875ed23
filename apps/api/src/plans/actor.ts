import { type Request } from 'express';

/** Who is acting; 'system' until the session guard puts a user on the request. */
export function actorOf(req: Request): string {
  return (req as { user?: { id: string } }).user?.id ?? 'system';
}
