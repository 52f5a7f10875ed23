/**
 * The coordinator's structural edits of a draft's responsibilities: add, update, delete, split, merge.
 * Pure, like plan-patch: they act on the copy applyPlanChanges made, and the repository validates the whole
 * result with PlanSchema afterwards. Unit references arrive already resolved against the directory (the API
 * does that), so nothing here needs the organisation.
 *
 * Keys: an item keeps its key for life; a new item gets `<section>.<n>` with n above every number its
 * section has used, including keys the caller reserves (those of deleted items, read from the audit), so a
 * key never names two different duties in one plan's history.
 */
import {
  defaultCalendar,
  type Deadline,
  formatDateVN,
  type Plan,
  type RecurrenceKind,
  type Responsibility,
  type ResponsibilitySection,
  type SourceLocation,
  type UnitRef,
} from '@app/domain';

export type DeadlineInput = { date: string; reason?: string } | { workingDays: number; reason?: string };

/** Fields of a responsibility the coordinator sets; absent means "keep" (or the default, when adding). */
export interface ResponsibilityFields {
  text?: string;
  unitRef?: UnitRef;
  role?: 'lead' | 'coordinate';
  leadUnitRefs?: UnitRef[];
  coordinatingUnitRefs?: UnitRef[];
  /** null clears the deadline. */
  deadline?: DeadlineInput | null;
  recurrence?: RecurrenceKind[];
}

export type PlanOp =
  | { op: 'add'; value: ResponsibilityFields & { text: string; unitRef: UnitRef; sectionKey?: string } }
  | { op: 'update'; key: string; value: ResponsibilityFields }
  | { op: 'delete'; key: string }
  | { op: 'split'; key: string; parts: Array<ResponsibilityFields & { text: string }> }
  | { op: 'merge'; keys: string[]; text?: string; recurrence?: RecurrenceKind[] };

export const PLAN_OP_NAMES = ['add', 'update', 'delete', 'split', 'merge'] as const;

/** Audit action of each op: the row says what the coordinator did, not which fields moved. */
export const PLAN_OP_ACTIONS: Record<PlanOp['op'], string> = {
  add: 'add-responsibility',
  update: 'update-responsibility',
  delete: 'delete-responsibility',
  split: 'split-responsibility',
  merge: 'merge-responsibilities',
};

export type PlanOpErrorCode =
  | 'UNKNOWN_RESPONSIBILITY'
  | 'UNKNOWN_SECTION'
  | 'DUPLICATE_KEYS'
  | 'MERGE_UNITS_DIFFER'
  | 'MERGE_ROLES_DIFFER'
  | 'MERGE_RECURRENCE_DIFFERS';

export class PlanOpError extends Error {
  constructor(
    readonly code: PlanOpErrorCode,
    readonly path: string,
    message: string,
  ) {
    super(message);
    this.name = 'PlanOpError';
  }
}

/** What one op did, for the audit: the items before and after, and every key it touched. */
export interface OpOutcome {
  action: string;
  path: string;
  before: { responsibilities: Responsibility[] } | null;
  after: { keys: string[]; responsibilities: Responsibility[]; createdSections?: ResponsibilitySection[] };
}

export function isPlanOp(change: { op?: string }): change is PlanOp {
  return (PLAN_OP_NAMES as readonly string[]).includes(change.op ?? '');
}

/** Ops that create keys, so the caller knows when to read the reserved ones. */
export function createsKeys(change: { op?: string }): boolean {
  return change.op === 'add' || change.op === 'split';
}

/**
 * The next free key under a parent: one above the highest number used there (now or ever, per `taken`), so
 * deleting the last item and adding another never hands its key to a different duty.
 */
export function nextKey(parent: string, taken: Iterable<string>): string {
  const prefix = `${parent}.`;
  let max = 0;
  for (const key of taken) {
    if (!key.startsWith(prefix)) continue;
    const rest = key.slice(prefix.length);
    if (/^\d{1,9}$/.test(rest)) max = Math.max(max, Number(rest));
  }
  return `${prefix}${max + 1}`;
}

/** Same unit: same kind and code; two unresolved refs only when they name the unit with the same words. */
export function sameUnit(a: UnitRef, b: UnitRef): boolean {
  if (a.kind !== b.kind) return false;
  if (a.code !== null || b.code !== null) return a.code === b.code;
  return a.text.trim().toLowerCase() === b.text.trim().toLowerCase();
}

function unionRefs(lists: ReadonlyArray<readonly UnitRef[]>): UnitRef[] {
  const out: UnitRef[] = [];
  for (const ref of lists.flat()) if (!out.some((r) => sameUnit(r, ref))) out.push(ref);
  return out;
}

/** A coordinator's deadline in the model's shape; working days count from the signing date when there is one. */
export function toDeadline(input: DeadlineInput, plan: Plan): Deadline {
  if ('date' in input) {
    return { date: input.date, kind: 'explicit', reason: input.reason ?? `Điều phối viên đặt hạn ${formatDateVN(input.date)}` };
  }
  const n = input.workingDays;
  const signed = plan.metadata.issueDate;
  if (!signed) {
    // No signing date yet: activation resolves the offset once the coordinator sets one.
    return { date: null, kind: 'explicit', reason: input.reason ?? `Trong ${n} ngày làm việc kể từ ngày ký kế hoạch`, workingDays: n, relativeTo: 'ngày ký kế hoạch' };
  }
  const date = defaultCalendar().addWorkingDays(signed, n);
  return {
    date,
    kind: 'explicit',
    reason: input.reason ?? `Trong ${n} ngày làm việc kể từ ngày ký (${formatDateVN(signed)}): hạn ${formatDateVN(date)}`,
    workingDays: n,
    relativeTo: 'ngày ký kế hoạch',
  };
}

/** The last day a deadline allows, when it can be known now (a date, or working days from a known signing date). */
function lastDay(d: Deadline, plan: Plan): string | null {
  if (d.date) return d.date;
  if (d.workingDays !== undefined && plan.metadata.issueDate) return defaultCalendar().addWorkingDays(plan.metadata.issueDate, d.workingDays);
  return null;
}

/** The earliest of several deadlines; undated ones count only when none has a date (then the fewest working days). */
function earliest(deadlines: ReadonlyArray<Deadline | null>, plan: Plan): Deadline | null {
  const present = deadlines.filter((d): d is Deadline => d !== null);
  const dated = present.map((d) => ({ d, day: lastDay(d, plan) })).filter((x): x is { d: Deadline; day: string } => x.day !== null);
  if (dated.length > 0) return dated.reduce((a, b) => (b.day < a.day ? b : a)).d;
  if (present.length === 0) return null;
  return present.reduce((a, b) => ((b.workingDays ?? Infinity) < (a.workingDays ?? Infinity) ? b : a));
}

/** Texts joined as one duty: a part that ends without punctuation gets a semicolon. */
function joinTexts(texts: readonly string[]): string {
  return texts
    .map((t) => t.trim())
    .map((t, i) => (i < texts.length - 1 && !/[.;:!?]$/.test(t) ? `${t};` : t))
    .join(' ');
}

function applyFields(r: Responsibility, fields: ResponsibilityFields, plan: Plan): Responsibility {
  const out: Responsibility = { ...r };
  if (fields.text !== undefined) out.text = fields.text;
  if (fields.unitRef !== undefined) out.unitRef = fields.unitRef;
  if (fields.role !== undefined) out.role = fields.role;
  if (fields.leadUnitRefs !== undefined) out.leadUnitRefs = fields.leadUnitRefs;
  if (fields.coordinatingUnitRefs !== undefined) out.coordinatingUnitRefs = fields.coordinatingUnitRefs;
  if (fields.deadline !== undefined) out.deadline = fields.deadline === null ? null : toDeadline(fields.deadline, plan);
  // The parser's cue explained its own reading; a cadence the coordinator chose has none.
  if (fields.recurrence !== undefined) out.recurrence = { kinds: [...fields.recurrence] };
  return out;
}

function indexOfKey(plan: Plan, key: string): number {
  const i = plan.responsibilities.findIndex((r) => r.key === key);
  if (i < 0) throw new PlanOpError('UNKNOWN_RESPONSIBILITY', `responsibilities[${key}]`, `Không có nhiệm vụ ${key}`);
  return i;
}

/** Where a new item's section comes from in the text: the 'Tổ chức thực hiện' heading when the plan has one. */
function implementationSource(plan: Plan): { parent: string; source: SourceLocation } {
  const impl = plan.sections.find((s) => s.kind === 'implementation');
  if (impl) return { parent: impl.key, source: impl.source };
  // 'BS' (bổ sung): items the coordinator added to a plan whose text has no implementation section.
  return { parent: 'BS', source: { section: null, line: 1, endLine: 1 } };
}

function sectionFor(plan: Plan, unitRef: UnitRef, sectionKey: string | undefined, reserved: ReadonlySet<string>, created: ResponsibilitySection[]): ResponsibilitySection {
  if (sectionKey !== undefined) {
    const s = plan.responsibilitySections.find((x) => x.key === sectionKey);
    if (!s) throw new PlanOpError('UNKNOWN_SECTION', 'sectionKey', `Không có mục trách nhiệm ${sectionKey}`);
    return s;
  }
  const existing = plan.responsibilitySections.find((s) => sameUnit(s.unitRef, unitRef));
  if (existing) return existing;
  const { parent, source } = implementationSource(plan);
  const key = nextKey(parent, [...plan.responsibilitySections.map((s) => s.key), ...reserved]);
  const section: ResponsibilitySection = { key, heading: unitRef.text, unitRef, source };
  plan.responsibilitySections.push(section);
  created.push(section);
  return section;
}

function takenKeys(plan: Plan, reserved: ReadonlySet<string>): string[] {
  return [...plan.responsibilities.map((r) => r.key), ...reserved];
}

/** Applies one op to the plan in place (the caller's copy) and describes it for the audit. */
export function applyPlanOp(plan: Plan, op: PlanOp, reserved: ReadonlySet<string> = new Set()): OpOutcome {
  const action = PLAN_OP_ACTIONS[op.op];
  switch (op.op) {
    case 'add': {
      const created: ResponsibilitySection[] = [];
      const section = sectionFor(plan, op.value.unitRef, op.value.sectionKey, reserved, created);
      const base: Responsibility = {
        key: nextKey(section.key, takenKeys(plan, reserved)),
        sectionKey: section.key,
        unitRef: op.value.unitRef,
        role: 'lead',
        leadUnitRefs: [],
        coordinatingUnitRefs: [],
        text: op.value.text,
        deadline: null,
        recurrence: { kinds: ['once'] },
        // The item has no line of its own; it points at the section it was added under.
        source: section.source,
      };
      const item = applyFields(base, op.value, plan);
      // After the section's last item, so the list stays grouped by section.
      let at = -1;
      plan.responsibilities.forEach((r, i) => {
        if (r.sectionKey === section.key) at = i;
      });
      plan.responsibilities.splice(at < 0 ? plan.responsibilities.length : at + 1, 0, item);
      const after: OpOutcome['after'] = { keys: [item.key], responsibilities: [item] };
      if (created.length > 0) after.createdSections = created;
      return { action, path: `responsibilities[${item.key}]`, before: null, after };
    }
    case 'update': {
      const i = indexOfKey(plan, op.key);
      const before = plan.responsibilities[i];
      let item = applyFields(before, op.value, plan);
      const created: ResponsibilitySection[] = [];
      const section = plan.responsibilitySections.find((x) => x.key === before.sectionKey);
      // A duty given to another unit moves under that unit's heading, so the page never shows it under the old one.
      // Only from a resolved section: an unresolved heading is the coordinator's to resolve, with its duties in it.
      if (op.value.unitRef && section && section.unitRef.code !== null && !sameUnit(section.unitRef, op.value.unitRef)) {
        const target = sectionFor(plan, op.value.unitRef, undefined, reserved, created);
        item = { ...item, sectionKey: target.key };
        plan.responsibilities.splice(i, 1);
        let at = -1;
        plan.responsibilities.forEach((r, n) => {
          if (r.sectionKey === target.key) at = n;
        });
        plan.responsibilities.splice(at < 0 ? plan.responsibilities.length : at + 1, 0, item);
      } else {
        plan.responsibilities[i] = item;
      }
      const after: OpOutcome['after'] = { keys: [op.key], responsibilities: [item] };
      if (created.length > 0) after.createdSections = created;
      return { action, path: `responsibilities[${op.key}]`, before: { responsibilities: [before] }, after };
    }
    case 'delete': {
      const i = indexOfKey(plan, op.key);
      const [before] = plan.responsibilities.splice(i, 1);
      return { action, path: `responsibilities[${op.key}]`, before: { responsibilities: [before] }, after: { keys: [op.key], responsibilities: [] } };
    }
    case 'split': {
      const i = indexOfKey(plan, op.key);
      const original = plan.responsibilities[i];
      const parts: Responsibility[] = [];
      op.parts.forEach((fields, n) => {
        // The first part keeps the key (work already discussed under it stays findable); the others get new ones.
        const key = n === 0 ? original.key : nextKey(original.sectionKey, [...takenKeys(plan, reserved), ...parts.map((p) => p.key)]);
        parts.push(applyFields({ ...original, key }, fields, plan));
      });
      plan.responsibilities.splice(i, 1, ...parts);
      return {
        action,
        path: `responsibilities[${op.key}]`,
        before: { responsibilities: [original] },
        after: { keys: parts.map((p) => p.key), responsibilities: parts },
      };
    }
    case 'merge': {
      if (new Set(op.keys).size !== op.keys.length) throw new PlanOpError('DUPLICATE_KEYS', 'keys', 'Một nhiệm vụ được chọn gộp hai lần');
      const indexes = op.keys.map((k) => indexOfKey(plan, k)).sort((a, b) => a - b);
      const items = indexes.map((i) => plan.responsibilities[i]);
      const first = items[0];
      const otherUnit = items.find((r) => !sameUnit(r.unitRef, first.unitRef));
      if (otherUnit) {
        throw new PlanOpError('MERGE_UNITS_DIFFER', 'keys', `Chỉ gộp được nhiệm vụ của cùng một đơn vị: ${first.key} (${first.unitRef.text}) và ${otherUnit.key} (${otherUnit.unitRef.text})`);
      }
      const otherRole = items.find((r) => r.role !== first.role);
      if (otherRole) throw new PlanOpError('MERGE_ROLES_DIFFER', 'keys', `Chỉ gộp được nhiệm vụ cùng vai trò (chủ trì hoặc phối hợp): ${first.key} và ${otherRole.key}`);
      const kindsOf = (r: Responsibility) => [...r.recurrence.kinds].sort().join(',');
      let recurrence = first.recurrence;
      if (op.recurrence) recurrence = { kinds: [...op.recurrence] };
      else {
        const otherCadence = items.find((r) => kindsOf(r) !== kindsOf(first));
        if (otherCadence) {
          throw new PlanOpError('MERGE_RECURRENCE_DIFFERS', 'recurrence', `${first.key} và ${otherCadence.key} khác chu kỳ: chọn chu kỳ cho nhiệm vụ sau khi gộp`);
        }
      }
      const merged: Responsibility = {
        ...first,
        text: op.text ?? joinTexts(items.map((r) => r.text)),
        leadUnitRefs: unionRefs(items.map((r) => r.leadUnitRefs)),
        coordinatingUnitRefs: unionRefs(items.map((r) => r.coordinatingUnitRefs)),
        deadline: earliest(items.map((r) => r.deadline), plan),
        recurrence,
        source: {
          section: first.source.section,
          line: Math.min(...items.map((r) => r.source.line)),
          endLine: Math.max(...items.map((r) => r.source.endLine)),
        },
      };
      // Remove from the back so earlier indexes stay valid, then put the merged item where the first was.
      for (const i of indexes.slice(1).reverse()) plan.responsibilities.splice(i, 1);
      plan.responsibilities[indexes[0]] = merged;
      return {
        action,
        path: `responsibilities[${first.key}]`,
        before: { responsibilities: items },
        after: { keys: items.map((r) => r.key), responsibilities: [merged] },
      };
    }
  }
}
