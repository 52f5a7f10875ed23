/**
 * Corrections of tesseract's systematic misreadings on scanned plans, applied to OCR output only (a text
 * layer is never touched). Measured on 200 dpi scans (docs/plan-import.md, "Scans and photos"):
 *
 * - bold capitals lose the hook above: `ỦY BAN` reads `ÚY BAN`, `CHỦ NGHĨA` `CHÚ NGHĨA`, `TỈNH` `TINH`; the
 *   header's issuer then no longer reads as a people's committee. Each fix needs its neighbour word, so only
 *   a phrase that cannot mean anything else changes (`tinh thần`, `tinh giản` stay);
 * - a bold Roman numeral loses a stroke: `III.` reads `II.` (or `IIH.`), so the plan's sections went
 *   I, II, II, IV and the third section's duties were filed under the second. A heading is renumbered only
 *   when it repeats or goes back and the number the sequence expects is the same numeral with more I's.
 *
 * Every check is a comparison of whole words; no pattern runs on unbounded text.
 */
import { type PositionedWord, type RebuiltLine } from './layout';

const HOOK_BY_NEXT: ReadonlyArray<{ read: readonly string[]; next: readonly string[]; fixed: string }> = [
  { read: ['ÚY', 'UÝ'], next: ['BAN'], fixed: 'ỦY' },
  { read: ['Úy', 'Uý'], next: ['ban'], fixed: 'Ủy' },
  { read: ['CHÚ'], next: ['NGHĨA'], fixed: 'CHỦ' },
];

const ONSETS = new Set(
  'b c ch d đ g gh gi h k kh l m n ng ngh nh p ph qu r s t th tr v x'.split(' ').concat(['']),
);
const CODAS = new Set(['', 'c', 'ch', 'm', 'n', 'ng', 'nh', 'p', 't']);
const VOWELS = 'aeiouy';

const GLIDES = new Set(['oa', 'oă', 'oe', 'uâ', 'uê', 'uy']);
const LABIALS = new Set(['b', 'm', 'p', 'ph', 'v']);
/** A letter without its tone mark (grave, acute, tilde, hook, dot below), vowel quality kept: "ậ" → "â". */
const untoned = (c: string): string =>
  c
    .normalize('NFD')
    .replace(/[\u0300\u0301\u0303\u0309\u0323]/gu, '')
    .normalize('NFC')
    .toLowerCase();
const base = (c: string): string => c.normalize('NFD')[0].toLowerCase();
const marked = (c: string): boolean => c === 'đ' || c === 'Đ' || c.normalize('NFD').length > 1;

/**
 * Splits a word tesseract glued from Vietnamese syllables ("cơsở", "kếtquả", "SởGiáodục", "Hạ tầngchủ"):
 * a Vietnamese syllable has one run of vowels, so a word with two is two syllables when the consonants
 * between them divide into a valid final (c, ch, m, n, ng, nh, p, t or none) and a valid initial. Only words
 * with a Vietnamese diacritic and nothing but letters are considered: "Viettel", "UBND", "KH-UBND" stay.
 */
export function splitGluedSyllables(word: string): string[] {
  const letters = [...word];
  if (letters.length < 4 || !letters.some(marked) || letters.some((c) => c.toLowerCase() === c.toUpperCase()))
    return [word];
  const bases = letters.map(base);
  // "qu" and "gi" before a vowel are initials, their u / i no vowel.
  const vowel = bases.map(
    (b, i) =>
      VOWELS.includes(b) &&
      !(b === 'u' && bases[i - 1] === 'q') &&
      !(b === 'i' && bases[i - 1] === 'g' && VOWELS.includes(bases[i + 1] ?? '')),
  );
  const groups: Array<[number, number]> = [];
  vowel.forEach((v, i) => {
    if (!v) return;
    const last = groups[groups.length - 1];
    if (last && last[1] === i) last[1] = i + 1;
    else groups.push([i, i + 1]);
  });
  if (groups.length < 2) return [word];
  const text = (from: number, to: number): string => bases.slice(from, to).join('');
  if (!ONSETS.has(text(0, groups[0][0])) || !CODAS.has(text(groups[groups.length - 1][1], letters.length)))
    return [word];
  const cuts: number[] = [];
  for (let g = 1; g < groups.length; g += 1) {
    const from = groups[g - 1][1];
    const to = groups[g][0];
    let cut = -1;
    // The longest valid initial: "tầngchủ" is tầng + chủ, not tầngc + hủ.
    // b, m, p, ph, v never take the glide of "oa", "oe", "uâ", "uy"…: "tậphuấn" is tập + huấn, not tậ + phuấn.
    const glide = GLIDES.has(
      letters
        .slice(to, to + 2)
        .map(untoned)
        .join(''),
    );
    for (let k = from; k <= to && cut < 0; k += 1) {
      const onset = text(k, to);
      if (CODAS.has(text(from, k)) && ONSETS.has(onset) && !(glide && LABIALS.has(onset))) cut = k;
    }
    if (cut < 0) return [word];
    cuts.push(cut);
  }
  const parts: string[] = [];
  let at = 0;
  for (const cut of cuts) {
    parts.push(letters.slice(at, cut).join(''));
    at = cut;
  }
  parts.push(letters.slice(at).join(''));
  return parts;
}

/** A word split into syllables, each with its share of the box (by letters). */
function splitWord(word: PositionedWord): PositionedWord[] {
  // Punctuation stays with the syllable it touches: "cơsở," → "cơ", "sở,".
  const match = /^([^\p{L}]{0,8})(\p{L}{1,60})([^\p{L}]{0,8})$/u.exec(word.text);
  if (!match) return [word];
  const parts = splitGluedSyllables(match[2]);
  if (parts.length === 1) return [word];
  parts[0] = match[1] + parts[0];
  parts[parts.length - 1] += match[3];
  const total = parts.reduce((n, p) => n + p.length, 0);
  const width = word.xMax - word.xMin;
  let x = word.xMin;
  // A small gap between the pieces, so that layout.ts does not take them for touching glyphs and rejoin them.
  const pad = 0.1 * (word.yMax - word.yMin);
  return parts.map((p, i) => {
    const w = (width * p.length) / total;
    const piece = {
      ...word,
      text: p,
      xMin: i === 0 ? x : x + pad,
      xMax: i === parts.length - 1 ? x + w : x + w - pad,
    };
    x += w;
    return piece;
  });
}

/** One OCR page's words, line by line, with glued syllables split and the hook-above confusions fixed. */
export function fixOcrWords(ocrLines: readonly PositionedWord[][]): PositionedWord[][] {
  const lines = ocrLines.map((l) => l.flatMap(splitWord));
  const flat = lines.flat();
  const lineOf = new Map<PositionedWord, number>();
  lines.forEach((l, n) => l.forEach((w) => lineOf.set(w, n)));
  const saysPeoplesCommittee = (n: number): boolean =>
    (lines[n] ?? []).some((w, k, l) => w.text === 'NHÂN' && l[k + 1]?.text === 'DÂN');
  const fixedAt = new Map<PositionedWord, string>();
  flat.forEach((word, i) => {
    const next = flat[i + 1]?.text;
    for (const fix of HOOK_BY_NEXT)
      if (next !== undefined && fix.read.includes(word.text) && fix.next.includes(next))
        fixedAt.set(word, fix.fixed);
    // "Quý IIH/2024": the H is the third stroke of III run into its neighbour.
    const previous = flat[i - 1]?.text.toLowerCase();
    if (previous === 'quý' && word.text.startsWith('IIH')) fixedAt.set(word, `III${word.text.slice(3)}`);
    // "TINH" after "ỦY BAN NHÂN DÂN" (on its line or opening the next: the issuer's second line) can only be
    // the province.
    const n = lineOf.get(word) ?? 0;
    const opensLine = lines[n]?.[0] === word;
    if (word.text === 'TINH' && (previous === 'dân' || (opensLine && saysPeoplesCommittee(n - 1))))
      fixedAt.set(word, 'TỈNH');
  });
  if (fixedAt.size === 0) return lines;
  return lines.map((l) => l.map((w) => (fixedAt.has(w) ? { ...w, text: fixedAt.get(w) ?? w.text } : w)));
}

const ROMAN: ReadonlyArray<[number, string]> = [
  [10, 'X'],
  [9, 'IX'],
  [5, 'V'],
  [4, 'IV'],
  [1, 'I'],
];

function toRoman(value: number): string {
  let rest = value;
  let out = '';
  for (const [n, s] of ROMAN)
    while (rest >= n) {
      out += s;
      rest -= n;
    }
  return out;
}

function fromRoman(text: string): number | null {
  for (let n = 1; n <= 20; n += 1) if (toRoman(n) === text) return n;
  return null;
}

/** "III. NỘI DUNG": a Roman numeral (as read, possibly with an H for II) and a heading in capitals. */
function romanHeading(text: string): { numeral: string; rest: string } | null {
  const space = text.indexOf(' ');
  if (space < 2 || space > 8 || text[space - 1] !== '.') return null;
  const numeral = text.slice(0, space - 1);
  for (const c of numeral) if (!'IVXH'.includes(c)) return null;
  const rest = text.slice(space + 1);
  const letters = [...rest.slice(0, 40)].filter((c) => c.toLowerCase() !== c.toUpperCase());
  if (letters.length < 3 || letters.some((c) => c !== c.toUpperCase())) return null;
  return { numeral, rest };
}

/** Without its I's (and the H that stands for two of them): "III" and "IIH" are the same skeleton as "II". */
const skeleton = (numeral: string): string => [...numeral].filter((c) => c !== 'I' && c !== 'H').join('');

/**
 * Renumbers OCR'd Roman headings that break the sequence by a lost stroke ("II." after "II." → "III.").
 * Lines from a text layer (confidence null) count for the sequence but are never changed.
 */
export function fixRomanHeadings(lines: readonly RebuiltLine[]): RebuiltLine[] {
  let last = 0;
  return lines.map((line) => {
    // Roman numbers restart in each part and in an annex.
    const opening = line.text.slice(0, 8).toUpperCase();
    if (opening.startsWith('PHẦN') || opening.startsWith('PHỤ LỤC')) last = 0;
    const heading = romanHeading(line.text);
    if (!heading) return line;
    const value = fromRoman(heading.numeral);
    const expected = last + 1;
    const wanted = toRoman(expected);
    if (
      line.confidence !== null &&
      value !== expected &&
      (value === null || value <= last) &&
      skeleton(heading.numeral) === skeleton(wanted) &&
      heading.numeral.length <= wanted.length
    ) {
      last = expected;
      return { ...line, text: `${wanted}. ${heading.rest}` };
    }
    if (value !== null) last = value;
    return line;
  });
}
