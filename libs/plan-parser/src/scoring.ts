import { type Plan, type PlanWarning } from '../../domain/src/plan';
import { type PlanLevel, planLevel } from './header';

/**
 * Scores what the parser read from a plan's header against a hand-checked expectation (the format
 * of ../shared/fixtures/plans/real/expected.json). Shared by the real-plan spec and the import
 * bench, so both count the same thing. Comparison rules are in docs/plan-import.md ("Reading the header").
 */

export interface ExpectedPlanHeader {
  file?: string;
  issuer: string | null;
  level: PlanLevel | null;
  number: string | null;
  /** ISO yyyy-mm-dd. */
  date: string | null;
  place: string | null;
  title: string | null;
  /** Document numbers cited as basis, in order of first appearance, each once. */
  basis: string[];
  /** Labels of the top-level sections: 'I', 'A', 'Phần I', '1'. */
  visible_sections: string[];
}

export const HEADER_FIELDS = ['issuer', 'level', 'number', 'date', 'place', 'title', 'basis', 'visible_sections'] as const;
export type HeaderField = (typeof HEADER_FIELDS)[number];

export interface FieldScore {
  expected: unknown;
  actual: unknown;
  exact: boolean;
}

export interface HeaderScore {
  fields: Record<HeaderField, FieldScore>;
  exact: number;
  total: number;
}

export interface ParsedForScoring {
  plan: Plan;
  warnings: readonly PlanWarning[];
}

const spaces = (s: string): string => s.replace(/\s/gu, '');
const collapse = (s: string): string => s.replace(/\s+/gu, ' ').trim();

/**
 * The same issuing body written two ways: 'UBND xã Xuân Tín' (the model's short form) and
 * 'ỦY BAN NHÂN DÂN XÃ XUÂN TÍN' (as printed). Case, the 'Ủy'/'Uỷ' tone-mark placement and a
 * first letter the site dropped ('Y BAN NHÂN DÂN') do not make a different body.
 */
export function canonicalIssuer(text: string): string {
  return collapse(text.normalize('NFC').toLocaleLowerCase('vi'))
    .replace(/^(?:ủy|uỷ|y)\s+ban\s+nhân\s+dân(?=\s|$)/u, 'ubnd')
    .replace(/^ubnd(?=\s|$)/u, 'ubnd');
}

function actualFields(parsed: ParsedForScoring): Record<HeaderField, unknown> {
  const { plan, warnings } = parsed;
  const has = (code: PlanWarning['code']): boolean => warnings.some((w) => w.code === code);
  const basis: string[] = [];
  for (const b of plan.metadata.legalBasis) {
    if (b.documentNumber && !basis.some((n) => spaces(n) === spaces(b.documentNumber ?? ''))) basis.push(b.documentNumber);
  }
  return {
    issuer: has('MISSING_ISSUER') ? null : plan.metadata.issuer,
    level: planLevel(plan),
    number: plan.metadata.number,
    date: plan.metadata.issueDate,
    place: plan.metadata.place ?? null,
    title: has('MISSING_TITLE') ? null : plan.metadata.title,
    basis,
    // Sections nested in a part ('Phần II.I') are not top level.
    visible_sections: plan.sections.filter((s) => !s.key.includes('.')).map((s) => s.key),
  };
}

function same(field: HeaderField, expected: unknown, actual: unknown): boolean {
  if (expected === null || actual === null) return expected === actual;
  switch (field) {
    case 'issuer':
      return canonicalIssuer(String(expected)) === canonicalIssuer(String(actual));
    case 'number':
      return spaces(String(expected)) === spaces(String(actual));
    case 'title':
    case 'place':
      return collapse(String(expected)) === collapse(String(actual));
    case 'basis': {
      const e = expected as string[];
      const a = actual as string[];
      return e.length === a.length && e.every((n, i) => spaces(n) === spaces(a[i]));
    }
    case 'visible_sections':
      return JSON.stringify(expected) === JSON.stringify(actual);
    default:
      return expected === actual;
  }
}

/** Field by field: exact or not, with both values for a report. */
export function scorePlanHeader(parsed: ParsedForScoring, expected: ExpectedPlanHeader): HeaderScore {
  const actual = actualFields(parsed);
  const fields = {} as Record<HeaderField, FieldScore>;
  let exact = 0;
  for (const field of HEADER_FIELDS) {
    const ok = same(field, expected[field], actual[field]);
    fields[field] = { expected: expected[field], actual: actual[field], exact: ok };
    if (ok) exact += 1;
  }
  return { fields, exact, total: HEADER_FIELDS.length };
}
