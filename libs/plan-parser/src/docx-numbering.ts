/**
 * Word's automatic list numbers are not in a .docx's text: 'II. NHIỆM VỤ VÀ GIẢI PHÁP' is a paragraph
 * with <w:numPr> pointing at a level whose format is upperRoman and whose text is '%1.'. mammoth
 * turns every such paragraph into <ol><li>, and the printed label is lost; a plan whose Roman
 * sections are Word-numbered then reads as one long list. Here the labels are computed from
 * numbering.xml the way Word prints them and written into the paragraphs as text, so the parser
 * sees what the reader sees. Bulleted levels are left to mammoth.
 *
 * The XML is scanned with indexOf, never with backtracking patterns: the input is untrusted.
 */

interface Level {
  start: number;
  format: string;
  text: string;
}

interface Numbering {
  /** abstractNumId → level index → level. */
  abstract: Map<string, Map<number, Level>>;
  /** numId → abstractNumId and the levels it restarts ('startOverride'). */
  nums: Map<string, { abstractId: string; overrides: Map<number, number> }>;
  /** Paragraph style id → its numbering ('Heading1' numbered through the style). */
  styles: Map<string, { numId: string; ilvl: number }>;
}

/** Each element `<tag ...>...</tag>` (or self-closed) in xml, in order; no nesting of the same tag is assumed. */
function* elements(xml: string, tag: string): Generator<{ open: string; body: string; start: number; end: number }> {
  let from = 0;
  for (;;) {
    const start = findOpen(xml, tag, from);
    if (start < 0) return;
    const openEnd = xml.indexOf('>', start);
    if (openEnd < 0) return;
    const open = xml.slice(start, openEnd + 1);
    if (open.endsWith('/>')) {
      yield { open, body: '', start, end: openEnd + 1 };
      from = openEnd + 1;
      continue;
    }
    const close = xml.indexOf(`</${tag}>`, openEnd);
    const end = close < 0 ? xml.length : close + tag.length + 3;
    yield { open, body: xml.slice(openEnd + 1, close < 0 ? xml.length : close), start, end };
    from = end;
  }
}

/** Index of '<tag' followed by a space, '>' or '/', so '<w:p' does not find '<w:pPr'. */
function findOpen(xml: string, tag: string, from: number): number {
  let at = xml.indexOf(`<${tag}`, from);
  while (at >= 0) {
    const next = xml[at + tag.length + 1];
    if (next === ' ' || next === '>' || next === '/' || next === '\n' || next === '\t' || next === '\r') return at;
    at = xml.indexOf(`<${tag}`, at + 1);
  }
  return -1;
}

function attr(open: string, name: string): string | null {
  const key = `${name}="`;
  const at = open.indexOf(key);
  if (at < 0) return null;
  const end = open.indexOf('"', at + key.length);
  return end < 0 ? null : open.slice(at + key.length, end);
}

function childVal(xml: string, tag: string): string | null {
  for (const el of elements(xml, tag)) return attr(el.open, 'w:val');
  return null;
}

function decodeXml(text: string): string {
  return text.replace(/&(lt|gt|amp|quot|apos);/g, (_m, e: string) => ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" })[e] ?? '');
}

function encodeXml(text: string): string {
  return text.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c] ?? c);
}

export function readNumbering(numberingXml: string, stylesXml = ''): Numbering {
  const abstract = new Map<string, Map<number, Level>>();
  for (const el of elements(numberingXml, 'w:abstractNum')) {
    const id = attr(el.open, 'w:abstractNumId');
    if (id === null) continue;
    const levels = new Map<number, Level>();
    for (const lvl of elements(el.body, 'w:lvl')) {
      const ilvl = Number(attr(lvl.open, 'w:ilvl') ?? '0');
      levels.set(ilvl, {
        start: Number(childVal(lvl.body, 'w:start') ?? '1'),
        format: childVal(lvl.body, 'w:numFmt') ?? 'decimal',
        text: decodeXml(childVal(lvl.body, 'w:lvlText') ?? ''),
      });
    }
    abstract.set(id, levels);
  }
  const nums = new Map<string, { abstractId: string; overrides: Map<number, number> }>();
  for (const el of elements(numberingXml, 'w:num')) {
    const numId = attr(el.open, 'w:numId');
    const abstractId = childVal(el.body, 'w:abstractNumId');
    if (numId === null || abstractId === null) continue;
    const overrides = new Map<number, number>();
    for (const o of elements(el.body, 'w:lvlOverride')) {
      const start = childVal(o.body, 'w:startOverride');
      if (start !== null) overrides.set(Number(attr(o.open, 'w:ilvl') ?? '0'), Number(start));
    }
    nums.set(numId, { abstractId, overrides });
  }
  const styles = new Map<string, { numId: string; ilvl: number }>();
  for (const el of elements(stylesXml, 'w:style')) {
    const id = attr(el.open, 'w:styleId');
    const numPr = [...elements(el.body, 'w:numPr')][0];
    const numId = numPr ? childVal(numPr.body, 'w:numId') : null;
    if (id !== null && numPr && numId !== null) styles.set(id, { numId, ilvl: Number(childVal(numPr.body, 'w:ilvl') ?? '0') });
  }
  return { abstract, nums, styles };
}

const ROMAN: ReadonlyArray<[number, string]> = [
  [1000, 'M'], [900, 'CM'], [500, 'D'], [400, 'CD'], [100, 'C'], [90, 'XC'],
  [50, 'L'], [40, 'XL'], [10, 'X'], [9, 'IX'], [5, 'V'], [4, 'IV'], [1, 'I'],
];

function roman(n: number): string {
  let rest = Math.max(1, Math.min(n, 3999));
  let out = '';
  for (const [value, letters] of ROMAN) {
    while (rest >= value) {
      out += letters;
      rest -= value;
    }
  }
  return out;
}

/** Word's letters: a..z, then aa..zz. */
function letters(n: number): string {
  const index = (Math.max(1, n) - 1) % 26;
  const repeat = Math.floor((Math.max(1, n) - 1) / 26) + 1;
  return String.fromCharCode(97 + index).repeat(repeat);
}

export function formatNumber(n: number, format: string): string {
  switch (format) {
    case 'upperRoman':
      return roman(n);
    case 'lowerRoman':
      return roman(n).toLowerCase();
    case 'upperLetter':
      return letters(n).toUpperCase();
    case 'lowerLetter':
      return letters(n);
    case 'decimalZero':
      return String(n).padStart(2, '0');
    case 'none':
      return '';
    default:
      return String(n);
  }
}

/**
 * Rewrites document.xml: every paragraph numbered with a non-bullet level gets its printed label
 * ('II.', '1.2.', 'a)') as a first run, in the paragraph's first run's formatting, and loses its
 * <w:numPr> so mammoth reads it as an ordinary paragraph.
 */
export function labelNumberedParagraphs(documentXml: string, numbering: Numbering): string {
  // Counters per abstract list: Word continues a list across numIds sharing it unless one restarts it.
  const counters = new Map<string, number[]>();
  const restarted = new Set<string>();
  const parts: string[] = [];
  let copied = 0;
  for (const p of elements(documentXml, 'w:p')) {
    const pPr = [...elements(p.body, 'w:pPr')][0];
    if (!pPr) continue;
    const numPr = [...elements(pPr.body, 'w:numPr')][0];
    const styleId = childVal(pPr.body, 'w:pStyle');
    const byStyle = styleId !== null ? numbering.styles.get(styleId) : undefined;
    const numId = numPr ? childVal(numPr.body, 'w:numId') : (byStyle?.numId ?? null);
    if (numId === null || numId === '0') continue;
    const ilvl = numPr ? Number(childVal(numPr.body, 'w:ilvl') ?? byStyle?.ilvl ?? '0') : (byStyle?.ilvl ?? 0);
    const num = numbering.nums.get(numId);
    const levels = num ? numbering.abstract.get(num.abstractId) : undefined;
    const level = levels?.get(ilvl);
    if (!num || !levels || !level || level.format === 'bullet') continue;
    const counter = counters.get(num.abstractId) ?? [];
    if (!restarted.has(numId) && num.overrides.size > 0) {
      restarted.add(numId);
      for (const [lvl, start] of num.overrides) counter[lvl] = start - 1;
    }
    counter[ilvl] = (counter[ilvl] ?? (levels.get(ilvl)?.start ?? 1) - 1) + 1;
    // A higher level item restarts the levels below it.
    counter.length = ilvl + 1;
    counters.set(num.abstractId, counter);
    const label = level.text.replace(/%([1-9])/g, (_m, d: string) => {
      const at = Number(d) - 1;
      const value = counter[at] ?? levels.get(at)?.start ?? 1;
      return formatNumber(value, levels.get(at)?.format ?? 'decimal');
    });
    // The paragraph, rebuilt: pPr without numPr, then the label in the first run's formatting.
    const bodyStart = p.start + p.open.length;
    const pPrStart = bodyStart + pPr.start;
    const pPrEnd = bodyStart + pPr.end;
    const withoutNum = numPr
      ? documentXml.slice(pPrStart, bodyStart + pPr.start + pPr.open.length + numPr.start) +
        documentXml.slice(bodyStart + pPr.start + pPr.open.length + numPr.end, pPrEnd)
      : documentXml.slice(pPrStart, pPrEnd);
    const firstRun = [...elements(p.body.slice(pPr.end), 'w:r')][0];
    const rPr = firstRun ? ([...elements(firstRun.body, 'w:rPr')][0] ?? null) : null;
    const rPrXml = rPr ? firstRun.body.slice(rPr.start, rPr.end) : '';
    const labelRun = label.trim() === '' ? '' : `<w:r>${rPrXml}<w:t xml:space="preserve">${encodeXml(label)} </w:t></w:r>`;
    parts.push(documentXml.slice(copied, pPrStart), withoutNum, labelRun);
    copied = pPrEnd;
  }
  parts.push(documentXml.slice(copied));
  return parts.join('');
}
