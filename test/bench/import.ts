// `npm run bench -- import [--formats md,docx,pdf-text,pdf-scan] [--only <name>] [--verbose]`: how much of each plan the
// importer reads right, per format and per field, and how long it takes per page (OCR included). The plans are the
// repository's fixtures (test/fixtures/plans: Markdown + expected structure) rendered at run time into .docx, a text
// PDF and a scanned PDF, the shared sample plan in the same four forms (must read exactly as its .md does), and the
// real plan openings in ../shared (header fields only). Prints what it measures, low or not.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type Deadline,
  foldDiacritics,
  localDate,
  loadOrganisationDirectory,
  type OrganisationDirectory,
  type Plan,
  type PlannedAssignment,
  planAssignments,
  type PlanWarning,
  unitsOf,
} from '@app/domain';
import { importDocument, PlanParseError } from '@app/plan-parser';
import {
  FIXTURE_FORMATS,
  type FixtureFormat,
  fixturePlans,
  FixtureRenderer,
  REAL_OPENINGS_DIR,
  SAMPLE_PLAN,
} from '../support/fixture-formats';

const ROOT = join(__dirname, '..', '..');
const ORGANISATION = join(ROOT, 'deploy', 'seed', 'van-quan', 'organisation.yaml');
const GOAL = 0.95;

// ---------------------------------------------------------------------------------------------------------
// Expected structures (test/fixtures/plans/<name>.expected.json)

interface ExpectedDuty {
  /** Words the duty's text contains (its opening as written). */
  item: string;
  unit: string;
  /** The directory's code, or null when the sample directory has no such unit. */
  code: string | null;
  role: 'lead' | 'coordinate';
  /** Last allowed local day of a one-off duty (a working-day offset resolved from the signing date). */
  deadline: string | null;
  workingDays?: number;
  recurrence: string[];
  /** For recurring duties: the last allowed local day of each period. */
  periodDeadlines?: string[];
}

interface ExpectedPlan {
  file: string;
  metadata: { issuer: string; number: string | null; date: string | null; place: string | null; title: string; signer: string | null };
  sections: string[];
  responsibilities: ExpectedDuty[];
}

interface RealExpected {
  file: string;
  issuer: string | null;
  number: string | null;
  date: string | null;
  place: string | null;
  title: string | null;
  visible_sections: string[];
  [key: string]: unknown;
}

const HEADER_FIELDS = ['issuer', 'number', 'date', 'place', 'title', 'sections'] as const;
const DUTY_FIELDS = ['unit', 'role', 'deadline', 'recurrence'] as const;
const FIELDS = [...HEADER_FIELDS, 'signer', ...DUTY_FIELDS.map((f) => `resp. ${f}`), 'work started'] as const;
type Field = (typeof FIELDS)[number];

// ---------------------------------------------------------------------------------------------------------
// Header fields: the header engineer's scorer when it is there (so the spec and the bench count alike),
// otherwise the same rules written here (README of ../shared/fixtures/plans/real: numbers compared without spaces).

type HeaderField = (typeof HEADER_FIELDS)[number];
type HeaderScorer = (plan: Plan, warnings: readonly PlanWarning[], expected: RealExpected) => Record<HeaderField, { exact: boolean; actual: unknown }>;

const collapse = (s: string): string => s.replace(/\s+/gu, ' ').trim();
const noSpaces = (s: string): string => s.replace(/\s/gu, '');

function localHeaderScorer(): HeaderScorer {
  const issuerKey = (s: string): string =>
    collapse(s.normalize('NFC').toLocaleLowerCase('vi'))
      .replace(/^(?:ủy|uỷ|y)\s+ban\s+nhân\s+dân(?=\s|$)/u, 'ubnd');
  const eq = (e: string | null, a: string | null | undefined, f: (s: string) => string): boolean =>
    e === null || a === null || a === undefined ? e === (a ?? null) : f(e) === f(a);
  return (plan, warnings, expected) => {
    const missing = (code: string): boolean => warnings.some((w) => w.code === code);
    const m = plan.metadata as Plan['metadata'] & { place?: string | null };
    const issuer = missing('MISSING_ISSUER') ? null : m.issuer;
    const title = missing('MISSING_TITLE') ? null : m.title;
    const sections = plan.sections.filter((s) => !s.key.includes('.')).map((s) => s.key);
    return {
      issuer: { exact: eq(expected.issuer, issuer, issuerKey), actual: issuer },
      number: { exact: eq(expected.number, m.number, noSpaces), actual: m.number },
      date: { exact: expected.date === m.issueDate, actual: m.issueDate },
      place: { exact: eq(expected.place, m.place ?? null, collapse), actual: m.place ?? null },
      title: { exact: eq(expected.title, title, collapse), actual: title },
      sections: { exact: JSON.stringify(expected.visible_sections) === JSON.stringify(sections), actual: sections },
    };
  };
}

function headerScorer(): { score: HeaderScorer; source: string } {
  try {
    // Loaded at run time: the scorer is another engineer's module and may not exist in every checkout.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require('../../libs/plan-parser/src/scoring') as {
      scorePlanHeader?: (parsed: { plan: Plan; warnings: readonly PlanWarning[] }, expected: unknown) => { fields: Record<string, { exact: boolean; actual: unknown }> };
    };
    const scorePlanHeader = mod.scorePlanHeader;
    if (typeof scorePlanHeader !== 'function') throw new Error('no scorePlanHeader');
    return {
      source: 'scorePlanHeader (libs/plan-parser/src/scoring.ts)',
      score: (plan, warnings, expected) => {
        const f = scorePlanHeader({ plan, warnings }, { level: null, basis: [], ...expected }).fields;
        return { issuer: f.issuer, number: f.number, date: f.date, place: f.place, title: f.title, sections: f.visible_sections };
      },
    };
  } catch {
    return { source: 'the bench’s own comparison (scorePlanHeader not available)', score: localHeaderScorer() };
  }
}

// ---------------------------------------------------------------------------------------------------------
// Duties: what the parser produced, one row per (duty × named unit), matched to the expected rows.

interface ParsedDuty {
  itemKey: string;
  text: string;
  unitText: string;
  code: string | null;
  role: 'lead' | 'coordinate';
  deadline: Deadline | null;
  recurrence: string[];
}

function parsedDuties(plan: Plan): ParsedDuty[] {
  const out: ParsedDuty[] = [];
  for (const r of plan.responsibilities) {
    const base = { itemKey: r.key, text: r.text, deadline: r.deadline, recurrence: [...r.recurrence.kinds].sort() };
    out.push({ ...base, unitText: r.unitRef.text, code: r.unitRef.code, role: r.role });
    // Units named as partners in a lead duty owe work too (issue 12: they must see it in their inbox).
    for (const c of r.coordinatingUnitRefs ?? []) out.push({ ...base, unitText: c.text, code: c.code, role: 'coordinate' });
  }
  for (const rule of plan.reportingRules) {
    for (const ref of rule.reporterRefs) {
      out.push({ itemKey: rule.key, text: rule.text, unitText: ref.text, code: ref.code, role: 'lead', deadline: rule.deadline, recurrence: [rule.period] });
    }
  }
  return out;
}

const norm = (s: string): string =>
  collapse(
    foldDiacritics(s.normalize('NFC'))
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, ' '),
  );

function unitTextMatches(actual: string, expected: string): boolean {
  const a = norm(actual);
  const e = norm(expected);
  return a !== '' && (a === e || a.includes(e) || e.includes(a));
}

function unitExact(d: ParsedDuty, e: ExpectedDuty): boolean {
  // A known unit is judged by its code; an unknown one must be named and left unresolved, not pinned on a look-alike.
  return e.code ? d.code === e.code : d.code === null && unitTextMatches(d.unitText, e.unit);
}

interface DutyScore {
  fields: Record<(typeof DUTY_FIELDS)[number], boolean>;
  /** null when the unit is not in the directory (activation cannot start it; it must be a problem instead). */
  started: boolean | null;
  /** The local deadlines activation gives that unit for the duty (one per period), for the report. */
  startedDates: string[];
  matched: ParsedDuty | null;
}

function activationDates(assignments: readonly PlannedAssignment[], itemKey: string, unitCode: string, role: string): string[] {
  return assignments
    .filter((a) => a.itemKey === itemKey && a.unitCode === unitCode && a.role === role)
    .map((a) => (a.deadline ? localDate(new Date(a.deadline)) : 'none'))
    .sort();
}

function scoreDuties(
  plan: Plan,
  expected: readonly ExpectedDuty[],
  directory: OrganisationDirectory,
): { scores: DutyScore[]; extra: ParsedDuty[] } {
  const duties = parsedDuties(plan);
  const used = new Set<number>();
  let assignments: PlannedAssignment[] = [];
  try {
    assignments = planAssignments(plan, directory).assignments;
  } catch {
    // An activation that throws starts nothing: every 'work started' check below fails, honestly.
  }
  const scores = expected.map((e): DutyScore => {
    let best = -1;
    let bestScore = -1;
    duties.forEach((d, i) => {
      if (used.has(i) || !norm(d.text).includes(norm(e.item))) return;
      const s = (unitExact(d, e) ? 8 : unitTextMatches(d.unitText, e.unit) ? 4 : 0) + (d.role === e.role ? 2 : 0) + (d.recurrence.join() === [...e.recurrence].sort().join() ? 1 : 0);
      if (s > bestScore) [best, bestScore] = [i, s];
    });
    if (best < 0) return { fields: { unit: false, role: false, deadline: false, recurrence: false }, started: e.code ? false : null, startedDates: [], matched: null };
    used.add(best);
    const d = duties[best];
    const member = e.code ? (unitsOf({ kind: directory.group(e.code) ? 'group' : 'unit', code: e.code, text: e.unit }, directory)[0] ?? null) : null;
    const started = member ? activationDates(assignments, d.itemKey, member, e.role) : [];
    let deadline: boolean;
    if (e.periodDeadlines) {
      deadline = member ? JSON.stringify(started) === JSON.stringify([...e.periodDeadlines].sort()) : e.periodDeadlines.length === 1 && d.deadline?.date === e.periodDeadlines[0];
    } else {
      deadline = (e.deadline !== null && d.deadline?.date === e.deadline) || (e.workingDays !== undefined && d.deadline?.workingDays === e.workingDays);
    }
    const wanted = e.periodDeadlines ? [...e.periodDeadlines].sort() : [e.deadline ?? 'none'];
    return {
      fields: { unit: unitExact(d, e), role: d.role === e.role, deadline, recurrence: d.recurrence.join() === [...e.recurrence].sort().join() },
      started: member ? unitExact(d, e) && JSON.stringify(started) === JSON.stringify(wanted) : e.code ? false : null,
      startedDates: started,
      matched: d,
    };
  });
  return { scores, extra: duties.filter((_, i) => !used.has(i)) };
}

// ---------------------------------------------------------------------------------------------------------
// Tallies

class Tally {
  private readonly cells = new Map<string, { exact: number; total: number }>();

  add(format: string, field: string, exact: boolean): void {
    const key = `${format}\u0000${field}`;
    const cell = this.cells.get(key) ?? { exact: 0, total: 0 };
    cell.total += 1;
    if (exact) cell.exact += 1;
    this.cells.set(key, cell);
  }

  get(format: string, field: string): { exact: number; total: number } | undefined {
    return this.cells.get(`${format}\u0000${field}`);
  }
}

function pct(cell: { exact: number; total: number } | undefined): string {
  if (!cell || cell.total === 0) return '—';
  const share = cell.exact / cell.total;
  return `${(share * 100).toFixed(0).padStart(3)}% ${share >= GOAL ? '✓' : '✗'} (${cell.exact}/${cell.total})`;
}

/** The seed compared across formats: everything but source lines (which differ by format), whitespace collapsed. */
function seedProjection(plan: Plan, directory: OrganisationDirectory): unknown {
  const strip = (value: unknown): unknown => {
    if (typeof value === 'string') return collapse(value);
    if (Array.isArray(value)) return value.map(strip);
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).filter(([k]) => k !== 'source').map(([k, v]) => [k, strip(v)]));
    }
    return value;
  };
  return strip({ plan, assignments: planAssignments(plan, directory).assignments });
}

function firstDifference(a: unknown, b: unknown, path = ''): string | null {
  if (JSON.stringify(a) === JSON.stringify(b)) return null;
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) {
      const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}/${k}`);
      if (d) return d;
    }
  }
  const show = (v: unknown): string => (JSON.stringify(v) ?? 'undefined').slice(0, 80);
  return `${path || '/'}: ${show(a)} ≠ ${show(b)}`;
}

function errorText(err: unknown): string {
  if (err instanceof PlanParseError) return `${err.code}: ${err.message}`;
  return err instanceof Error ? err.message : String(err);
}

// ---------------------------------------------------------------------------------------------------------

export async function benchImport(args: string[]): Promise<void> {
  const option = (name: string): string | undefined => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const formats = (option('--formats')?.split(',') ?? [...FIXTURE_FORMATS]) as FixtureFormat[];
  for (const f of formats) if (!FIXTURE_FORMATS.includes(f)) throw new Error(`unknown format ${f}; use ${FIXTURE_FORMATS.join(',')}`);
  const only = option('--only');
  const verbose = args.includes('--verbose');

  const directory = loadOrganisationDirectory(readFileSync(ORGANISATION, 'utf8'));
  const scorer = headerScorer();
  const tally = new Tally();
  const timing = new Map<string, { seconds: number; pages: number }>();
  const misses: string[] = [];
  const renderer = new FixtureRenderer();

  const timed = async (format: string, fileName: string, bytes: Buffer) => {
    const started = process.hrtime.bigint();
    const result = await importDocument(bytes, fileName, directory);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const t = timing.get(format) ?? { seconds: 0, pages: 0 };
    timing.set(format, { seconds: t.seconds + seconds, pages: t.pages + result.extracted.pages });
    return result;
  };

  try {
    // 1. The repository's own fixtures, every format.
    const plans = fixturePlans().filter((p) => !only || p.name.includes(only));
    for (const fixture of plans) {
      const expected = JSON.parse(readFileSync(fixture.expectedPath, 'utf8')) as ExpectedPlan;
      for (const format of formats) {
        const label = `${fixture.name} [${format}]`;
        const rendered = await renderer.render(fixture.markdownPath, format);
        process.stderr.write(`· ${label}\n`);
        let result;
        try {
          result = await timed(format, rendered.fileName, rendered.bytes);
        } catch (err) {
          misses.push(`${label}: refused — ${errorText(err)}`);
          for (const field of FIELDS) {
            const n = field.startsWith('resp.') ? expected.responsibilities.length : field === 'work started' ? expected.responsibilities.filter((r) => r.code).length : 1;
            for (let i = 0; i < n; i += 1) tally.add(format, field, false);
          }
          continue;
        }
        const { plan, warnings } = result;
        const m = expected.metadata;
        const header = scorer.score(plan, warnings, { file: expected.file, ...m, visible_sections: expected.sections });
        for (const field of HEADER_FIELDS) {
          tally.add(format, field, header[field].exact);
          if (!header[field].exact) misses.push(`${label}: ${field} ${JSON.stringify(header[field].actual)}`);
        }
        const signerOk = (plan.metadata.signer?.name ?? null) === m.signer;
        tally.add(format, 'signer', signerOk);
        if (!signerOk) misses.push(`${label}: signer ${JSON.stringify(plan.metadata.signer?.name ?? null)} ≠ ${JSON.stringify(m.signer)}`);
        const { scores, extra } = scoreDuties(plan, expected.responsibilities, directory);
        scores.forEach((s, i) => {
          const e = expected.responsibilities[i];
          for (const f of DUTY_FIELDS) tally.add(format, `resp. ${f}`, s.fields[f]);
          if (s.started !== null) tally.add(format, 'work started', s.started);
          const wrong = DUTY_FIELDS.filter((f) => !s.fields[f]);
          if (wrong.length > 0) {
            const got = s.matched
              ? ` (read: ${s.matched.itemKey} ${s.matched.unitText} [${s.matched.code ?? '—'}] ${s.matched.role} ${s.matched.deadline?.date ?? (s.matched.deadline?.workingDays ? `${s.matched.deadline.workingDays} ngày làm việc` : '—')} ${s.matched.recurrence.join('+')})`
              : ' (not found)';
            misses.push(`${label}: “${e.item}” / ${e.unit}: ${wrong.join(', ')}${got}`);
          } else if (s.started === false) {
            const wanted = e.periodDeadlines ?? [e.deadline ?? 'none'];
            misses.push(`${label}: “${e.item}” / ${e.unit} (${s.matched?.itemKey}): read right, but activation starts ${JSON.stringify(s.startedDates)} for ${e.role}, expected ${JSON.stringify(wanted)}`);
          }
        });
        if (extra.length > 0) misses.push(`${label}: ${extra.length} parsed duties not in the expected list (${extra.slice(0, 4).map((d) => `${d.itemKey} ${d.unitText}`).join('; ')}${extra.length > 4 ? '; …' : ''})`);
      }
    }

    // 2. The seed: every format must read exactly as its Markdown does (the specs guard the Markdown itself).
    const seedResults: string[] = [];
    if (!only || 'van-quan-2024-cong-tac-tre-em'.includes(only)) {
      let reference: unknown = null;
      for (const format of ['md', ...formats.filter((f) => f !== 'md')] as FixtureFormat[]) {
        const rendered = await renderer.render(SAMPLE_PLAN, format);
        process.stderr.write(`· seed [${format}]\n`);
        try {
          const { plan } = await timed(format, rendered.fileName, rendered.bytes);
          const projection = seedProjection(plan, directory);
          if (format === 'md') {
            reference = projection;
            seedResults.push('md: reference');
          } else {
            const diff = firstDifference(reference, projection);
            seedResults.push(`${format}: ${diff ? `no — first difference ${diff}` : 'yes'}`);
          }
        } catch (err) {
          seedResults.push(`${format}: no — ${errorText(err)}`);
        }
      }
    }

    // 3. The real openings (.txt as published): header fields only.
    let realCount = 0;
    if (!only) {
      const real = JSON.parse(readFileSync(join(REAL_OPENINGS_DIR, 'expected.json'), 'utf8')) as RealExpected[];
      for (const expected of real) {
        const bytes = readFileSync(join(REAL_OPENINGS_DIR, expected.file));
        realCount += 1;
        try {
          const { plan, warnings } = await timed('txt', expected.file, bytes);
          const header = scorer.score(plan, warnings, expected);
          for (const field of HEADER_FIELDS) {
            tally.add('txt', field, header[field].exact);
            if (!header[field].exact) misses.push(`real ${expected.file}: ${field} ${JSON.stringify(header[field].actual)}`);
          }
        } catch (err) {
          misses.push(`real ${expected.file}: refused — ${errorText(err)}`);
          for (const field of HEADER_FIELDS) tally.add('txt', field, false);
        }
      }
    }

    // Report
    const columns = [...formats, ...(realCount > 0 ? ['txt'] : [])];
    const heads = columns.map((c) => (c === 'txt' ? `real openings (${realCount} .txt)` : c));
    const width = 22;
    const out: string[] = [
      '',
      `Import accuracy: share of fields read exactly (goal ≥ ${GOAL * 100}% per field and format; ✓ met, ✗ not)`,
      `fixtures: ${plans.map((p) => p.name).join(', ')}; header scored by ${scorer.source}`,
      '',
      `${'field'.padEnd(16)}${heads.map((h) => h.padEnd(width)).join('')}`,
      ...FIELDS.map((field: Field) => `${field.padEnd(16)}${columns.map((c) => pct(tally.get(c, field)).padEnd(width)).join('')}`),
      '',
      `${'s / page'.padEnd(16)}${columns.map((c) => {
        const t = timing.get(c);
        return (t && t.pages > 0 ? `${(t.seconds / t.pages).toFixed(2)} s (${t.pages} p.)` : '—').padEnd(width);
      }).join('')}`,
      '',
      'resp. = one row per (duty × unit named in it), lead and coordinating units alike; "work started" = for units in the',
      'sample directory, activation (planAssignments) starts that unit’s work with the expected deadline(s).',
      'Pages are counted from the extraction (1 for .md/.docx/.txt); times include OCR and parsing in the worker thread.',
      '',
      `Seed (sample plan) reads exactly as its .md: ${seedResults.length ? '' : 'not run'}`,
      ...seedResults.map((s) => `  ${s}`),
      '',
      `Misses (${misses.length})${verbose || misses.length <= 60 ? '' : ', first 60 (--verbose for all)'}:`,
      ...(verbose ? misses : misses.slice(0, 60)).map((s) => `  ${s}`),
    ];
    process.stdout.write(`${out.join('\n')}\n`);
  } finally {
    await renderer.close();
  }
}
