import { type OrganisationDirectory } from '../../domain/src/organisation';
import { type UnitRef } from '../../domain/src/plan';
import { cleanText } from '../../domain/src/text';
import { foldForSearch } from './dates';
import { toUnitRef } from './metadata';

/**
 * Unit names in the body of a plan: lists in one table cell ('Sở Y tế, Sở GD&ĐT'), the unit that
 * opens a bullet ('- Phòng Tư pháp: ...'). Names of units outside the directory contain commas
 * ('Sở Văn hóa, Thể thao và Du lịch', 'UBND các huyện, thành phố'), so a comma only ends a name
 * when what follows starts a new one: a word that begins unit names, or a name the directory knows.
 */

// Folded first words of Vietnamese agency names. 'Tổ' is left out: 'Tổ chức ...' is a verb.
const UNIT_HEAD =
  /^(?:(?:cac|nhung) (?:so|phong|ban|nganh|co quan|don vi|xa|huyen|thon|hoi|doan the|to chuc|truong|dia phuong|thanh vien|phuong|thi tran|thanh pho|uy ban|ubnd|tinh|cap)|so|phong|ubnd|uy ban|ban(?! hanh| giao| dau)|cong an|bo chi huy|bo doi|doan(?! ket)|tinh doan|huyen doan|thanh doan|hoi(?! nghi| thi| thao| cho| dien)|lien doan|lien minh|mat tran|van phong|thanh tra|cuc|chi cuc|kho bac|bao hiem|bao [a-z]+ son|dai (?:phat thanh|pt|truyen thanh)|truong(?! hop)|benh vien|trung tam|vien (?:kiem sat|nghien cuu)|ngan hang|chi nhanh|cong ty|hdnd|tand|vksnd|toa an|co quan|don vi|dang uy|huyen uy|tinh uy|thi uy|thanh uy|cong doan|ubmttq|ttyt|thuong truc|tong cong ty|chu tich|truong thon|thon|ban quan ly|ban chi dao|hoi dong|chinh quyen)(?![\p{L}])/u;

export function startsUnitName(text: string): boolean {
  return UNIT_HEAD.test(foldForSearch(text.trim()));
}

/** Splits a list of unit names at commas, semicolons and 'và' that start a new name. */
export function splitUnitNames(text: string, directory: OrganisationDirectory): string[] {
  const names: string[] = [];
  let rest = cleanText(text).replace(/[.;:]+$/u, '');
  for (let guard = 0; rest !== '' && guard < 60; guard += 1) {
    rest = rest.replace(/^(?:[,;/+]|và\s|cùng\s|với\s|\s)+/iu, '');
    if (rest === '') break;
    const known = directory.matchAtStart(rest);
    let end = known ? known.length : 0;
    // The directory's match may take the separator after the name with it, or run past it into the
    // next name ('Phòng Tư pháp, Huyện đoàn' read as 'Phòng Tư pháp huyện'): a new name wins.
    while (end > 0 && /[\s,;]/u.test(rest[end - 1])) end -= 1;
    const inside = nextSeparator(rest, 0);
    if (inside && inside.at < end) {
      const after = rest.slice(inside.after);
      // Only when the part before the comma is a whole name: 'Các phòng, ban, ngành' stays one group.
      const whole = (directory.matchAtStart(rest.slice(0, inside.at))?.length ?? 0) >= inside.at;
      if (whole && (startsUnitName(after) || directory.matchAtStart(after) !== null)) end = inside.at;
    }
    // Extend to the next separator that is followed by the start of another name.
    for (;;) {
      const next = nextSeparator(rest, end);
      if (next === null) {
        end = rest.length;
        break;
      }
      const after = rest.slice(next.after);
      if (startsUnitName(after) || directory.matchAtStart(after) !== null) {
        end = next.at;
        break;
      }
      end = next.after;
    }
    const name = rest.slice(0, end).trim().replace(/[,;.:]+$/u, '').trim();
    if (name !== '') names.push(name);
    rest = rest.slice(end);
  }
  return names;
}

function nextSeparator(text: string, from: number): { at: number; after: number } | null {
  const re = /\s*[,;/+]\s*|\s+và\s+/gu;
  re.lastIndex = from;
  const hit = re.exec(text);
  return hit ? { at: hit.index, after: hit.index + hit[0].length } : null;
}

/** The units a body text names, resolved against the directory where possible. */
export function unitRefsIn(text: string, directory: OrganisationDirectory): { refs: UnitRef[]; unresolved: string[] } {
  const refs: UnitRef[] = [];
  const unresolved: string[] = [];
  for (const name of splitUnitNames(text, directory)) {
    const { ref, resolved } = toUnitRef(name, directory);
    if (refs.some((r) => (r.code !== null ? r.code === ref.code : r.text === ref.text))) continue;
    refs.push(ref);
    if (!resolved) unresolved.push(name);
  }
  return { refs, unresolved };
}

/**
 * 'Sở Y tế: chủ trì ...' / 'Phòng Tư pháp: ...' → the unit and its duty. The label must be short,
 * start like a unit name and hold no sentence; otherwise this is a sentence with a colon.
 */
export function unitLabel(text: string, directory: OrganisationDirectory): { label: string; body: string } | null {
  const colon = text.indexOf(':');
  if (colon <= 0 || colon > 120) return null;
  const label = text.slice(0, colon).trim();
  if (label.split(/\s+/u).length > 16 || /[.;!?]/u.test(label)) return null;
  if (!startsUnitName(label) && directory.matchAtStart(label) === null) return null;
  // 'Thời gian: ...', 'Cơ quan chủ trì: ...' are labels of a duty, not units.
  if (/(?:chu tri|phoi hop|thuc hien|thoi gian|thoi han|san pham|kinh phi|noi dung)$/u.test(foldForSearch(label))) return null;
  return { label, body: text.slice(colon + 1).trim() };
}
