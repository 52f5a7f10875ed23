export * from './metrics';
export * from './metrics-server';
export * from './serve';
export * from './temporal-tracing';
export * from './tracing';
export * from './workflow-interceptor-modules';
