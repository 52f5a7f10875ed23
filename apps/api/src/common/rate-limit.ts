import { applyDecorators, type CanActivate, type ExecutionContext, Inject, Injectable, SetMetadata, UseGuards } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { type Request } from 'express';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { RateLimitStore } from '@app/persistence';
import { ApiErrorCode, tooManyRequests } from './errors';

/** Expensive work with its own limits per user and per client address (RATE_LIMIT_<KIND>_USER / _ADDRESS). */
export type RateLimitedWork = 'import' | 'export';

const RATE_LIMITED = 'dondoc:rate-limited';

/**
 * Counts each request in PostgreSQL (so every API replica shares the counts) per signed-in user and per
 * client address; over either limit the answer is 429 with Retry-After, before any work starts. Runs after
 * the global session guard, so the user is known.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly store: RateLimitStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const work = this.reflector.getAllAndOverride<RateLimitedWork | undefined>(RATE_LIMITED, [ctx.getHandler(), ctx.getClass()]);
    if (!work) return true;
    const req = ctx.switchToHttp().getRequest<Request>();
    const limits = this.config.rateLimits;
    const [perUser, perAddress] = work === 'import' ? [limits.importUser, limits.importAddress] : [limits.exportUser, limits.exportAddress];
    const [byUser, byAddress] = await Promise.all([
      this.store.hit(`${work}:user`, req.user?.id ?? 'anonymous', perUser.windowMs),
      this.store.hit(`${work}:address`, req.ip ?? 'unknown', perAddress.windowMs),
    ]);
    const spent = [
      { count: byUser, limit: perUser },
      { count: byAddress, limit: perAddress },
    ].filter((c) => c.count.count > c.limit.count);
    if (spent.length > 0) throw tooManyRequests(ApiErrorCode.RATE_LIMITED, Math.max(1000, ...spent.map((c) => c.count.retryAfterMs)));
    return true;
  }
}

/** Puts a route under the per-user and per-address limits of `work`. */
export const RateLimited = (work: RateLimitedWork): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(RATE_LIMITED, work), UseGuards(RateLimitGuard));
