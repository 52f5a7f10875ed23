export * from './mailer';
export * from './recipients';
export * from './signed-link';
export * from './smtp-sink';
export * from './templates';
export { calendarDaysBetween, formatDateTimeVN, formatDateVN, formatDeadlineVN } from './time';
