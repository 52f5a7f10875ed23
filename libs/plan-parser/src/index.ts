export { PlanParseError, PLAN_PARSE_ERROR_CODES, type PlanParseErrorCode } from './errors';
export {
  parsePlan,
  DEFAULT_MAX_BYTES,
  type ParsePlanInput,
  type ParsePlanOptions,
  type ParsePlanResult,
  type PlanFormat,
} from './parse-plan';
export { lunarToSolar, type CalendarDate } from './lunar';
export { parseDocx, docxToMarkdown, htmlToMarkdown } from './docx';
export { formatPlanReport } from './format';
export {
  extractDocument,
  importDocument,
  parseInWorker,
  guardZip,
  ocrAvailable,
  DEFAULT_LOW_CONFIDENCE,
  DEFAULT_WORKER_LIMITS,
  type DocumentKind,
  type ExtractedDocument,
  type IntakeOptions,
  type WorkerLimits,
} from './intake';
