import { type OrganisationDirectory } from '../../domain/src/organisation';
import { type DistributionEntry, type LegalBasis, type Signer, type UnitRef } from '../../domain/src/plan';
import { cleanText } from '../../domain/src/text';
import { foldForSearch, isoDate, parseVietnameseDate } from './dates';

/** Readers for the administrative frame around a plan: header, legal basis, recipients, signature. */

/**
 * Drops trailing characters of `chars`. '/[:;,.]+$/' would do, but on a long run of them that is
 * not at the very end a regular expression retries from every position: quadratic on hostile text.
 */
export function trimTrailing(text: string, chars: string): string {
  let end = text.length;
  while (end > 0 && chars.includes(text[end - 1])) end -= 1;
  return text.slice(0, end);
}

/**
 * No unit or group name is longer than this. The directory's fuzzy matcher costs grow faster than
 * the text, so a longer 'name' (hostile or a paragraph misread as one) is not offered to it.
 */
const MAX_UNIT_NAME = 300;

export function toUnitRef(
  text: string,
  directory: OrganisationDirectory,
  strict = false,
): { ref: UnitRef; resolved: boolean } {
  const clean = trimTrailing(cleanText(text), ':;,.');
  const match =
    clean.length > MAX_UNIT_NAME
      ? null
      : strict
        ? (directory.matchAtStart(clean)?.match ?? null)
        : directory.resolveUnitRef(clean);
  if (match) return { ref: { kind: match.kind, code: match.code, text: clean }, resolved: true };
  // 'các ...' names several units; everything else is taken to be one unit until someone resolves it.
  const kind = /(^|\s)(các|những)\s|liên quan$/iu.test(clean) ? 'group' : 'unit';
  return { ref: { kind, code: null, text: clean }, resolved: false };
}

/**
 * Splits 'các phòng, ban, ngành liên quan và UBND các xã, thị trấn' into its units. Names contain
 * commas, so the directory decides where one name ends; unknown words run to the next ',' or 'và'.
 */
export function parseUnitList(
  text: string,
  directory: OrganisationDirectory,
): { refs: UnitRef[]; unresolved: string[] } {
  const refs: UnitRef[] = [];
  const unresolved: string[] = [];
  let rest = cleanText(text);
  for (let guard = 0; rest !== '' && guard < 50; guard += 1) {
    rest = rest.replace(/^(?:[,;/]|và\s|cùng\s|với\s|\s)+/iu, '');
    if (rest === '') break;
    // A name starts within the first MAX_UNIT_NAME characters: the matcher never sees more.
    const hit = directory.matchAtStart(rest.slice(0, MAX_UNIT_NAME));
    if (hit) {
      const written = trimTrailing(rest.slice(0, hit.length), ':;,.');
      refs.push({ kind: hit.match.kind, code: hit.match.code, text: written });
      rest = rest.slice(hit.length);
      continue;
    }
    const end = rest.search(/[,;]|\svà\s/u);
    const piece = trimTrailing((end >= 0 ? rest.slice(0, end) : rest).trim(), '.:');
    if (piece !== '') {
      refs.push(toUnitRef(piece, directory).ref);
      if (refs[refs.length - 1].code === null) unresolved.push(piece);
    }
    rest = end >= 0 ? rest.slice(end) : '';
  }
  return { refs, unresolved };
}

const DOC_TYPES = 'Kế hoạch|Quyết định|Công văn|Nghị định|Nghị quyết|Thông tư|Chỉ thị|Hướng dẫn|Luật|Văn bản|Kết luận|Thông báo|Đề án';

/**
 * A document number as cited: '30/2017/NĐ-CP', '17 /NQ-HĐND', '11-NQ/ĐU', '197/STTTT'. The code
 * after '/' starts with a capital, so dates ('24/01/2017') and ratios ('15/17 xã') are not numbers.
 */
const DOC_NUMBER = /(?<![\p{L}\d/])(\d{1,6}(?:\/\d{4})?(?:-[\p{Lu}][\p{L}]{0,10})?)\s?\/\s?(\p{Lu}[\p{L}\d&]{0,15}(?:-[\p{L}\d&]{1,15}){0,4})(?![\p{L}\d])/gu;

function typedBasis(text: string): LegalBasis[] {
  // Bounded quantifiers throughout: each match scans a bounded window, never the rest of the text.
  const pattern = new RegExp(
    `(${DOC_TYPES})\\s{1,3}(?:số\\s{0,3}:?\\s{0,3})?([0-9][0-9A-Za-zĐđ\\-]{0,20}(?:\\/[0-9]{4})?\\s?\\/\\s?[A-Za-zĐđ0-9\\-]{1,30})?\\s{0,3}(?:ngày\\s{1,3}(\\d{1,2}\\/\\d{1,2}\\/\\d{4}))?(?:\\s{1,3}của\\s{1,3}([^;]{1,200}?))?(?=\\s(?:về|V\\/v|quy định|phê duyệt|ban hành|hướng dẫn)\\s|[;]|,\\s{1,3}(?:UBND|Ủy ban|Uỷ ban|căn cứ|thực hiện)|$)`,
    'giu',
  );
  const out: LegalBasis[] = [];
  for (const hit of text.matchAll(pattern)) {
    if (!hit[2] && !hit[3]) continue;
    out.push({
      text: hit[0].trim(),
      documentType: hit[1],
      documentNumber: hit[2] ?? null,
      date: hit[3] ? parseVietnameseDate(hit[3]) : null,
      issuer: hit[4]?.trim() ?? null,
    });
  }
  return out;
}

const squeeze = (s: string): string => s.replace(/\s/gu, '');

/**
 * 'Kế hoạch số 59/KH-SLĐTBXH ngày 22/3/2024 của Sở ...' in a 'Căn cứ'/'Thực hiện' paragraph: every
 * document number it cites, in order, each once; type, date and issuer where the sentence gives them.
 */
export function parseLegalBasis(text: string): LegalBasis[] {
  const typed = typedBasis(text);
  const out: LegalBasis[] = [];
  const seen = new Set<string>();
  for (const hit of text.matchAll(DOC_NUMBER)) {
    const number = hit[0];
    if (seen.has(squeeze(number))) continue;
    seen.add(squeeze(number));
    const known = typed.find((b) => b.documentNumber !== null && squeeze(b.documentNumber) === squeeze(number));
    if (known) {
      out.push({ ...known, documentNumber: number });
      continue;
    }
    const at = hit.index ?? 0;
    const before = text.slice(Math.max(0, at - 40), at);
    const type = new RegExp(`(${DOC_TYPES})\\s{0,3}(?:số\\s{0,3}:?\\s{0,3})?$`, 'iu').exec(before);
    const sentenceEnd = text.slice(at).search(/[;]/u);
    out.push({
      text: (type ? type[0] : '') + text.slice(at, sentenceEnd < 0 ? Math.min(text.length, at + 200) : at + Math.min(sentenceEnd, 200)).trim(),
      documentType: type ? type[1] : null,
      documentNumber: number,
      date: null,
      issuer: null,
    });
  }
  // A dated document without a number ('Luật ... ngày 19/6/2013') stays, after the numbered ones.
  for (const b of typed) if (b.documentNumber === null) out.push(b);
  return out;
}

/** 'Số: 12/KH-UBND' */
export function parseDocumentNumber(line: string): string | null {
  const hit = /^số\s{0,3}:?\s{0,3}([0-9]{1,6}[^\s]{0,30}\/[^\s]{1,40})/iu.exec(line.trim());
  return hit ? trimTrailing(hit[1], '.,;') : null;
}

/** 'Văn Quan, ngày 05 tháng 4 năm 2024' */
export function parseIssueDate(line: string): string | null {
  const hit = /ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})/iu.exec(line);
  return hit ? isoDate(Number(hit[3]), Number(hit[2]), Number(hit[1])) : null;
}

const LEVELS = ['huyện', 'xã', 'thị trấn', 'tỉnh', 'thành phố', 'thị xã', 'phường', 'quận'];

/** 'HUYỆN VĂN QUAN' → 'huyện Văn Quan': the level in lower case, the place name capitalised. */
export function placeName(upper: string): string {
  const lower = upper.toLocaleLowerCase('vi');
  const level = LEVELS.find((l) => lower.startsWith(`${l} `));
  const name = level ? lower.slice(level.length + 1) : lower;
  const cased = name.replace(/(^|\s)(\p{L})/gu, (_m, s: string, c: string) => s + c.toLocaleUpperCase('vi'));
  return level ? `${level} ${cased}` : cased;
}

/** Header 'ỦY BAN NHÂN DÂN / HUYỆN VĂN QUAN' or preamble '..., UBND huyện Văn Quan xây dựng Kế hoạch'. */
export function findIssuer(headerLines: readonly string[], preamble: string): string | null {
  for (let i = 0; i < headerLines.length; i += 1) {
    const folded = foldForSearch(headerLines[i]);
    if (/^(uy ban nhan dan|ubnd)$/.test(folded) && headerLines[i + 1]) {
      return `UBND ${placeName(headerLines[i + 1])}`;
    }
    const inline = /^(?:uy ban nhan dan|ubnd)\s+((?:huyen|xa|thi tran|tinh|thanh pho|thi xa|phuong)\s.+)$/.exec(folded);
    if (inline) return `UBND ${placeName(headerLines[i].slice(headerLines[i].length - inline[1].length))}`;
  }
  const hit = /(?:^|,\s{0,3})((?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân)\s{1,3}(?:huyện|xã|thị trấn|tỉnh|thành phố|thị xã|phường)\s{1,3}[^,\s][^,]{0,80}?)\s(?:xây dựng|ban hành|triển khai)/u.exec(
    preamble,
  );
  return hit ? hit[1].replace(/^Ủy ban nhân dân|^Uỷ ban nhân dân/u, 'UBND') : null;
}

export function parseDistribution(text: string, directory: OrganisationDirectory): DistributionEntry {
  const clean = trimTrailing(cleanText(text), ';.');
  const archive = /^lưu\s*:/iu.test(clean);
  const note = /\(([^)]{1,20})\)\s*$/u.exec(clean);
  const body = trimTrailing((note ? clean.slice(0, note.index) : clean).trim(), ';,');
  const hit = archive ? null : directory.matchAtStart(body.slice(0, MAX_UNIT_NAME));
  const whole = hit && body.slice(hit.length).trim() === '';
  return {
    text: body || clean,
    note: note ? note[1] : null,
    unitRef: hit && whole ? { kind: hit.match.kind, code: hit.match.code, text: body } : null,
    archive,
  };
}

const POSITIONS = /^(PHÓ )?(CHỦ TỊCH|TRƯỞNG PHÒNG|GIÁM ĐỐC|BÍ THƯ|TRƯỞNG BAN|CHÁNH VĂN PHÒNG|TRƯỞNG THÔN)\b/u;

/** The signing block: 'KT. CHỦ TỊCH' / 'PHÓ CHỦ TỊCH' lines, the name comes from the next block. */
export function parseSignerBlock(lines: readonly string[]): Omit<Signer, 'name'> | null {
  if (lines.length === 0 || lines.length > 3) return null;
  const first = lines[0].trim();
  const proxy = /^(KT|TM|TL|TUQ|Q)\.\s*(.+)$/u.exec(first);
  if (proxy) {
    const position = lines[1]?.trim() ?? proxy[2];
    return { title: lines.join(' '), onBehalfOf: first, position };
  }
  return POSITIONS.test(first) ? { title: lines.join(' '), onBehalfOf: null, position: first } : null;
}

/** A person's name: 2–6 capitalised words, nothing else. */
export function looksLikeName(text: string): boolean {
  const words = text.trim().split(/\s+/u);
  return words.length >= 2 && words.length <= 6 && words.every((w) => /^\p{Lu}\p{Ll}*$/u.test(w));
}
