import { PlanParseError } from './errors';
import { readHeader } from './header';
import { findIssuer, parseDistribution, parseDocumentNumber, parseLegalBasis, parseUnitList, toUnitRef } from './metadata';
import { parsePlan } from './parse-plan';
import { vanQuanDirectory } from './test-support';

/**
 * Linear time on hostile text: inputs built to make a backtracking regular expression retry from
 * every position of a long run. Before the fix, 80,000 trailing spaces took 5.8 s in blocks.ts
 * (about 36 s at 200,000). Each case here is 200,000 characters. A single reader must finish in
 * under a second; the whole parser (tens of thousands of blocks for some cases: 0.2–0.9 s measured
 * outside jest, up to 3 s under jest on a busy 2-core machine) in under 5 s. The bounds guard
 * against quadratic behaviour; they are not a benchmark.
 */
const directory = vanQuanDirectory();
const RUN = 200_000;
const READER_BOUND_MS = 1_000;
const PARSER_BOUND_MS = 5_000;

function elapsed(run: () => unknown): number {
  const started = process.hrtime.bigint();
  try {
    run();
  } catch (error) {
    if (!(error instanceof PlanParseError)) throw error;
  }
  return Number(process.hrtime.bigint() - started) / 1e6;
}

const spaces = ' '.repeat(RUN);
const plan = (body: string): string => `KẾ HOẠCH\nThử nghiệm năm 2024\n\nI. NHIỆM VỤ\n\n${body}\n`;

describe('parsePlan stays linear on hostile text (200,000-character runs)', () => {
  it.each([
    ['trailing spaces in a paragraph', plan(`1. Việc${spaces}x`)],
    ['spaces after a Markdown heading mark', plan(`# a${spaces}b`)],
    ['dashes then spaces (a rule that is not one)', plan(`${'-'.repeat(RUN / 2)}${' '.repeat(RUN / 2)}x`)],
    ['unclosed link brackets', plan('['.repeat(RUN))],
    ['unclosed parentheses after a bracket', plan(`[a](${'('.repeat(RUN)}`)],
    ['colons before a letter', plan(`${':'.repeat(RUN)}x`)],
    ['a flattened page of list markers', plan('- A '.repeat(RUN / 4))],
    ['a header row of empty cells', `ỦY BAN NHÂN DÂN${' |'.repeat(RUN / 2)}\nKẾ HOẠCH\nThử năm 2024\nI. NHIỆM VỤ\n1. a`],
    ['a header number followed by spaces', `Số:${spaces}/\nKẾ HOẠCH\nThử năm 2024\nI. NHIỆM VỤ\n1. a`],
    ['a date phrase followed by spaces', `Hà Nội, ngày${spaces}tháng\nKẾ HOẠCH\nThử năm 2024\nI. NHIỆM VỤ\n1. a`],
    ['a preamble citing one document then a long run', plan(`Căn cứ Quyết định số 1/A của ${'x '.repeat(RUN / 2)}`).replace('I. NHIỆM VỤ\n\n', '')],
    ['many citations without a terminator', `KẾ HOẠCH\nThử năm 2024\nCăn cứ ${'Quyết định số 1/A của B '.repeat(RUN / 24)}\nI. NHIỆM VỤ\n1. a`],
  ])('%s', (_name, text) => {
    for (const format of ['markdown', 'text'] as const) {
      const ms = elapsed(() => parsePlan({ text, format }, directory, { fallbackYear: 2024 }));
      expect([format, ms < PARSER_BOUND_MS]).toEqual([format, true]);
    }
  });
});

describe('header and metadata readers stay linear', () => {
  it.each([
    ['toUnitRef on trailing punctuation', () => toUnitRef(`${':'.repeat(RUN)}x`, directory)],
    ['parseUnitList on a long name', () => parseUnitList(`Phòng ${'.'.repeat(RUN)}x`, directory)],
    ['parseDocumentNumber on a long token', () => parseDocumentNumber(`Số: 1/${','.repeat(RUN)}x`)],
    ['parseLegalBasis on slashes', () => parseLegalBasis(`Quyết định số 1${'/1'.repeat(RUN / 2)}`)],
    ['parseLegalBasis on an endless issuer', () => parseLegalBasis(`Quyết định số 1/A của ${'x'.repeat(RUN)}`)],
    ['findIssuer on a spaced preamble', () => findIssuer([], `UBND huyện a${spaces}b`)],
    ['parseDistribution on trailing semicolons', () => parseDistribution(`Sở Y tế${';'.repeat(RUN)}x`, directory)],
    ['readHeader on interleaved cells', () => readHeader([{ plain: `ỦY BAN NHÂN DÂN ${'A | '.repeat(RUN / 4)}`, index: 0 }])],
  ])('%s', (_name, run) => {
    expect(elapsed(run)).toBeLessThan(READER_BOUND_MS);
  });
});
