import { foldForSearch } from './dates';
import { startsUnitName } from './units';

/**
 * Work assigned inside a task's own text, as district plans write it:
 *   'Giao Phòng Tư pháp chủ trì, phối hợp với Phòng Nội vụ ...; hoàn thành trước ngày 30/9/2024'
 *   'Cơ quan thực hiện: Phòng Y tế'
 *   'Đơn vị chủ trì: ...; Đơn vị phối hợp: ...; Thời gian: ...'
 *   'Phòng Văn hóa và Thông tin chủ trì, phối hợp với ...'
 * Returns the unit texts as written (parse-plan.ts resolves them) and the time phrase if labelled.
 * All searches run on the folded text, whose indices are those of the original.
 */
export interface InlineAssignment {
  leadText: string;
  coordinatingText: string;
  /** Value of a 'Thời gian/Thời hạn:' label; empty when the deadline is inside the prose. */
  timeText: string;
}

const LABEL =
  /(?<![\p{L}])(?:(?:co quan|don vi)\s+)?(chu tri|thuc hien|phoi hop)\s*:|(?<![\p{L}])(?:thoi gian|thoi han)(?:\s+(?:hoan thanh|thuc hien))?\s*:/gu;
// Where a list of units stops and the sentence goes on: a verb that opens the duty itself.
const UNITS_END =
  /(?<!cac)\s(?:de|thuc hien|to chuc|xay dung|trien khai|tham muu|tham dinh|huong dan|kiem tra|tuyen truyen|ra soat|bao cao|theo doi|don doc|hoan thanh|cung cap|tong hop|chiu trach nhiem|chu dong|nham|trong|van dong|lap|bo tri|ho tro|giup|cung|tiep nhan|danh gia|du toan)(?![\p{L}])/u;
const VALUE_END = /[;\n()]|\.(?=\s|$)/u;

function valueAt(text: string, folded: string, from: number, limit: number): string {
  const window = folded.slice(from, limit);
  const stop = window.search(VALUE_END);
  return text.slice(from, from + (stop >= 0 ? stop : window.length)).trim().replace(/[,.]+$/u, '').trim();
}

/** 'Phòng Nội vụ, Huyện đoàn tổ chức lớp ...' → 'Phòng Nội vụ, Huyện đoàn'. */
export function cutUnits(text: string): string {
  const hit = UNITS_END.exec(foldForSearch(text));
  return (hit ? text.slice(0, hit.index) : text).trim().replace(/[,.]+$/u, '').trim();
}

/** Labelled assignments: 'Chủ trì: ...; Phối hợp: ...; Thời gian: ...'. */
function labelled(text: string, folded: string): InlineAssignment | null {
  const hits = [...folded.matchAll(LABEL)];
  if (hits.length === 0) return null;
  const result: InlineAssignment = { leadText: '', coordinatingText: '', timeText: '' };
  hits.forEach((hit, i) => {
    const start = (hit.index ?? 0) + hit[0].length;
    const limit = i + 1 < hits.length ? (hits[i + 1].index ?? folded.length) : folded.length;
    const value = valueAt(text, folded, start, limit);
    if (hit[1] === 'phoi hop') result.coordinatingText ||= value;
    else if (hit[1] === 'chu tri' || hit[1] === 'thuc hien') result.leadText ||= value;
    else result.timeText ||= value;
  });
  return result.leadText !== '' ? result : null;
}

/** 'Giao X chủ trì, phối hợp với Y ...' or a sentence opening with 'X chủ trì, phối hợp với Y'. */
function prose(text: string, folded: string): InlineAssignment | null {
  const giao = /(?<![\p{L}])giao\s+(?:cho\s+)?/u.exec(folded);
  let leadStart: number;
  if (giao) leadStart = giao.index + giao[0].length;
  else if (startsUnitName(text)) leadStart = 0;
  else return null;
  const verb = /\s(?:chu tri|lam dau moi|thuc hien|tham muu|chiu trach nhiem|phoi hop|trien khai|to chuc|xay dung|huong dan)(?![\p{L}])/u;
  const window = folded.slice(leadStart, leadStart + 200);
  const hit = verb.exec(window);
  if (!hit) return null;
  const lead = text.slice(leadStart, leadStart + hit.index).trim().replace(/[,:]+$/u, '');
  // Without 'Giao', only 'X chủ trì' assigns: 'Phòng Y tế tổ chức ...' may merely describe.
  if (lead === '' || lead.length > 150 || /[;.]/u.test(lead) || !startsUnitName(lead) || (!giao && !/^\s(?:chu tri|lam dau moi)/u.test(hit[0]))) return null;
  const after = leadStart + hit.index + hit[0].length;
  const partner = /^[\s,]*(?:(?:chu tri|thuc hien)[\s,]+)?(?:va\s+)?phoi hop(?:\s+chat che)?(?:\s+voi)?\s+/u.exec(folded.slice(after, after + 80));
  let coordinatingText = '';
  if (partner) {
    const start = after + partner[0].length;
    coordinatingText = cutUnits(valueAt(text, folded, start, folded.length));
  }
  return { leadText: lead, coordinatingText, timeText: '' };
}

export function inlineAssignment(text: string): InlineAssignment | null {
  const folded = foldForSearch(text);
  return labelled(text, folded) ?? prose(text, folded);
}
