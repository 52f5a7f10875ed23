import { type DynamicModule, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { ActivationController } from './activation/activation.controller';
import { ActivationService } from './activation/activation.service';
import { AmendmentController } from './activation/amendment.controller';
import { AmendmentService } from './activation/amendment.service';
import { type AppConfig, ConfigModule } from '@app/config';
import { PersistenceModule } from '@app/persistence';
import { TemporalModule } from '@app/temporal';
import { AssignmentsController } from './assignments/assignments.controller';
import { AssignmentsService } from './assignments/assignments.service';
import { AuthModule } from './auth/auth.module';
import { HealthController } from './health/health.controller';
import { NotificationsModule } from './notifications/notifications.module';
import { OrganisationModule } from './organisation/organisation.module';
import { PlansModule } from './plans/plans.module';
import { UsersModule } from './users/users.module';
import { WebModule } from './web/web.module';
import { AttachmentsModule } from './attachments/attachments.module';
import { DashboardModule } from './dashboard/dashboard.module';
import { ExportsModule } from './exports/exports.module';
import { InboxModule } from './inbox/inbox.module';
import { ReviewModule } from './review/review.module';
import { ConnectionDrain } from './common/connection-drain';
import { IdempotencyInterceptor, IdempotencyStore } from './common/idempotency';

@Module({})
export class ApiModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ApiModule,
      imports: [ConfigModule.forRoot(config), PersistenceModule, TemporalModule, AuthModule, UsersModule, PlansModule, OrganisationModule, NotificationsModule, InboxModule, AttachmentsModule, ReviewModule, DashboardModule, ExportsModule, WebModule],
      controllers: [HealthController, AssignmentsController, ActivationController, AmendmentController],
      providers: [
        AssignmentsService,
        ActivationService,
        AmendmentService,
        ConnectionDrain,
        // Every state-changing request with a key runs once (docs/idempotency.md).
        IdempotencyStore,
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
      ],
    };
  }
}
