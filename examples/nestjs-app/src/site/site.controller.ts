import { Body, ConflictException, Controller, Get, HttpCode, Inject, Post, Req, UnauthorizedException } from '@nestjs/common';
import type { Request } from 'express';
import { LoginDeniedError, type SingleSession } from 'adminjs-single-session';
import { SINGLE_SESSION } from '../single-session/single-session.module.js';
import { UsersService } from '../users/users.service.js';

export const SITE_MESSAGES = {
  replaced: 'You were signed out because your account signed in on another device.',
  revoked: 'You were signed out by an administrator.',
  idle: 'You were signed out because you were inactive for too long. Please sign in again.',
  lifetime: 'You were signed out because your sign-in reached its maximum duration. Please sign in again.',
  logout: 'You were signed out because you signed out on another device, or ended your other sessions there.',
  credentials: 'You were signed out because your password was changed. Please sign in with the new password.',
  account: 'You were signed out because your account was disabled or deleted.',
  notLoggedIn: 'Not logged in.',
  badCredentials: 'Wrong email or password.',
  limitReached: 'This account is already signed in on the maximum number of devices. Sign out on one of them first.',
} as const;

/** The site's own login: a hand-written route calling the engine's hooks. Shares session and cookie with AdminJS. */
@Controller()
export class SiteController {
  constructor(
    @Inject(SINGLE_SESSION) private readonly singleSession: SingleSession,
    @Inject(UsersService) private readonly users: UsersService,
  ) {}

  @Post('login')
  @HttpCode(200)
  async login(@Req() req: Request, @Body() body: { email?: unknown; password?: unknown } = {}) {
    const user = await this.users.checkPassword(body?.email, body?.password);
    if (!user) throw new UnauthorizedException({ error: SITE_MESSAGES.badCredentials });
    try {
      await this.singleSession.userLoggedIn(req, user); // new session id, link, policy: one transaction per user
    } catch (err) {
      if (err instanceof LoginDeniedError) throw new ConflictException({ error: SITE_MESSAGES.limitReached, reason: 'limit' });
      throw err;
    }
    return { id: user.id, email: user.email };
  }

  @Get('me')
  async me(@Req() req: Request) {
    const userId = this.singleSession.getUserId(req);
    const user = userId === null ? null : await this.users.findById(userId);
    if (!user) {
      const reason = this.singleSession.getEndReason(req); // an EndReason, or null
      throw new UnauthorizedException(reason ? { error: SITE_MESSAGES[reason], reason } : { error: SITE_MESSAGES.notLoggedIn });
    }
    return { id: user.id, email: user.email };
  }

  @Post('logout')
  @HttpCode(200)
  async logout(@Req() req: Request) {
    // With logoutAllSessions (the default) every other session of the user ends too.
    const ended = this.singleSession.getUserId(req) === null ? { sessions: 0 } : await this.singleSession.userLoggedOut(req);
    return { ok: true, sessionsEnded: ended.sessions };
  }
}
