// The shapes that cross a process boundary: HTTP bodies, queries, params and responses, the error envelope
// and the OpenAPI document made from them. Depends on @app/domain and zod only (docs/api-contract.md).
export * from './common';
export * from './assignments';
export * from './auth';
export * from './dashboard';
export * from './misc';
export * from './plans';
export * from './plan-edit';
export * from './operations';
export * from './openapi';
// The plan model's own types, for clients that import only the contracts (the web UI).
export type {
  AssignmentStatus,
  Timeliness,
  Deadline,
  Indicator,
  Objective,
  PlanStatus,
  PlanWarning,
  RecurrenceKind,
  ReportingRule,
  Responsibility,
  ResponsibilitySection,
  SourceLocation,
  Task,
  UnitRef,
} from '@app/domain';
export * from './refusals';
