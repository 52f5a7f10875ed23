import { Global, Module, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { dataSourceOptions } from './data-source-options';
import { AssignmentReadModel, TypeormAssignmentReadModel } from './repositories/assignment-read-model';
import { OrganisationRepository, TypeormOrganisationRepository } from './repositories/organisation.repository';

@Global()
@Module({
  providers: [
    {
      provide: DataSource,
      inject: [APP_CONFIG],
      useFactory: async (config: AppConfig) => {
        const ds = new DataSource(dataSourceOptions(config.database.url, config.database.poolMax));
        return ds.initialize();
      },
    },
    { provide: AssignmentReadModel, useClass: TypeormAssignmentReadModel },
    { provide: OrganisationRepository, useClass: TypeormOrganisationRepository },
  ],
  exports: [DataSource, AssignmentReadModel, OrganisationRepository],
})
export class PersistenceModule implements OnApplicationShutdown {
  constructor(private readonly ds: DataSource) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.ds.isInitialized) await this.ds.destroy();
  }
}
