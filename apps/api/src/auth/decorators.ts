import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import { type Request } from 'express';
import { ApiError, ApiErrorCode } from '../common/errors';
import { type AuthUser, type Role } from './auth.types';

export const IS_PUBLIC = 'dondoc:public';
export const ROLES = 'dondoc:roles';

/** Opens a route to callers without a session (health, sign-in). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);

/** Only these roles may call the route; the method's list replaces the controller's. */
export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator => SetMetadata(ROLES, roles);

/** The signed-in user; a route without a session never reaches the handler, so this is never undefined. */
export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthUser => {
  const user = ctx.switchToHttp().getRequest<Request>().user;
  if (!user) throw new ApiError(ApiErrorCode.UNAUTHENTICATED);
  return user;
});
