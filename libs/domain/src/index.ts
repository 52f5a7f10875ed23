export * from './errors';
export * from './time';
export * from './lunar';
export * from './duration';
export * from './calendar';
export * from './timeliness';
export * from './escalation';
export * from './periods';
