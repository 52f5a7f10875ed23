import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { AuditController, UsersController } from './users.controller';
import { UsersService } from './users.service';

/** Account administration and the audit trail (admin only). */
@Module({
  imports: [AuthModule],
  controllers: [UsersController, AuditController],
  providers: [UsersService],
})
export class UsersModule {}
