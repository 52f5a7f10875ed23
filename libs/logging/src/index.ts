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

/**
 * At most this much log text waits in memory for stdout. Lines beyond it are dropped (and counted) rather than
 * letting a stalled reader of stdout (a full pipe, a frozen disk) grow the process without bound.
 */
export const STDOUT_BUFFER_MAX_BYTES = 16 * 1024 * 1024;

let stdoutDestination: ReturnType<typeof pino.destination> | undefined;
let droppedLines = 0;

/**
 * The process's one stdout destination, shared by every logger: asynchronous (a line is copied into a buffer and
 * written by the next free write, so requests never wait on the disk or the pipe, and lines written while a
 * write is in flight go out together), bounded by STDOUT_BUFFER_MAX_BYTES, and flushed synchronously when the
 * process exits (pino registers the exit hook for destinations it builds). One destination, so lines of
 * different loggers never interleave inside a write.
 */
function sharedStdout(): DestinationStream {
  if (!stdoutDestination) {
    const dest = pino.destination({ dest: 1, sync: false, maxLength: STDOUT_BUFFER_MAX_BYTES });
    dest.on('drop', () => {
      droppedLines++;
    });
    stdoutDestination = dest;
  }
  return stdoutDestination;
}

/** Log lines dropped because stdout did not keep up (see STDOUT_BUFFER_MAX_BYTES); 0 in a healthy process. */
export function droppedLogLines(): number {
  return droppedLines;
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
  return pino(options, destination ?? sharedStdout());
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
