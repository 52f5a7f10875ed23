/**
 * Every refusal raised by pure domain code carries a stable code, so edges (HTTP filter,
 * Temporal activities, the UI) can map it without parsing message text. A const object rather
 * than a TS enum so plain string literals ('INVALID_DURATION') type-check against it too.
 */
export const DomainErrorCode = {
  InvalidDate: 'INVALID_DATE',
  InvalidDuration: 'INVALID_DURATION',
  InvalidLunarDate: 'INVALID_LUNAR_DATE',
  InvalidArgument: 'INVALID_ARGUMENT',
  CalendarRequired: 'CALENDAR_REQUIRED',
  InvalidCalendarData: 'INVALID_CALENDAR_DATA',
  InvalidEscalationPolicy: 'INVALID_ESCALATION_POLICY',
  InvalidTransition: 'INVALID_TRANSITION',
  InvalidReportingRule: 'INVALID_REPORTING_RULE',
} as const;
export type DomainErrorCode = (typeof DomainErrorCode)[keyof typeof DomainErrorCode];

export class DomainError extends Error {
  override readonly name = 'DomainError';

  constructor(
    readonly code: DomainErrorCode,
    message: string,
    /** Machine-readable context (offending value, field issues); never needed to decide what happened. */
    readonly details?: Readonly<Record<string, unknown>>,
  ) {
    super(message);
  }
}

export function isDomainError(e: unknown, code?: DomainErrorCode): e is DomainError {
  return e instanceof DomainError && (code === undefined || e.code === code);
}
