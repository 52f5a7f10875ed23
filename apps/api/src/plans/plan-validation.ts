import { type OrganisationDirectory, PlanSchema, type UnitRef } from '@app/domain';
import { type StoredPlan } from '@app/persistence';

export type PlanProblemKind = 'schema' | 'unresolved_unit' | 'unknown_unit' | 'missing_deadline' | 'unresolved_warning';

export interface PlanProblem {
  kind: PlanProblemKind;
  path: string;
  message: string;
}

function isUnitRef(value: unknown): value is UnitRef {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  return (v.kind === 'unit' || v.kind === 'group') && typeof v.text === 'string' && 'code' in v;
}

/** Every unit reference in a document, with its path; refs sit at many depths, so walk them all. */
export function unitRefsOf(doc: unknown, path: Array<string | number> = []): Array<{ path: string; ref: UnitRef }> {
  if (isUnitRef(doc)) return [{ path: path.join('.'), ref: doc }];
  if (Array.isArray(doc)) return doc.flatMap((item, i) => unitRefsOf(item, [...path, i]));
  if (typeof doc === 'object' && doc !== null) {
    return Object.entries(doc).flatMap(([k, v]) => unitRefsOf(v, [...path, k]));
  }
  return [];
}

/** Why a ref's code cannot stand, or null when it can. */
export function unitRefProblem(ref: UnitRef, directory: OrganisationDirectory): string | null {
  if (ref.code === null) return null;
  if (ref.kind === 'unit') {
    if (directory.unit(ref.code)) return null;
    return directory.group(ref.code) ? `${ref.code} là nhóm đơn vị: đặt kind = 'group'` : `không có đơn vị ${ref.code}`;
  }
  if (directory.group(ref.code)) return null;
  return directory.unit(ref.code) ? `${ref.code} là đơn vị: đặt kind = 'unit'` : `không có nhóm ${ref.code}`;
}

/**
 * Problems of the unit references an edit touched (the ref itself, or something inside or around it), by
 * `<path>.code`; refs the edit left alone are not judged, as they may still wait for review.
 */
export function touchedUnitRefProblems(plan: unknown, applied: ReadonlyArray<{ path: string }>, directory: OrganisationDirectory): Record<string, string[]> {
  const fields: Record<string, string[]> = {};
  for (const { path, ref } of unitRefsOf(plan)) {
    if (!applied.some((c) => path.startsWith(c.path) || c.path.startsWith(path))) continue;
    const problem = unitRefProblem(ref, directory);
    if (problem) (fields[`${path}.code`] ??= []).push(problem);
  }
  return fields;
}

/** What stands between a draft and activation; an empty list means it can be activated. */
export function validateStoredPlan(stored: StoredPlan, directory: OrganisationDirectory): PlanProblem[] {
  const problems: PlanProblem[] = [];
  const parsed = PlanSchema.safeParse(stored.document);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push({ kind: 'schema', path: issue.path.join('.'), message: issue.message });
    return problems;
  }
  const plan = parsed.data;
  for (const { path, ref } of unitRefsOf(plan)) {
    // The distribution list and the issuer are informational; only refs that receive or route work must resolve.
    if (path.startsWith('metadata.')) continue;
    if (ref.code === null) {
      problems.push({ kind: 'unresolved_unit', path: `${path}.code`, message: `Chưa xác định đơn vị cho "${ref.text}"` });
      continue;
    }
    const problem = unitRefProblem(ref, directory);
    if (problem) problems.push({ kind: 'unknown_unit', path: `${path}.code`, message: problem });
  }
  plan.responsibilities.forEach((r, i) => {
    if (r.deadline === null && r.recurrence.kinds.length === 1 && r.recurrence.kinds[0] === 'once') {
      problems.push({ kind: 'missing_deadline', path: `responsibilities.${i}.deadline`, message: `Nhiệm vụ ${r.key} làm một lần nhưng chưa có thời hạn` });
    }
  });
  stored.warnings.forEach((w, i) => {
    if (!w.resolution) problems.push({ kind: 'unresolved_warning', path: `warnings.${i}`, message: `${w.code}: ${w.message}` });
  });
  return problems;
}
