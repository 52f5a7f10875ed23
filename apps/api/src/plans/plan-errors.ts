import { type ArgumentsHost, Catch, type ExceptionFilter, Inject, PayloadTooLargeException } from '@nestjs/common';
import { type Request, type Response } from 'express';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { OrganisationFileError } from '@app/domain';
import { PlanParseError, type PlanParseErrorCode } from '@app/plan-parser';
import { PlanRepositoryError } from '@app/persistence';
import { ApiError, ApiErrorCode } from '../common/errors';
import { langOf } from '../common/http-exception.filter';

/**
 * A request that is well-formed but whose content we cannot take (a document that is not a plan,
 * an edit that breaks the plan, a directory that does not validate): 422 with a specific code.
 */
export class UnprocessableError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly fields?: Record<string, string[]>,
  ) {
    super(message);
    this.name = 'UnprocessableError';
  }
}

/** Maps the repository's refusals to the API's codes; 422s stay specific. */
export function fromRepositoryError(err: unknown): unknown {
  if (!(err instanceof PlanRepositoryError)) return err;
  switch (err.code) {
    case 'NOT_FOUND':
      return new ApiError(ApiErrorCode.NOT_FOUND, err.message);
    case 'STALE_REVISION':
    case 'SLUG_TAKEN':
      return new ApiError(ApiErrorCode.CONFLICT, err.message);
    case 'NOT_DRAFT':
    case 'NOT_ACTIVE':
      return new ApiError(ApiErrorCode.INVALID_TRANSITION, err.message);
    case 'AMENDMENT_RUNNING':
      return new ApiError(ApiErrorCode.CONFLICT, err.message);
    case 'BAD_WARNING_INDEX':
      return new ApiError(ApiErrorCode.NOT_FOUND, err.message);
    case 'INVALID_PLAN':
      // An op's refusal keeps its own code (MERGE_UNITS_DIFFER …) so a client can tell the cases apart.
      return new UnprocessableError(err.reason ?? 'INVALID_PLAN', err.message, err.issues);
  }
}

/**
 * English for the 422 codes of plan edits, for clients that ask for it (Accept-Language: en or ?lang=en); the
 * Vietnamese message, which names the items, stays the default. Fields keep their Vietnamese detail.
 */
const ENGLISH: Record<string, string> = {
  INVALID_PLAN: 'The plan would not be valid after this edit',
  UNKNOWN_UNIT: 'A unit code is not in the organisation directory',
  UNKNOWN_RESPONSIBILITY: 'There is no duty with that key in this plan',
  UNKNOWN_SECTION: 'There is no responsibility section with that key',
  DUPLICATE_KEYS: 'The same duty was chosen twice for merging',
  MERGE_UNITS_DIFFER: 'Only duties of the same unit can be merged',
  MERGE_ROLES_DIFFER: 'Only duties with the same role (lead or coordinating) can be merged',
  MERGE_RECURRENCE_DIFFERS: 'The duties recur differently: choose the recurrence of the merged duty',
};

/**
 * The codes the shared error enum does not have (parser codes, 422s) are written here, in the
 * same body shape as the global filter: { error: { code, message, fields? } }.
 */
@Catch(UnprocessableError, PlanParseError, OrganisationFileError, PayloadTooLargeException)
export class PlanErrorFilter implements ExceptionFilter {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  catch(exception: UnprocessableError | PlanParseError | OrganisationFileError | PayloadTooLargeException, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const req = host.switchToHttp().getRequest<Request>();
    if (exception instanceof PayloadTooLargeException || (exception instanceof PlanParseError && exception.code === 'TOO_LARGE')) {
      // One rule for clients: anything over the size limit is 413, whether multer or the parser saw it.
      const max = exception instanceof PayloadTooLargeException ? this.config.limits.planFileBytes : this.config.limits.planBytes;
      res.status(413).json({ error: { code: ApiErrorCode.PAYLOAD_TOO_LARGE, message: tooLargeMessage(max) } });
      return;
    }
    if (exception instanceof PlanParseError) {
      res.status(parseErrorStatus(exception.code)).json({ error: { code: exception.code, message: exception.message } });
      return;
    }
    if (exception instanceof OrganisationFileError) {
      const fields: Record<string, string[]> = {};
      for (const issue of exception.issues) {
        const at = issue.indexOf(': ');
        const key = at > 0 ? issue.slice(0, at) : '(file)';
        (fields[key || '(file)'] ??= []).push(at > 0 ? issue.slice(at + 2) : issue);
      }
      res.status(422).json({ error: { code: 'INVALID_ORGANISATION', message: exception.message, fields } });
      return;
    }
    const english = langOf(req) === 'en' ? ENGLISH[exception.code] : undefined;
    const body: { code: string; message: string; fields?: Record<string, string[]> } = { code: exception.code, message: english ?? exception.message };
    if (exception.fields) body.fields = exception.fields;
    res.status(422).json({ error: body });
  }
}

/** The document's fault is 422; a server without OCR or PDF tools is 503 (retry once they are installed). */
export function parseErrorStatus(code: PlanParseErrorCode): number {
  switch (code) {
    case 'OCR_UNAVAILABLE':
    case 'PDF_TOOLS_UNAVAILABLE':
      return 503;
    case 'TOO_LARGE':
      return 413;
    case 'EMPTY_DOCUMENT':
    case 'BINARY_CONTENT':
    case 'NOT_A_PLAN':
    case 'UNSUPPORTED_FORMAT':
    case 'INVALID_STRUCTURE':
    case 'ARCHIVE_TOO_LARGE':
    case 'UNREADABLE_DOCUMENT':
    case 'EXTRACTION_TIMEOUT':
    case 'PARSE_TIMEOUT':
    case 'PARSE_MEMORY_LIMIT':
      return 422;
  }
}

export function tooLargeMessage(maxBytes: number): string {
  const mb = maxBytes >= 1024 * 1024 ? `${(maxBytes / 1024 / 1024).toFixed(1)} MB` : `${Math.round(maxBytes / 1024)} KB`;
  return `Văn bản vượt quá dung lượng cho phép (tối đa ${mb}).`;
}
