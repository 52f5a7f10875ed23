import { Body, Controller, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { type CookieOptions, type Request, type Response } from 'express';
import { z } from 'zod';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { parse } from '../common/zod';
import { AuthService } from './auth.service';
import { type AuthUser, CSRF_COOKIE, SESSION_COOKIE } from './auth.types';
import { CurrentUser, Public } from './decorators';

const loginBody = z.object({
  username: z.string().min(1).max(200),
  password: z.string().min(1).max(1000),
});

@ApiTags('auth')
@Controller('api/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Browser-session cookies: the server enforces the 8-hour sliding expiry. */
  private cookieOptions(httpOnly: boolean): CookieOptions {
    return { httpOnly, sameSite: 'lax', secure: this.config.http.publicUrl.startsWith('https:'), path: '/' };
  }

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in; sets the session cookie and returns the user and the CSRF token' })
  async login(@Req() req: Request, @Res({ passthrough: true }) res: Response, @Body() body: unknown): Promise<{ user: AuthUser; csrfToken: string }> {
    const { username, password } = parse(loginBody, body);
    const result = await this.auth.login(req, username, password);
    res.cookie(SESSION_COOKIE, result.sessionToken, this.cookieOptions(true));
    // Readable by the web UI, which echoes it in the x-csrf-token header.
    res.cookie(CSRF_COOKIE, result.csrfToken, this.cookieOptions(false));
    return { user: result.user, csrfToken: result.csrfToken };
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
