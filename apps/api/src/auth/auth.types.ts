import { type UserEntity, type UserLocale, type UserRole } from '@app/persistence';

export type Role = UserRole;

/** The signed-in user as the API and the browser see it: never the hash or lockout counters. */
export interface AuthUser {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  unitCode: string | null;
  locale: UserLocale;
}

export function toAuthUser(u: UserEntity): AuthUser {
  return { id: u.id, username: u.username, displayName: u.displayName, role: u.role, unitCode: u.unitCode, locale: u.locale };
}

declare module 'express-serve-static-core' {
  interface Request {
    /** Set by the session guard on every non-public route. */
    user?: AuthUser;
    authSession?: { id: string; csrfToken: string };
  }
}

export const SESSION_COOKIE = 'dondoc_session';
export const CSRF_COOKIE = 'dondoc_csrf';
export const CSRF_HEADER = 'x-csrf-token';
export const SESSION_TTL_MS = 8 * 3600_000;
/** Sliding the expiry costs a write; once a minute per session is enough at an 8-hour horizon. */
export const SESSION_TOUCH_INTERVAL_MS = 60_000;
export const MAX_FAILED_LOGINS = 5;
export const LOCKOUT_MS = 15 * 60_000;
export const MAX_FAILED_LOGINS_PER_IP = 20;
