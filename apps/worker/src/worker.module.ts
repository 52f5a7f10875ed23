import { type DynamicModule, Module, type OnApplicationShutdown } from '@nestjs/common';
import { type AppConfig, ConfigModule } from '@app/config';
import { Mailer } from '@app/notifications';
import { PersistenceModule } from '@app/persistence';
import { TemporalModule } from '@app/temporal';
import { notificationProviders } from './notifications/notification.providers';
import { TemporalWorkerService } from './temporal-worker.service';

@Module({})
export class WorkerModule implements OnApplicationShutdown {
  constructor(private readonly mailer: Mailer) {}

  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [ConfigModule.forRoot(config), PersistenceModule, TemporalModule],
      providers: [...notificationProviders, TemporalWorkerService],
    };
  }

  /**
   * Closes the SMTP transport at shutdown rather than at module destroy: Nest runs onModuleDestroy before
   * beforeApplicationShutdown, where TemporalWorkerService drains, and activities still running then send mail.
   */
  onApplicationShutdown(): void {
    this.mailer.close();
  }
}
