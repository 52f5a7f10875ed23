import { normaliseKey } from '../../domain/src/text';

/**
 * Top-level structure of a plan: Roman sections (I., II.), parts above them ('Phần I', 'Phần thứ
 * nhất', 'A.'), or Arabic numbers when the document numbers its sections 1., 2. with 1.1. inside.
 * Which scheme a document uses is decided once, from all its blocks, so a '1.' item is never
 * mistaken for a section in a Roman-numbered plan. Rules: docs/plan-import.md.
 */

export interface SchemeInput {
  plain: string;
  /** Bold or a Markdown heading. */
  headingLike: boolean;
  /** What blocks.ts's analyse() read as a Roman heading. */
  roman: { numeral: string; title: string } | null;
}

export interface SectionScheme {
  part: 'phan' | 'letter' | null;
  section: 'roman' | 'arabic' | null;
}

export interface TopHeading {
  level: 'part' | 'section';
  /** 'Phần I', 'A', 'II', '2'. */
  label: string;
  value: number;
  title: string;
}

const ORDINALS: Record<string, number> = {
  nhat: 1,
  hai: 2,
  ba: 3,
  tu: 4,
  nam: 5,
  sau: 6,
  bay: 7,
  tam: 8,
  chin: 9,
  muoi: 10,
};
const ROMAN_VALUES: Record<string, number> = { I: 1, V: 5, X: 10 };
const ROMANS = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X', 'XI', 'XII'];

export function romanValue(numeral: string): number {
  let total = 0;
  for (let i = 0; i < numeral.length; i += 1) {
    const v = ROMAN_VALUES[numeral[i]] ?? 0;
    const next = ROMAN_VALUES[numeral[i + 1]] ?? 0;
    total += v < next ? -v : v;
  }
  return total;
}

const PART = /^phần\s{1,3}(thứ\s{1,3}\p{L}{2,5}|[IVX]{1,5}|\d{1,2})(?![\p{L}\d])\s{0,3}[.:\-–]?\s{0,3}(.*)$/iu;
const LETTER = /^([A-E])\s{0,2}[.)]\s{1,3}(.+)$/u;
const ROMAN_LOOSE = /^([IVX]{1,5})[.)]\s{0,3}(.+)$/u;
const ARABIC = /^(\d{1,2})[.)](?!\d)\s{0,3}(.*)$/su;
const ARABIC_SUB = /^(\d{1,2})\.\d{1,2}(?!\d)/u;

const hasLower = (s: string): boolean => /\p{Ll}/u.test(s);
const stripEnd = (s: string): string => {
  let end = s.length;
  while (end > 0 && ':;,. '.includes(s[end - 1])) end -= 1;
  return s.slice(0, end).trim();
};

function part(plain: string, headingLike: boolean): TopHeading | null {
  const hit = PART.exec(plain.trim());
  if (!hit) return null;
  const title = stripEnd(hit[2]);
  if (title !== '' && hasLower(title) && !headingLike) return null;
  const raw = hit[1];
  let value = /^\d+$/u.test(raw) ? Number(raw) : romanValue(raw.toUpperCase());
  if (/^thứ/iu.test(raw)) value = ORDINALS[normaliseKey(raw).replace(/^thu\s/u, '')] ?? 0;
  if (value < 1 || value > ROMANS.length) return null;
  return { level: 'part', label: `Phần ${ROMANS[value - 1]}`, value, title: title || `Phần ${ROMANS[value - 1]}` };
}

function letter(plain: string, headingLike: boolean): TopHeading | null {
  const hit = LETTER.exec(plain.trim());
  if (!hit) return null;
  const title = stripEnd(hit[2]);
  if (title === '' || (hasLower(title) && !headingLike) || title.length > 150) return null;
  return { level: 'part', label: hit[1], value: hit[1].charCodeAt(0) - 64, title };
}

export function detectScheme(items: readonly SchemeInput[]): SectionScheme {
  const scheme: SectionScheme = { part: null, section: null };
  if (items.some((i) => part(i.plain, i.headingLike))) scheme.part = 'phan';
  else if (items.some((i) => letter(i.plain, i.headingLike)?.label === 'A')) scheme.part = 'letter';
  const looseFirst = (i: SchemeInput): boolean => {
    const hit = ROMAN_LOOSE.exec(i.plain.trim());
    return hit !== null && hit[1] === 'I' && hit[2].length <= 80 && /^\p{Lu}/u.test(hit[2]) && !/[.;]$/u.test(hit[2]);
  };
  if (items.some((i) => i.roman !== null || looseFirst(i))) {
    scheme.section = 'roman';
    return scheme;
  }
  // Arabic top level only when the document numbers inside it '1.1.', '1.2.' under '1.'.
  const tops = new Set<number>();
  for (const i of items) {
    const sub = ARABIC_SUB.exec(i.plain.trim());
    if (sub && tops.has(Number(sub[1]))) {
      scheme.section = 'arabic';
      return scheme;
    }
    const top = ARABIC.exec(i.plain.trim());
    if (top && !ARABIC_SUB.test(i.plain.trim())) tops.add(Number(top[1]));
  }
  return scheme;
}

/**
 * The heading this block opens, if any. `nextSection` is the number the next section would have:
 * a Roman line in sentence case ('I. Mục đích, yêu cầu') is a heading only when it is short and
 * comes in sequence, so a misnumbered item ('I. Giám sát chặt chẽ …' under II) stays an item.
 */
export function topHeading(item: SchemeInput, scheme: SectionScheme, nextSection: number): TopHeading | null {
  const plain = item.plain.trim();
  if (scheme.part === 'phan') {
    const p = part(plain, item.headingLike);
    if (p) return p;
  }
  if (scheme.part === 'letter') {
    const l = letter(plain, item.headingLike);
    if (l) return l;
  }
  if (scheme.section === 'roman') {
    if (item.roman) {
      return { level: 'section', label: item.roman.numeral, value: romanValue(item.roman.numeral), title: stripEnd(item.roman.title) || item.roman.title };
    }
    const loose = ROMAN_LOOSE.exec(plain);
    if (loose && romanValue(loose[1]) === nextSection && loose[2].length <= 80 && /^\p{Lu}/u.test(loose[2]) && !/[.;]$/u.test(loose[2])) {
      return { level: 'section', label: loose[1], value: nextSection, title: stripEnd(loose[2]) };
    }
    return null;
  }
  if (scheme.section === 'arabic') {
    const hit = ARABIC.exec(plain);
    if (hit && Number(hit[1]) === nextSection && !ARABIC_SUB.test(plain)) {
      const title = stripEnd(hit[2]);
      if (title !== '') return { level: 'section', label: hit[1], value: nextSection, title };
    }
  }
  return null;
}

/** Headings that only a plan has: a document without a header but with these is still a plan. */
export function isPlanPart(title: string): boolean {
  return /^(can cu|muc dich|muc tieu|nhiem vu|to chuc thuc hien|quan diem)|ke hoach/u.test(normaliseKey(title));
}
