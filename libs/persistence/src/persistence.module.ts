import { Global, Module, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { dataSourceOptions } from './data-source-options';
import { AssignmentReadModel, TypeormAssignmentReadModel } from './repositories/assignment-read-model';
import { OrganisationRepository, TypeormOrganisationRepository } from './repositories/organisation.repository';
import { OutboxRepository, TypeormOutboxRepository } from './repositories/outbox.repository';
import { NotificationPreferencesRepository, TypeormNotificationPreferencesRepository } from './repositories/notification-preferences.repository';
import { AuditRepository, TypeormAuditRepository } from './repositories/audit.repository';
import { LoginThrottle, RateLimitStore, SessionRepository, TypeormLoginThrottle, TypeormRateLimitStore, TypeormSessionRepository } from './repositories/session.repository';
import { TypeormUserRepository, UserRepository } from './repositories/user.repository';
import { PlanRepository, TypeormPlanRepository } from './repositories/plan.repository';
import { AssignmentQueries, TypeormAssignmentQueries } from './repositories/assignment-queries';
import { DashboardQueries, TypeormDashboardQueries } from './repositories/dashboard';
import { AttachmentRepository, TypeormAttachmentRepository } from './repositories/attachment.repository';
import { IdempotentRequestStore, TypeormIdempotentRequestStore } from './repositories/idempotent-requests';

// Exported with the module that provides it (index.ts re-exports this file).
export { AttachmentRepository, type AttachmentQuotaRefusal, type NewAttachment, TypeormAttachmentRepository } from './repositories/attachment.repository';

@Global()
@Module({
  providers: [
    {
      provide: DataSource,
      inject: [APP_CONFIG],
      useFactory: async (config: AppConfig) => {
        const ds = new DataSource(dataSourceOptions(config.database.url, config.database.poolMax, config.database.statementTimeoutMs));
        return ds.initialize();
      },
    },
    { provide: AssignmentReadModel, useClass: TypeormAssignmentReadModel },
    { provide: OrganisationRepository, useClass: TypeormOrganisationRepository },
    { provide: OutboxRepository, useClass: TypeormOutboxRepository },
    { provide: NotificationPreferencesRepository, useClass: TypeormNotificationPreferencesRepository },
    { provide: UserRepository, useClass: TypeormUserRepository },
    { provide: SessionRepository, useClass: TypeormSessionRepository },
    { provide: LoginThrottle, useClass: TypeormLoginThrottle },
    { provide: RateLimitStore, useClass: TypeormRateLimitStore },
    { provide: AuditRepository, useClass: TypeormAuditRepository },
    { provide: PlanRepository, useClass: TypeormPlanRepository },
    { provide: AssignmentQueries, useClass: TypeormAssignmentQueries },
    { provide: DashboardQueries, useClass: TypeormDashboardQueries },
    { provide: AttachmentRepository, useClass: TypeormAttachmentRepository },
    { provide: IdempotentRequestStore, useClass: TypeormIdempotentRequestStore },
  ],
  exports: [DataSource, AssignmentReadModel, OrganisationRepository, OutboxRepository, NotificationPreferencesRepository, UserRepository, SessionRepository, LoginThrottle, RateLimitStore, AuditRepository, PlanRepository, AssignmentQueries, DashboardQueries, AttachmentRepository, IdempotentRequestStore],
})
export class PersistenceModule implements OnApplicationShutdown {
  constructor(private readonly ds: DataSource) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.ds.isInitialized) await this.ds.destroy();
  }
}
