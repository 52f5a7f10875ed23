import { Body, Controller, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { type CookieOptions, type Request, type Response } from 'express';
import { changePasswordBody, loginBody } from '@app/contracts';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { ApiError, ApiErrorCode } from '../common/errors';
import { parse } from '../common/zod';
import { AuthService } from './auth.service';
import { type AuthUser, CSRF_COOKIE, SESSION_COOKIE } from './auth.types';
import { CurrentUser, Public } from './decorators';

/**
 * Login CSRF: a form or script on another site must not sign the victim in under the attacker's account.
 * Only JSON is accepted (a cross-site form cannot send it without a CORS preflight, which this API never
 * answers), and a browser's Origin (or Sec-Fetch-Site) must name this site. Clients that send neither
 * (curl, scripts) are not browsers and carry no ambient cookies to abuse.
 */
export function assertSameSiteJson(req: Request, publicUrl: string): void {
  if (!req.is('application/json')) throw new ApiError(ApiErrorCode.UNSUPPORTED_MEDIA_TYPE);
  if (req.headers['sec-fetch-site'] === 'cross-site') throw new ApiError(ApiErrorCode.FORBIDDEN);
  const origin = req.headers.origin;
  if (origin === undefined) return;
  const allowed = new Set([new URL(publicUrl).origin, `${req.protocol}://${req.get('host') ?? ''}`]);
  if (!allowed.has(origin)) throw new ApiError(ApiErrorCode.FORBIDDEN);
}

@ApiTags('auth')
@Controller('api/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Browser-session cookies: the server enforces the idle and the absolute expiry. */
  private cookieOptions(httpOnly: boolean): CookieOptions {
    return { httpOnly, sameSite: 'lax', secure: this.config.http.publicUrl.startsWith('https:'), path: '/' };
  }

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in (JSON only, same-site Origin); sets the session cookie and returns the user and the CSRF token' })
  async login(@Req() req: Request, @Res({ passthrough: true }) res: Response, @Body() body: unknown): Promise<{ user: AuthUser; csrfToken: string }> {
    assertSameSiteJson(req, this.config.http.publicUrl);
    const { username, password } = parse(loginBody, body);
    const result = await this.auth.login(req, username, password);
    res.cookie(SESSION_COOKIE, result.sessionToken, this.cookieOptions(true));
    // Readable by the web UI, which echoes it in the x-csrf-token header.
    res.cookie(CSRF_COOKIE, result.csrfToken, this.cookieOptions(false));
    return { user: result.user, csrfToken: result.csrfToken };
  }

  @Post('password')
  @HttpCode(204)
  @ApiOperation({ summary: 'Change your own password {currentPassword, newPassword}; ends your other sessions' })
  async changePassword(@Req() req: Request, @Body() body: unknown): Promise<void> {
    const { currentPassword, newPassword } = parse(changePasswordBody, body);
    await this.auth.changePassword(req, currentPassword, newPassword);
  }

  @Post('logout')
  @HttpCode(204)
  @ApiOperation({ summary: 'Sign out: revokes this session' })
  async logout(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    await this.auth.logout(req);
    res.clearCookie(SESSION_COOKIE, this.cookieOptions(true));
    res.clearCookie(CSRF_COOKIE, this.cookieOptions(false));
  }

  @Get('me')
  @ApiOperation({ summary: 'The signed-in user and the CSRF token of this session' })
  me(@CurrentUser() user: AuthUser, @Req() req: Request): { user: AuthUser; csrfToken: string } {
    return { user, csrfToken: req.authSession?.csrfToken ?? '' };
  }
}
