export * from './assignment';
export * from './search-attributes';
export * from './activities';
export * from './activation';
export * from './plan-control';
export * from './amendment';
