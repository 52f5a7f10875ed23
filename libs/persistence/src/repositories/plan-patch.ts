/**
 * Edits to a plan document as a list of changes at paths, applied to a copy. Pure: the repository
 * applies them inside its transaction and validates the whole result with PlanSchema afterwards.
 *
 * Path syntax: dot-separated property names; array elements by index (`responsibilities.3`) or by
 * key in brackets (`responsibilities[V.3.4].deadline`), because item keys themselves contain dots.
 */

import { type Plan } from '@app/domain';
import { applyPlanOp, isPlanOp, type PlanOp } from './plan-ops';

/**
 * `set`/`remove` act at a path; the ops of plan-ops (add, update, delete, split, merge) act on responsibilities
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
