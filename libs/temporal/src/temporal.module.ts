import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { temporalClientInterceptors } from '@app/observability';
import { temporalConnectionOptions } from './connection-options';

/** The Temporal client the API and the CLI use; the connection is lazy so a down server shows in /health. */
@Injectable()
export class TemporalClientProvider implements OnApplicationShutdown {
  readonly connection: Connection;
  readonly client: Client;

  constructor(@Inject(APP_CONFIG) readonly config: AppConfig) {
    this.connection = Connection.lazy({ ...temporalConnectionOptions(config), connectTimeout: '5s' });
    // With tracing on, starts, signals and Updates carry the caller's trace to the workflow (docs/observability.md).
    this.client = new Client({ connection: this.connection, namespace: config.temporal.namespace, interceptors: temporalClientInterceptors() });
  }

  get taskQueue(): string {
    return this.config.temporal.taskQueue;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.connection.close();
  }
}

@Global()
@Module({ providers: [TemporalClientProvider], exports: [TemporalClientProvider] })
export class TemporalModule {}
