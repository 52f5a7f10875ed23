import { type Request } from 'express';

/** Who is acting; 'system' until the session guard puts a user on the request. */
export function actorOf(req: Request): string {
  return (req as { user?: { id: string } }).user?.id ?? 'system';
}

/** Unit heads and officers see only what concerns their unit. */
export function isUnitUser(req: Request): boolean {
  const role = (req as { user?: { role?: string } }).user?.role;
  return role === 'unit_head' || role === 'unit_officer';
}
