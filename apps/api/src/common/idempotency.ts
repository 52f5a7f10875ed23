import { createHash, createHmac, randomUUID } from 'node:crypto';
import {
  type CallHandler,
  createParamDecorator,
  type ExecutionContext,
  Inject,
  Injectable,
  type NestInterceptor,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import { type Request, type Response } from 'express';
import { from, lastValueFrom, type Observable } from 'rxjs';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { IdempotentRequestStore } from '@app/persistence';
import { ApiError, ApiErrorCode } from './errors';

// Exactly-once state-changing requests: docs/idempotency.md explains the design and lists every route.

/** The header a client may send; it takes precedence over the proxy's request id. */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
/** What a client's key may look like: short, printable, no spaces (it is hashed, never stored as given). */
export const CLIENT_KEY_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;
/**
 * nginx's `$request_id` (16 random bytes in hex), the same on every upstream attempt of one client request. Only
 * that shape is taken as a key: a caller that reuses its own correlation id across requests (any other shape)
 * must not have its second request answered with the first one's result.
 */
const PROXY_REQUEST_ID = /^[0-9a-f]{32}$/;

/** How long a replica's claim on a key lasts without renewal; a replay waits at most this long for a dead replica. */
export const LEASE_MS = 5_000;
const RENEW_MS = 1_500;
/** How long a replay waits for the first request still being handled before answering 409 with Retry-After. */
export const REPLAY_WAIT_MS = 25_000;
const POLL_MS = 100;
/** How long a first answer is kept for replays. */
export const KEEP_HOURS = 24;
const PURGE_EVERY_MS = 10 * 60_000;

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/**
 * Left alone: signing in has no user to scope a key to (a replay only opens a second session), and signing out
 * removes the very session a replay would be checked against (a replayed sign-out is refused as signed out,
 * which is what the caller wanted).
 */
const EXEMPT_PATHS = new Set(['/api/auth/login', '/api/auth/logout']);

declare module 'express-serve-static-core' {
  interface Request {
    /** The scoped idempotency key of this request (hex), when it has one: see IdempotencyInterceptor. */
    idempotencyKey?: string;
  }
}

/**
 * The key a request is deduplicated under, or undefined when it has none. A malformed Idempotency-Key is refused
 * (400) rather than ignored: the caller asked for exactly-once and must not silently get at-least-once.
 */
export function clientKeyOf(req: Pick<Request, 'headers'>): string | undefined {
  const given = req.headers[IDEMPOTENCY_KEY_HEADER];
  if (given !== undefined) {
    const key = Array.isArray(given) ? undefined : given;
    if (key === undefined || !CLIENT_KEY_PATTERN.test(key)) {
      const localised = {
        vi: 'Idempotency-Key không hợp lệ: cần 1–128 ký tự gồm chữ cái không dấu, chữ số và . _ : -',
        en: 'Invalid Idempotency-Key: use 1–128 characters among letters A–Z, digits and . _ : -',
      };
      throw new ApiError(ApiErrorCode.VALIDATION_FAILED, undefined, { 'Idempotency-Key': [localised.vi] }, undefined, localised);
    }
    return `client:${key}`;
  }
  const proxied = req.headers['x-request-id'];
  return typeof proxied === 'string' && PROXY_REQUEST_ID.test(proxied) ? `proxy:${proxied}` : undefined;
}

/**
 * The stored key: the same client key from another user, on another route or with another method is another
 * key, so nobody can read or block someone else's answer by guessing their key.
 */
export function scopedKey(userId: string, method: string, path: string, clientKey: string): string {
  return createHash('sha256').update([userId, method.toUpperCase(), path, clientKey].join('\0')).digest('hex');
}

/**
 * What the request carried, so a key reused for a different request is refused instead of answered wrongly. Keyed
 * with the installation's secret: a body can hold a password (reset, own password change), and a plain hash of it
 * in the table could be tried against a dictionary.
 */
export function requestFingerprint(secret: string, body: string): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

function requestBodyText(req: Request): string {
  // A multipart body is not parsed yet when interceptors run (the upload's own interceptor streams it later), and
  // its boundary differs on every resend: an upload is matched by its key and route alone.
  return req.is('multipart/*') ? 'multipart' : JSON.stringify(req.body ?? null);
}

type Claim = { kind: 'owner'; owner: string; tookOver: boolean } | { kind: 'replay'; status: number; body: unknown };

/**
 * The claim-or-wait protocol over `IdempotentRequestStore` (libs/persistence), and the background purge of
 * expired answers.
 */
@Injectable()
export class IdempotencyStore implements OnModuleInit, OnModuleDestroy {
  private purgeTimer: NodeJS.Timeout | undefined;

  constructor(private readonly table: IdempotentRequestStore) {}

  onModuleInit(): void {
    this.purgeTimer = setInterval(() => void this.table.purgeExpired().catch(() => undefined), PURGE_EVERY_MS);
    this.purgeTimer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.purgeTimer);
  }

  /**
   * Becomes the key's owner (a new key, an expired one, or a running one whose owner stopped renewing), or waits
   * for the owner's answer. A replay that arrives while the first request is being handled polls until that one
   * is answered (or its owner's lease lapses: it then takes over); after REPLAY_WAIT_MS it is refused with 409.
   */
  async claim(key: string, req: { userId: string; method: string; path: string; hash: string }): Promise<Claim> {
    const owner = randomUUID();
    const waitUntil = Date.now() + REPLAY_WAIT_MS;
    for (;;) {
      const won = await this.table.tryClaim({ key, userId: req.userId, method: req.method, path: req.path, requestHash: req.hash, owner, leaseMs: LEASE_MS, keepHours: KEEP_HOURS });
      if (won) return { kind: 'owner', owner, tookOver: won.tookOver };
      const row = await this.table.find(key);
      // Released by a first attempt that failed (or just expired and purged): claim it again.
      if (!row) continue;
      if (row.requestHash !== req.hash) {
        const localised = {
          vi: 'Idempotency-Key này đã được dùng cho một yêu cầu khác; hãy dùng khóa mới cho mỗi thao tác',
          en: 'This Idempotency-Key was already used for a different request; use a new key for each action',
        };
        throw new ApiError(ApiErrorCode.CONFLICT, undefined, { 'Idempotency-Key': [localised.vi] }, undefined, localised);
      }
      if (row.state === 'done') return { kind: 'replay', status: row.responseStatus ?? 200, body: row.responseBody };
      if (Date.now() >= waitUntil) {
        throw new ApiError(ApiErrorCode.CONFLICT, undefined, undefined, 1_000, {
          vi: 'Yêu cầu giống hệt đang được xử lý',
          en: 'The same request is still being handled',
        });
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }

  renew(key: string, owner: string): Promise<void> {
    return this.table.renew(key, owner, LEASE_MS);
  }

  complete(key: string, owner: string, status: number, body: unknown): Promise<void> {
    return this.table.complete(key, owner, status, body);
  }

  release(key: string, owner: string): Promise<void> {
    return this.table.release(key, owner);
  }
}

/**
 * Every POST/PUT/PATCH/DELETE by a signed-in user with a key (Idempotency-Key, or nginx's X-Request-Id) runs once:
 * its first answer is stored and a replay of the same request gets it back (header `Idempotent-Replayed: true`)
 * without running the handler again. Registered globally, after the session guard (so the user is known).
 * Failures are not stored: the claim is released and a retry runs the request again.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly store: IdempotencyStore,
    private readonly reflector: Reflector,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (ctx.getType() !== 'http') return next.handle();
    const req = ctx.switchToHttp().getRequest<Request>();
    const res = ctx.switchToHttp().getResponse<Response>();
    if (!STATE_CHANGING.has(req.method) || EXEMPT_PATHS.has(req.path)) return next.handle();
    const clientKey = clientKeyOf(req);
    if (!clientKey || !req.user) return next.handle();
    const key = scopedKey(req.user.id, req.method, req.originalUrl, clientKey);
    req.idempotencyKey = key;
    const meta = { userId: req.user.id, method: req.method, path: req.originalUrl, hash: requestFingerprint(this.config.secretKey, requestBodyText(req)) };
    // Nest sets the route's status after the handler; it is fixed per route (@HttpCode, else 201 for POST).
    const status = this.reflector.get<number | undefined>(HTTP_CODE_METADATA, ctx.getHandler()) ?? (req.method === 'POST' ? 201 : 200);
    return from(this.run(key, meta, status, req, res, next));
  }

  private async run(key: string, meta: Parameters<IdempotencyStore['claim']>[1], status: number, req: Request, res: Response, next: CallHandler): Promise<unknown> {
    const claim = await this.store.claim(key, meta);
    if (claim.kind === 'replay') {
      res.setHeader('idempotent-replayed', 'true');
      // Nest then sets the route's fixed status code, which is the one stored (claim.status).
      return claim.body === null ? undefined : claim.body;
    }
    if (claim.tookOver) req.log?.warn({ idempotencyKey: key }, 'idempotent request taken over from a replica whose claim lapsed');
    const renewal = setInterval(() => void this.store.renew(key, claim.owner).catch(() => undefined), RENEW_MS);
    renewal.unref();
    let value: unknown;
    try {
      // The lease stops being renewed as soon as the handler settles, before the claim is released or completed.
      value = await lastValueFrom(next.handle(), { defaultValue: undefined }).finally(() => clearInterval(renewal));
    } catch (err) {
      await this.store.release(key, claim.owner).catch(() => undefined);
      throw err;
    }
    try {
      await this.store.complete(key, claim.owner, status, value);
    } catch (err) {
      // The work is done: answer it. Without a stored answer a replay runs it again once the lease lapses, which
      // the assignment actions absorb (their Temporal update id is this key) and the docs name for the others.
      req.log?.error({ err, idempotencyKey: key }, 'could not store the answer of an idempotent request');
    }
    return value;
  }
}

/** The request's scoped idempotency key (undefined without one), e.g. to derive a Temporal update id from it. */
export const IdempotencyKey = createParamDecorator((_: unknown, ctx: ExecutionContext): string | undefined => ctx.switchToHttp().getRequest<Request>().idempotencyKey);
