import pino, { type DestinationStream, type Logger } from 'pino';
import { type LoggerService } from '@nestjs/common';

/**
 * What never reaches a log: session cookies, CSRF tokens and credentials in request headers, the cookies
 * a response sets. Anyone who reads the logs could otherwise sign in as the people in them.
 */
export const REDACTED_PATHS = [
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'req.headers.authorization',
  'req.headers["proxy-authorization"]',
  'res.headers["set-cookie"]',
  'headers.cookie',
  'headers["x-csrf-token"]',
  'headers.authorization',
];

/**
 * A URL fit for a log line: the signed links of e-mails (`/a/<id>?exp&sub&sig`) lose their query string,
 * which carries the recipient's address and a signature that opens the assignment.
 */
export function redactUrl(url: string | undefined): string | undefined {
  if (url === undefined) return url;
  const q = url.indexOf('?');
  if (q < 0) return url;
  return /^\/a(\/|$)/.test(url) ? `${url.slice(0, q)}?[Redacted]` : url;
}

/** Structured JSON logs on stdout (or `destination`, as the log tests capture it); one logger tree per process. */
// The level comes from the validated configuration (LOG_LEVEL via libs/config), never from the environment directly.
export function createLogger(name: string, level: string, destination?: DestinationStream): Logger {
  const options = {
    name,
    level,
    base: { service: name },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACTED_PATHS, censor: '[Redacted]' },
  };
  return destination ? pino(options, destination) : pino(options);
}

/** Routes Nest's own messages through pino so every line is JSON. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}
  log(message: unknown, context?: string): void {
    this.logger.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string): void {
    this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string): void {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string): void {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string): void {
    this.logger.trace({ context }, String(message));
  }
}

export type { DestinationStream, Logger };
