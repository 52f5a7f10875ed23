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

export function toAuthUser(u: Pick<UserEntity, 'id' | 'username' | 'displayName' | 'role' | 'unitCode' | 'locale'>): AuthUser {
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
/** Idle expiry (sliding); SESSION_MAX_AGE_HOURS bounds a session however active it is. */
export const SESSION_TTL_MS = 8 * 3600_000;
/** Sliding the expiry costs a write; once a minute per session is enough at an 8-hour horizon. */
export const SESSION_TOUCH_INTERVAL_MS = 60_000;
/** How often the API deletes ended sessions and stale throttling counters. */
export const SESSION_PURGE_INTERVAL_MS = 10 * 60_000;
/** The rate-limit bucket of failed sign-ins per client address. */
export const LOGIN_FAILURES_BUCKET = 'login-failures:address';
