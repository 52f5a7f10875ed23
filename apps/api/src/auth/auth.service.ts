import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { type Request } from 'express';
import { LoginFailureLog, SessionRepository, UserRepository } from '@app/persistence';
import { ApiError, ApiErrorCode } from '../common/errors';
import { AuditService } from './audit.service';
import {
  type AuthUser,
  LOCKOUT_MS,
  MAX_FAILED_LOGINS,
  MAX_FAILED_LOGINS_PER_IP,
  SESSION_TOUCH_INTERVAL_MS,
  SESSION_TTL_MS,
  toAuthUser,
} from './auth.types';
import { verifyPassword } from './passwords';

export interface LoginResult {
  user: AuthUser;
  /** The cookie value; only its hash is stored. */
  sessionToken: string;
  csrfToken: string;
}

export function sessionIdOf(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Constant-time comparison of two tokens of any length. */
export function tokensEqual(given: string, expected: string): boolean {
  // Hashing first gives equal lengths, so timingSafeEqual never throws and length leaks nothing.
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

@Injectable()
export class AuthService {
  constructor(
    private readonly users: UserRepository,
    private readonly sessions: SessionRepository,
    private readonly failures: LoginFailureLog,
    private readonly audit: AuditService,
  ) {}

  async login(req: Request, rawUsername: string, password: string): Promise<LoginResult> {
    const username = rawUsername.trim().toLowerCase();
    const ip = req.ip ?? 'unknown';
    const since = new Date(Date.now() - LOCKOUT_MS);
    if ((await this.failures.countByIpSince(ip, since)) >= MAX_FAILED_LOGINS_PER_IP) {
      await this.audit.record(req, 'auth.login_throttled', null, { username, by: 'ip' }, { id: null, username });
      throw new ApiError(ApiErrorCode.LOGIN_THROTTLED);
    }
    const user = await this.users.findByUsername(username);
    // An unknown name is throttled like a known one, so the 429 does not reveal which names exist.
    const locked = user
      ? user.lockedUntil !== null && user.lockedUntil.getTime() > Date.now()
      : (await this.failures.countByUsernameSince(username, since)) >= MAX_FAILED_LOGINS;
    if (locked) {
      await this.audit.record(req, 'auth.login_throttled', user ? { type: 'user', id: user.id } : null, { username, by: 'username' }, { id: null, username });
      throw new ApiError(ApiErrorCode.LOGIN_THROTTLED);
    }

    const passwordOk = await verifyPassword(password, user?.passwordHash ?? null);
    if (!user || !passwordOk || user.disabled) {
      await this.failures.record(ip, username);
      if (user) await this.users.recordFailedLogin(user.id, MAX_FAILED_LOGINS, LOCKOUT_MS);
      await this.audit.record(req, 'auth.login_failed', user ? { type: 'user', id: user.id } : null, { username }, { id: null, username });
      throw new ApiError(ApiErrorCode.INVALID_CREDENTIALS);
    }

    await this.users.clearFailedLogins(user.id);
    const sessionToken = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(32).toString('base64url');
    await this.sessions.create({
      id: sessionIdOf(sessionToken),
      userId: user.id,
      csrfToken,
      expiresAt: new Date(Date.now() + SESSION_TTL_MS),
      ip,
      userAgent: req.headers['user-agent']?.slice(0, 500) ?? null,
    });
    const authUser = toAuthUser(user);
    await this.audit.record(req, 'auth.login', { type: 'user', id: user.id }, {}, { id: user.id, username: user.username });
    return { user: authUser, sessionToken, csrfToken };
  }

  async logout(req: Request): Promise<void> {
    if (!req.authSession) return;
    await this.sessions.revoke(req.authSession.id);
    await this.audit.record(req, 'auth.logout', req.user ? { type: 'user', id: req.user.id } : null);
  }

  /** The session behind a cookie token, sliding its expiry forward; null when absent, expired or the user is disabled. */
  async resolve(token: string): Promise<{ user: AuthUser; sessionId: string; csrfToken: string } | null> {
    const id = sessionIdOf(token);
    const found = await this.sessions.findActive(id);
    if (!found) return null;
    if (Date.now() - found.session.lastSeenAt.getTime() > SESSION_TOUCH_INTERVAL_MS) {
      await this.sessions.touch(id, new Date(Date.now() + SESSION_TTL_MS));
    }
    return { user: toAuthUser(found.user), sessionId: id, csrfToken: found.session.csrfToken };
  }
}
