import { randomUUID } from 'node:crypto';
import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus } from '@nestjs/common';
import { type Request, type Response } from 'express';
import { ZodError } from 'zod';
import { type Logger } from '@app/logging';
import { ApiError, ApiErrorCode, type Lang, messageFor, STATUS_OF, waitText } from './errors';

export function langOf(req: Request): Lang {
  const q = typeof req.query?.lang === 'string' ? req.query.lang : undefined;
  if (q === 'en' || q === 'vi') return q;
  return /^en\b/i.test(req.headers['accept-language'] ?? '') ? 'en' : 'vi';
}

/** One error body everywhere: { error: { code, message, fields?, errorId? } }. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<Request>();
    const res = ctx.getResponse<Response>();
    const lang = langOf(req);
    let code: ApiErrorCode;
    let message: string | undefined;
    let fields: Record<string, string[]> | undefined;

    if (exception instanceof ApiError) {
      code = exception.code;
      message = exception.localised?.[lang] ?? exception.detail;
      fields = exception.fields;
      if (exception.retryAfterMs !== undefined) {
        res.setHeader('retry-after', String(Math.max(1, Math.ceil(exception.retryAfterMs / 1000))));
        message = `${message ?? messageFor(code, lang)}. ${waitText(exception.retryAfterMs, lang)}`;
      }
    } else if (exception instanceof ZodError) {
      code = ApiErrorCode.VALIDATION_FAILED;
      fields = {};
      for (const issue of exception.issues) {
        const key = issue.path.join('.') || '(body)';
        (fields[key] ??= []).push(issue.message);
      }
    } else if (exception instanceof HttpException) {
      const status = exception.getStatus();
      code =
        status === HttpStatus.NOT_FOUND
          ? ApiErrorCode.NOT_FOUND
          : status === HttpStatus.PAYLOAD_TOO_LARGE
            ? ApiErrorCode.PAYLOAD_TOO_LARGE
            : status === HttpStatus.UNAUTHORIZED
              ? ApiErrorCode.UNAUTHENTICATED
              : status === HttpStatus.FORBIDDEN
                ? ApiErrorCode.FORBIDDEN
                : status < 500
                  ? ApiErrorCode.VALIDATION_FAILED
                  : ApiErrorCode.INTERNAL;
    } else if (isStatementTimeout(exception)) {
      code = ApiErrorCode.QUERY_TIMEOUT;
    } else if (isBodyParserError(exception)) {
      code = exception.type === 'entity.too.large' ? ApiErrorCode.PAYLOAD_TOO_LARGE : ApiErrorCode.VALIDATION_FAILED;
    } else {
      code = ApiErrorCode.INTERNAL;
    }

    const body: { code: ApiErrorCode; message: string; fields?: Record<string, string[]>; errorId?: string } = {
      code,
      message: message ?? messageFor(code, lang),
    };
    if (fields) body.fields = fields;
    if (code === ApiErrorCode.INTERNAL) {
      body.errorId = randomUUID();
      this.logger.error({ err: exception, errorId: body.errorId, reqId: req.id }, 'unhandled error');
    }
    res.status(STATUS_OF[code]).json({ error: body });
  }
}

function isBodyParserError(e: unknown): e is { type: string } {
  return typeof e === 'object' && e !== null && typeof (e as { type?: unknown }).type === 'string';
}

/** PostgreSQL cancelled the statement at statement_timeout (SQLSTATE 57014, query_canceled). */
function isStatementTimeout(e: unknown): boolean {
  if (typeof e !== 'object' || e === null) return false;
  const driver = (e as { driverError?: { code?: unknown } }).driverError;
  return (e as { code?: unknown }).code === '57014' || driver?.code === '57014';
}
