import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { type Request, type Response } from 'express';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { verifySignedLink } from '@app/notifications';
import { Public } from '../auth/decorators';

/**
 * The link in every email (`/a/<assignment>?exp=&sig=`): a valid, unexpired one opens the assignment page, which
 * sends a visitor without a session to the login page and back. The link grants nothing by itself: the page
 * still needs a session of a user allowed to see that assignment.
 */
@ApiExcludeController()
@Controller('a')
export class SignedLinkController {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Public()
  @Get(':assignmentId')
  open(@Req() req: Request, @Res() res: Response): void {
    const result = verifySignedLink(req.originalUrl, { secret: this.config.secretKey });
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Referrer-Policy', 'no-referrer');
    if (result.ok) res.redirect(302, `/assignments/${encodeURIComponent(result.assignmentId)}`);
    else res.redirect(302, `/login?link=${result.reason === 'expired' ? 'expired' : 'invalid'}`);
  }
}
