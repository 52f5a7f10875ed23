export * from './temporal.module';
export * from './start-assignment';
