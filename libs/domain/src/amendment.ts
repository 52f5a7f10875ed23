// What amending an active plan does to its running work: the planned assignments before and after the
// amendment, compared by identity (responsibility × unit × period, the workflow id's parts).
// Pure and deterministic, so a resumed amendment computes exactly the same actions.
import { type PlannedAssignment, planAssignments } from './activation';
import { type OrganisationDirectory } from './organisation';
import { type Plan } from './plan';

/** The fields of a planned assignment that a running workflow can take over without restarting. */
export const AMENDABLE_FIELDS = ['title', 'role', 'leadUnitCode', 'periodLabel', 'deadline', 'escalation'] as const;
export type AmendableField = (typeof AMENDABLE_FIELDS)[number];

export interface AssignmentChange<T extends PlannedAssignment> {
  before: T;
  after: T;
  /** Which amendable fields differ; context fields (e.g. the plan's title) are listed under 'context'. */
  fields: Array<AmendableField | 'context'>;
}

export interface AssignmentDiff<T extends PlannedAssignment> {
  /** Planned after the amendment only: start them. */
  added: T[];
  /** Planned before only: cancel them (finished ones stay as they are). */
  removed: T[];
  /** Planned on both sides with a different content: amend them in place. */
  changed: Array<AssignmentChange<T>>;
  unchanged: number;
}

export function assignmentIdentity(a: Pick<PlannedAssignment, 'itemKey' | 'unitCode' | 'periodKey'>): string {
  return `${a.itemKey}\u0000${a.unitCode}\u0000${a.periodKey}`;
}

const IDENTITY = new Set<string>(['itemKey', 'unitCode', 'periodKey']);

/** Structural equality for the JSON-shaped values a plan holds (key order does not matter). */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/**
 * Compares two planned lists. A responsibility whose recurrence changed gets new period keys, so it shows as
 * removed + added: its periods are different work. Same identity means the same workflow id, which can never
 * be started twice, so everything else (even the kind) is amended in place.
 * Every list comes out sorted by identity, so the order never depends on the plan's internal order.
 */
export function diffPlannedAssignments<T extends PlannedAssignment>(before: readonly T[], after: readonly T[]): AssignmentDiff<T> {
  const old = new Map(before.map((a) => [assignmentIdentity(a), a]));
  const now = new Map(after.map((a) => [assignmentIdentity(a), a]));
  const byIdentity = (x: T, y: T): number => (assignmentIdentity(x) < assignmentIdentity(y) ? -1 : assignmentIdentity(x) > assignmentIdentity(y) ? 1 : 0);
  const diff: AssignmentDiff<T> = { added: [], removed: [], changed: [], unchanged: 0 };
  for (const [id, a] of now) {
    const b = old.get(id);
    if (!b) {
      diff.added.push(a);
      continue;
    }
    const fields: Array<AmendableField | 'context'> = AMENDABLE_FIELDS.filter((f) => !sameValue(b[f], a[f]));
    const context = Object.keys({ ...a, ...b }).some(
      (k) => !IDENTITY.has(k) && !(AMENDABLE_FIELDS as readonly string[]).includes(k) && !sameValue((b as Record<string, unknown>)[k], (a as Record<string, unknown>)[k]),
    );
    if (context) fields.push('context');
    if (fields.length > 0) diff.changed.push({ before: b, after: a, fields });
    else diff.unchanged++;
  }
  for (const [id, b] of old) if (!now.has(id)) diff.removed.push(b);
  diff.added.sort(byIdentity);
  diff.removed.sort(byIdentity);
  diff.changed.sort((x, y) => byIdentity(x.after, y.after));
  return diff;
}

/** A planned assignment with the plan's own number and title, which its workflow input carries too. */
export type PlanVersionAssignment = PlannedAssignment & { planNumber: string | null; planTitle: string };

/**
 * Two versions of one plan, compared as their running work: what the amendment preview counts and what the
 * amendment workflow does are this one diff. A renamed or renumbered plan changes every assignment ('context').
 */
export function diffPlanVersions(before: Plan, after: Plan, directory: OrganisationDirectory): AssignmentDiff<PlanVersionAssignment> {
  const planned = (plan: Plan): PlanVersionAssignment[] =>
    planAssignments(plan, directory).assignments.map((a) => ({ ...a, planNumber: plan.metadata.number, planTitle: plan.metadata.title }));
  return diffPlannedAssignments(planned(before), planned(after));
}
