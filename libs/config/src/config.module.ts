import { type DynamicModule, Global, Module } from '@nestjs/common';
import { type AppConfig } from './config';

/** Abstract class as DI token: inject `AppConfigToken` and read the typed tree. */
export abstract class AppConfigToken {}
export const APP_CONFIG = AppConfigToken;

@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return { module: ConfigModule, providers: [{ provide: APP_CONFIG, useValue: config }], exports: [APP_CONFIG] };
  }
}
