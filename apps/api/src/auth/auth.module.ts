import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuditService } from './audit.service';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { SessionGuard } from './session.guard';

/** Sessions, sign-in and the global guard; every route of the API is behind it unless @Public(). */
@Module({
  controllers: [AuthController],
  providers: [AuthService, AuditService, { provide: APP_GUARD, useClass: SessionGuard }],
  exports: [AuthService, AuditService],
})
export class AuthModule {}
