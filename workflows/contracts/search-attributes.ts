// Moved to libs/contracts/src/workflow/search-attributes.ts; kept for deploy/local/stack.ts until it imports that.
export * from '../../libs/contracts/src/workflow/search-attributes';
