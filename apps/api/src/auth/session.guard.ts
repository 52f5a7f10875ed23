import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { type Request } from 'express';
import { ApiError, ApiErrorCode } from '../common/errors';
import { AuthService, tokensEqual } from './auth.service';
import { CSRF_HEADER, type Role, SESSION_COOKIE } from './auth.types';
import { IS_PUBLIC, ROLES } from './decorators';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The one global guard: a session on every route not marked @Public(), the CSRF header on every
 * state-changing request, then @Roles(). One guard, so the order of these checks is fixed.
 */
@Injectable()
export class SessionGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (ctx.getType() !== 'http') return true;
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, targets)) return true;

    const req = ctx.switchToHttp().getRequest<Request>();
    const cookies = req.cookies as Record<string, unknown> | undefined;
    const token = cookies?.[SESSION_COOKIE];
    if (typeof token !== 'string' || token === '') throw new ApiError(ApiErrorCode.UNAUTHENTICATED);
    const session = await this.auth.resolve(token);
    if (!session) throw new ApiError(ApiErrorCode.UNAUTHENTICATED);

    if (!SAFE_METHODS.has(req.method)) {
      const given = req.headers[CSRF_HEADER];
      if (typeof given !== 'string' || !tokensEqual(given, session.csrfToken)) throw new ApiError(ApiErrorCode.CSRF_FAILED);
    }
    req.user = session.user;
    req.authSession = { id: session.sessionId, csrfToken: session.csrfToken };

    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES, targets);
    if (roles && !roles.includes(session.user.role)) throw new ApiError(ApiErrorCode.FORBIDDEN);
    return true;
  }
}
