/**
 * The rules of editing a plan, pure and over the plan model only: the repository loads and locks the stored
 * row, calls `editPlan`, and saves what it returns. Nothing here touches storage.
 *
 * Two kinds of change:
 * - `set`/`remove` at a path. Path syntax: dot-separated property names; array elements by index
 *   (`responsibilities.3`) or by key in brackets (`responsibilities[V.3.4].deadline`), because item keys
 *   themselves contain dots.
 * - the coordinator's structural ops on responsibilities: add, update, delete, split, merge. Unit references
 *   arrive already resolved against the directory (the API does that), so nothing here needs the organisation.
 *
 * Keys: an item keeps its key for life; a new item gets `<section>.<n>` with n above every number its
 * section has used, including keys the caller reserves (those of deleted items, read from the audit), so a
 * key never names two different duties in one plan's history.
 */
import { defaultCalendar } from './calendar';
import {
  type Deadline,
  type Plan,
  PlanSchema,
  type PlanStatus,
  type RecurrenceKind,
  type Responsibility,
  type ResponsibilitySection,
  type SourceLocation,
  type UnitRef,
} from './plan';
import { formatDateVN } from './time';

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

// ---- Changes at paths ----

/**
 * `set`/`remove` act at a path; the ops (add, update, delete, split, merge) act on responsibilities
 * by key and are recorded as one audit row each.
 */
export type PlanChange = { op?: 'set'; path: string; value: unknown } | { op: 'remove'; path: string } | PlanOp;

/**
 * One change as recorded in the audit: the path normalised to indexes, with the values around it. An op's
 * row names the op (`action`) and its path names the item by key instead.
 */
export interface AppliedChange {
  path: string;
  before: unknown;
  after: unknown;
  action?: string;
}

export class PlanPatchError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
    this.name = 'PlanPatchError';
  }
}

type Segment = string | number;
type Container = Record<string, unknown> | unknown[];

/** 'status' changes only through activation and closing, never as an edit. */
const FORBIDDEN_ROOTS = new Set(['status']);
const FORBIDDEN_NAMES = new Set(['__proto__', 'prototype', 'constructor']);

function isContainer(value: unknown): value is Container {
  return typeof value === 'object' && value !== null;
}

/** Parses a path into raw tokens; bracketed tokens are element keys. */
function tokens(path: string): Array<{ name: string; byKey: boolean }> {
  const out: Array<{ name: string; byKey: boolean }> = [];
  const re = /\[([^\]]+)\]|([^.[\]]+)|(\.)/gy;
  let m: RegExpExecArray | null;
  let last = 0;
  while ((m = re.exec(path)) !== null) {
    last = re.lastIndex;
    if (m[3]) continue;
    out.push(m[1] !== undefined ? { name: m[1], byKey: true } : { name: m[2], byKey: false });
  }
  if (last !== path.length || out.length === 0) throw new PlanPatchError(path, `đường dẫn không hợp lệ: ${path}`);
  return out;
}

/** Resolves a path against a document to concrete segments (keys become indexes). */
export function resolvePath(doc: unknown, path: string): Segment[] {
  const raw = tokens(path);
  if (FORBIDDEN_ROOTS.has(raw[0].name)) throw new PlanPatchError(path, `không được sửa trực tiếp: ${raw[0].name}`);
  const out: Segment[] = [];
  let node: unknown = doc;
  for (const token of raw) {
    if (FORBIDDEN_NAMES.has(token.name)) throw new PlanPatchError(path, `đường dẫn không hợp lệ: ${path}`);
    let segment: Segment;
    if (Array.isArray(node)) {
      if (token.byKey) {
        const index = node.findIndex((item) => isContainer(item) && !Array.isArray(item) && item.key === token.name);
        if (index < 0) throw new PlanPatchError(path, `không có mục ${token.name}`);
        segment = index;
      } else if (/^\d+$/.test(token.name)) {
        segment = Number(token.name);
      } else {
        throw new PlanPatchError(path, `cần số thứ tự phần tử tại '${token.name}'`);
      }
    } else {
      if (token.byKey) throw new PlanPatchError(path, `'[${token.name}]' chỉ dùng cho danh sách`);
      segment = token.name;
    }
    out.push(segment);
    node = isContainer(node) ? (node as Record<string | number, unknown>)[segment] : undefined;
  }
  return out;
}

export function formatPath(segments: readonly Segment[]): string {
  return segments.join('.');
}

export function valueAt(doc: unknown, segments: readonly Segment[]): unknown {
  let node: unknown = doc;
  for (const s of segments) {
    if (!isContainer(node)) return undefined;
    node = (node as Record<string | number, unknown>)[s];
  }
  return node;
}

/**
 * Applies the changes in order to a deep copy. Only existing containers are walked: a change may
 * set a field or an element but never invents the structure around it, so typos fail loudly.
 */
export function applyPlanChanges<T>(
  doc: T,
  changes: readonly PlanChange[],
  /** Keys an op must not hand out again (items deleted earlier in the plan's history). */
  reservedKeys: ReadonlySet<string> = new Set(),
): { doc: T; applied: AppliedChange[] } {
  const copy = structuredClone(doc);
  const applied: AppliedChange[] = [];
  for (const change of changes) {
    if (isPlanOp(change)) {
      applied.push(applyPlanOp(copy as unknown as Plan, change, reservedKeys));
      continue;
    }
    const segments = resolvePath(copy, change.path);
    const parent = valueAt(copy, segments.slice(0, -1));
    const last = segments[segments.length - 1];
    if (!isContainer(parent)) throw new PlanPatchError(change.path, `không có phần tử chứa ${change.path}`);
    const before = (parent as Record<string | number, unknown>)[last];
    if (change.op === 'remove') {
      if (before === undefined) throw new PlanPatchError(change.path, `không có ${change.path}`);
      if (Array.isArray(parent)) parent.splice(Number(last), 1);
      else delete parent[String(last)];
      applied.push({ path: formatPath(segments), before, after: null });
      continue;
    }
    if (Array.isArray(parent)) {
      // Index == length appends: the only way to add an element.
      if (typeof last !== 'number' || last > parent.length) throw new PlanPatchError(change.path, `chỉ số vượt quá danh sách: ${change.path}`);
    }
    const value = structuredClone(change.value);
    (parent as Record<string | number, unknown>)[last] = value;
    applied.push({ path: formatPath(segments), before: before ?? null, after: value ?? null });
  }
  return { doc: copy, applied };
}

/** Why an edit of the whole plan was refused: problems by path, and for an op its own refusal code. */
export class PlanEditError extends Error {
  constructor(
    message: string,
    readonly issues: Record<string, string[]>,
    /** For a refused op: the op's code (e.g. MERGE_UNITS_DIFFER). */
    readonly reason?: string,
  ) {
    super(message);
    this.name = 'PlanEditError';
  }
}

/** One row of a plan's audit trail as an edit produces it. */
export interface PlanEditRecord {
  action: string;
  path: string | null;
  before: unknown;
  after: unknown;
}

export interface PlanEditInput {
  changes: readonly PlanChange[];
  /** Recorded in the audit; 'edit' unless the caller names the intent. */
  action?: string;
  /** Extra business rules the caller checks on the result (e.g. unit codes exist); throw to refuse. */
  verify?: (plan: Plan, applied: readonly AppliedChange[]) => void;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Paths present in the edited document but gone after parsing (fields the schema does not know). Compared on
 * the whole result, so it holds for any sequence of changes, including removals that shift later indexes.
 */
function strippedPaths(raw: unknown, parsed: unknown, path: readonly string[] = []): string[] {
  if (Array.isArray(raw) && Array.isArray(parsed))
    return raw.flatMap((v, i) => strippedPaths(v, parsed[i], [...path, String(i)]));
  if (!isRecord(raw) || !isRecord(parsed)) return [];
  return Object.keys(raw).flatMap((k) => {
    if (raw[k] === undefined) return [];
    return k in parsed ? strippedPaths(raw[k], parsed[k], [...path, k]) : [[...path, k].join('.')];
  });
}

/**
 * Applies the changes to a copy of the plan, validates the whole result with PlanSchema and returns it with
 * the audit records. Refusals are PlanEditError (or whatever `verify` throws); the input is never modified.
 */
export function editPlan(
  doc: Plan,
  edit: PlanEditInput,
  /** Keys an op must not hand out again (items deleted earlier in the plan's history). */
  reservedKeys?: ReadonlySet<string>,
): { plan: Plan; records: PlanEditRecord[] } {
  let result: { doc: Plan; applied: AppliedChange[] };
  try {
    result = applyPlanChanges(doc, edit.changes, reservedKeys);
  } catch (err) {
    if (err instanceof PlanPatchError) throw new PlanEditError(err.message, { [err.path]: [err.message] });
    if (err instanceof PlanOpError) throw new PlanEditError(err.message, { [err.path]: [err.message] }, err.code);
    throw err;
  }
  const parsed = PlanSchema.safeParse(result.doc);
  if (!parsed.success) {
    const issues: Record<string, string[]> = {};
    for (const issue of parsed.error.issues) (issues[issue.path.join('.') || '(plan)'] ??= []).push(issue.message);
    throw new PlanEditError('Kế hoạch sau khi sửa không hợp lệ', issues);
  }
  // The schema strips fields it does not know: a field that vanished was a typo, not an edit.
  const stripped = strippedPaths(result.doc, parsed.data);
  if (stripped.length > 0) {
    throw new PlanEditError(
      `không có trường ${stripped.join(', ')}`,
      Object.fromEntries(stripped.map((p) => [p, ['trường không tồn tại']])),
    );
  }
  edit.verify?.(parsed.data, result.applied);
  return {
    plan: parsed.data,
    records: result.applied.map((c) => ({ action: c.action ?? edit.action ?? 'edit', path: c.path, before: c.before, after: c.after })),
  };
}

/**
 * Whether a stored plan may be changed now: its status must be one the change allows (null: any) and the
 * revision the client edited, when given, must be the stored one (anything else means someone saved in
 * between). Null when allowed; otherwise the refusal, for the repository to raise before it changes anything.
 */
export function planEditRefusal(
  stored: { status: PlanStatus; revision: number },
  requestedRevision: number | undefined,
  statuses: readonly PlanStatus[] | null,
): { code: 'NOT_DRAFT' | 'NOT_ACTIVE' | 'STALE_REVISION'; message: string } | null {
  if (statuses && !statuses.includes(stored.status)) {
    if (statuses.includes('draft')) {
      return { code: 'NOT_DRAFT', message: `Kế hoạch đang ở trạng thái ${stored.status}, chỉ sửa được bản nháp` };
    }
    return {
      code: 'NOT_ACTIVE',
      message: `Kế hoạch đang ở trạng thái ${stored.status}, chỉ điều chỉnh được kế hoạch đang thực hiện`,
    };
  }
  if (requestedRevision !== undefined && requestedRevision !== stored.revision) {
    return {
      code: 'STALE_REVISION',
      message: `Kế hoạch đã được sửa (phiên bản ${stored.revision}, bạn sửa phiên bản ${requestedRevision}); tải lại rồi sửa tiếp`,
    };
  }
  return null;
}
