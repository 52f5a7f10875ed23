export * from './context';
export { SUBJECT_PREFIX } from './copy';
export { escapeHtml } from './layout';
export * from './render';
export * from './batch';
