// The workflow contracts (inputs, Updates, queries, activities, search attributes): what the worker, the API and the
// workflows share. Bundled into workflow code by Temporal's webpack, which does not read tsconfig paths: imports
// here stay relative (or packages) and pure, like the workflow code itself.
export * from './assignment';
export * from './search-attributes';
export * from './activities';
export * from './activation';
export * from './plan-control';
export * from './amendment';
