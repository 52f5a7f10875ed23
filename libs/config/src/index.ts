export * from './config';
export * from './config.module';
export { envSchema, type Env } from './env.schema';
export * from './mail-batching';
export * from './observability';
