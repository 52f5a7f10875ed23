import fc from 'fast-check';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PlanSchema } from '../../domain/src/plan';
import { PlanParseError } from './errors';
import { parsePlan } from './parse-plan';
import { type ExpectedPlanHeader, HEADER_FIELDS, type HeaderField, scorePlanHeader } from './scoring';
import { vanQuanDirectory } from './test-support';

/**
 * The openings of 20 real plans (../shared/fixtures/plans/real, read where they are, never copied):
 * every one must become a draft, and the header fields must come out right.
 */
const REAL = join(__dirname, '..', '..', '..', '..', 'shared', 'fixtures', 'plans', 'real');
const directory = vanQuanDirectory();

interface Expected extends ExpectedPlanHeader {
  file: string;
}

/** Line 1 is the fixture's '# source: <url>' note, not the document: blanked so line numbers stay. */
function documentText(file: string): string {
  const text = readFileSync(join(REAL, file), 'utf8');
  return text.replace(/^# source:[^\n]*/u, '');
}

describe('real plan openings (../shared/fixtures/plans/real)', () => {
  it('are present', () => {
    expect(existsSync(join(REAL, 'expected.json'))).toBe(true);
  });

  const expected = JSON.parse(readFileSync(join(REAL, 'expected.json'), 'utf8')) as Expected[];
  const results = expected.map((e) => {
    try {
      const parsed = parsePlan({ text: documentText(e.file), format: 'text' }, directory);
      return { e, parsed, error: null as string | null, score: scorePlanHeader(parsed, e) };
    } catch (error) {
      return { e, parsed: null, error: String(error), score: null };
    }
  });

  const perField = new Map<HeaderField, number>(HEADER_FIELDS.map((f) => [f, 0]));
  for (const r of results) for (const f of HEADER_FIELDS) if (r.score?.fields[f].exact) perField.set(f, (perField.get(f) ?? 0) + 1);
  const total = [...perField.values()].reduce((a, b) => a + b, 0);

  afterAll(() => {
    const n = results.length;
    const rows = HEADER_FIELDS.map((f) => `  ${f.padEnd(17)} ${String(perField.get(f)).padStart(2)}/${n}  ${((100 * (perField.get(f) ?? 0)) / n).toFixed(0)}%`);
    const misses = results.flatMap((r) =>
      r.score
        ? HEADER_FIELDS.filter((f) => !r.score?.fields[f].exact).map(
            (f) => `  ${r.e.file.slice(0, 2)} ${f}: expected ${JSON.stringify(r.score?.fields[f].expected)} got ${JSON.stringify(r.score?.fields[f].actual)}`,
          )
        : [`  ${r.e.file.slice(0, 2)} refused: ${r.error}`],
    );
    // The table is the measurement this spec exists for; the assertions below hold the goal.
    console.log(
      [`Header fields exact on ${n} real openings: ${total}/${n * HEADER_FIELDS.length} (${((100 * total) / (n * HEADER_FIELDS.length)).toFixed(1)}%)`, ...rows, ...(misses.length ? ['misses:', ...misses] : [])].join('\n'),
    );
  });

  it('turns every opening into a draft (none refused)', () => {
    expect(results.filter((r) => r.error !== null).map((r) => `${r.e.file}: ${r.error}`)).toEqual([]);
    for (const r of results) expect(PlanSchema.safeParse(r.parsed?.plan).success).toBe(true);
  });

  it('says the body is missing instead of refusing an opening', () => {
    for (const r of results) {
      const codes = r.parsed?.warnings.map((w) => w.code) ?? [];
      expect([r.e.file, codes.includes('MISSING_BODY') || codes.includes('NO_ASSIGNMENTS')]).toEqual([r.e.file, true]);
    }
  });

  it('reads at least 95% of all header fields exactly, and of number, date and title each', () => {
    const n = results.length;
    expect(total / (n * HEADER_FIELDS.length)).toBeGreaterThanOrEqual(0.95);
    for (const f of ['number', 'date', 'title'] as const) expect([f, (perField.get(f) ?? 0) / n >= 0.95]).toEqual([f, true]);
  });

  it('never crashes when header-like lines are spliced into a real opening', () => {
    const texts = expected.map((e) => documentText(e.file).split('\n'));
    const pieces = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.constantFrom('|', '-------', 'Số:', 'Số: 12 /KH - UBND |', ', ngày', 'ngày      tháng 5 năm 2024', 'KẾ HOẠCH', 'ỦY', 'Y BAN NHÂN DÂN', 'Phần thứ hai', 'A . ', ' 1. ', '1.1.', 'I. CĂN CỨ', 'V/v', '2', 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT', 'NAM'),
    );
    fc.assert(
      fc.property(fc.nat(texts.length - 1), fc.array(fc.tuple(fc.nat(40), pieces), { maxLength: 6 }), (which, insertions) => {
        const lines = [...texts[which]];
        for (const [at, piece] of insertions) lines.splice(Math.min(at, lines.length), 0, piece);
        try {
          return PlanSchema.safeParse(parsePlan({ text: lines.join('\n'), format: 'text' }, directory).plan).success;
        } catch (error) {
          return error instanceof PlanParseError;
        }
      }),
      { numRuns: 150 },
    );
  });
});
