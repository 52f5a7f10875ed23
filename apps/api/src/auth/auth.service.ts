import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { type Request } from 'express';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { createLogger, type Logger } from '@app/logging';
import { LoginThrottle, RateLimitStore, SessionRepository, type ThrottlePolicy, UserRepository } from '@app/persistence';
import { ApiError, ApiErrorCode, tooManyRequests } from '../common/errors';
import { AuditService } from './audit.service';
import { type AuthUser, LOGIN_FAILURES_BUCKET, SESSION_PURGE_INTERVAL_MS, SESSION_TOUCH_INTERVAL_MS, SESSION_TTL_MS, toAuthUser } from './auth.types';
import { hashPassword, verifyPassword } from './passwords';

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
export class AuthService implements OnModuleInit, OnModuleDestroy {
  private purgeTimer?: NodeJS.Timeout;
  private readonly logger: Logger;

  constructor(
    private readonly users: UserRepository,
    private readonly sessions: SessionRepository,
    private readonly throttle: LoginThrottle,
    private readonly limits: RateLimitStore,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.logger = createLogger('api', config.log.level);
  }

  onModuleInit(): void {
    // Every replica purges; the DELETEs are idempotent, so running them twice costs nothing but a query.
    this.purgeTimer = setInterval(() => void this.purge(), SESSION_PURGE_INTERVAL_MS);
    this.purgeTimer.unref();
  }

  onModuleDestroy(): void {
    if (this.purgeTimer) clearInterval(this.purgeTimer);
  }

  /** Deletes ended sessions and stale sign-in counters; returns the sessions deleted. */
  async purge(): Promise<number> {
    try {
      const n = await this.sessions.purgeExpired();
      if (n > 0) this.logger.info({ sessions: n }, 'expired sessions purged');
      return n;
    } catch (err) {
      this.logger.warn({ err }, 'session purge failed; next try at the next interval');
      return 0;
    }
  }

  private get policy(): ThrottlePolicy {
    const a = this.config.auth;
    return { freeFailures: a.loginFreeFailures, baseDelayMs: a.loginBaseDelayMs, maxDelayMs: a.loginMaxDelayMs };
  }

  /**
   * Reserves one attempt for (username, address) and one failure for the address, before bcrypt runs, so
   * parallel guesses are counted before any of them is checked. Throws 429 with the wait when either is spent.
   */
  private async reserveAttempt(req: Request, username: string, ip: string, targetId: string | null): Promise<void> {
    const perAddress = this.config.rateLimits.loginFailuresAddress;
    const byAddress = await this.limits.hit(LOGIN_FAILURES_BUCKET, ip, perAddress.windowMs);
    if (byAddress.count > perAddress.count) {
      await this.audit.record(req, 'auth.login_throttled', targetId ? { type: 'user', id: targetId } : null, { username, by: 'address' }, { id: null, username });
      throw tooManyRequests(ApiErrorCode.LOGIN_THROTTLED, byAddress.retryAfterMs);
    }
    const pair = await this.throttle.reserve(username, ip, this.policy);
    if (!pair.allowed) {
      await this.audit.record(req, 'auth.login_throttled', targetId ? { type: 'user', id: targetId } : null, { username, by: 'username+address' }, { id: null, username });
      throw tooManyRequests(ApiErrorCode.LOGIN_THROTTLED, pair.retryAfterMs);
    }
  }

  /** The attempt proved right: it was no failure after all. */
  private async releaseAttempt(username: string, ip: string): Promise<void> {
    await Promise.all([this.throttle.clear(username, ip), this.limits.refund(LOGIN_FAILURES_BUCKET, ip)]);
  }

  async login(req: Request, rawUsername: string, password: string): Promise<LoginResult> {
    const username = rawUsername.trim().toLowerCase();
    const ip = req.ip ?? 'unknown';
    // An unknown name is reserved and throttled like a known one, so neither answer nor timing tells them apart.
    await this.reserveAttempt(req, username, ip, null);
    const user = await this.users.findByUsername(username);
    const passwordOk = await verifyPassword(password, user?.passwordHash ?? null);
    if (!user || !passwordOk || user.disabled) {
      await this.audit.record(req, 'auth.login_failed', user ? { type: 'user', id: user.id } : null, { username }, { id: null, username });
      throw new ApiError(ApiErrorCode.INVALID_CREDENTIALS);
    }
    await this.releaseAttempt(username, ip);

    const sessionToken = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(32).toString('base64url');
    const now = Date.now();
    const absoluteExpiresAt = new Date(now + this.config.auth.sessionMaxAgeMs);
    await this.sessions.create({
      id: sessionIdOf(sessionToken),
      userId: user.id,
      csrfToken,
      expiresAt: new Date(Math.min(now + SESSION_TTL_MS, absoluteExpiresAt.getTime())),
      absoluteExpiresAt,
      ip,
      userAgent: req.headers['user-agent']?.slice(0, 500) ?? null,
    });
    const authUser = toAuthUser(user);
    await this.audit.record(req, 'auth.login', { type: 'user', id: user.id }, {}, { id: user.id, username: user.username });
    return { user: authUser, sessionToken, csrfToken };
  }

  /**
   * The signed-in user changes their own password: the current one is checked under the same throttle as a
   * sign-in (a stolen session must not become a free password oracle), and every other session ends.
   */
  async changePassword(req: Request, current: string, next: string): Promise<{ revokedSessions: number }> {
    const me = req.user;
    const sessionId = req.authSession?.id;
    if (!me || !sessionId) throw new ApiError(ApiErrorCode.UNAUTHENTICATED);
    const ip = req.ip ?? 'unknown';
    await this.reserveAttempt(req, me.username, ip, me.id);
    const user = await this.users.findById(me.id);
    if (!user || !(await verifyPassword(current, user.passwordHash))) {
      await this.audit.record(req, 'auth.password_change_failed', { type: 'user', id: me.id });
      throw new ApiError(ApiErrorCode.VALIDATION_FAILED, undefined, { currentPassword: ['WRONG_PASSWORD'] });
    }
    await this.releaseAttempt(me.username, ip);
    if (current === next) throw new ApiError(ApiErrorCode.VALIDATION_FAILED, undefined, { newPassword: ['SAME_AS_CURRENT'] });
    await this.users.setPasswordHash(me.id, await hashPassword(next));
    const revokedSessions = await this.sessions.revokeAllForUser(me.id, sessionId);
    await this.audit.record(req, 'auth.password_changed', { type: 'user', id: me.id }, { revokedSessions });
    return { revokedSessions };
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
