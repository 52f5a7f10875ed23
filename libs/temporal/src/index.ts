export * from './temporal.module';
export * from './start-assignment';
export * from './connection-options';
