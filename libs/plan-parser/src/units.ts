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
  /^(?:(?:cac|nhung) (?:so|phong|ban|nganh|co quan|don vi|xa|huyen|thon|hoi|doan the|to chuc|truong|dia phuong|thanh vien|phuong|thi tran|thanh pho|uy ban|ubnd|tinh|cap)|so|phong|ubnd|uy ban|ban(?! hanh| giao| dau|,| nganh)|cong an|bo chi huy|bo doi|doan(?! ket| the)|tinh doan|huyen doan|thanh doan|hoi(?! nghi| thi| thao| cho| dien)|lien doan|lien minh|mat tran|van phong|thanh tra|cuc|chi cuc|kho bac|bao hiem|bao [a-z]+ son|dai (?:phat thanh|pt|truyen thanh)|truong(?! hop)|benh vien|trung tam|vien (?:kiem sat|nghien cuu)|ngan hang|chi nhanh|cong ty|hdnd|tand|vksnd|toa an|co quan|don vi|dang uy|huyen uy|tinh uy|thi uy|thanh uy|cong doan|ubmttq|ttyt|thuong truc|tong cong ty|chu tich|truong thon|thon|ban quan ly|ban chi dao|hoi dong|chinh quyen|tram|chi hoi|chi doan|chi bo|nha van hoa|cong chuc|vien chuc|can bo|bi thu|pho chu tich|buu dien|vien thong|viettel|vnpt|dien luc|to dan pho)(?![\p{L}])/u;

export function startsUnitName(text: string): boolean {
  // Only the first words matter; folding the whole rest of a long text on every probe would be quadratic.
  return UNIT_HEAD.test(foldForSearch(text.trimStart().slice(0, 60)));
}

/**
 * The directory looks at most 16 words ahead; giving it only the head keeps every probe short.
 * Its fuzzy match is the costly part of reading a table, whose rows repeat the same names: the
 * answers are remembered per directory (bounded, so a hostile document cannot grow the cache).
 */
const KNOWN = new WeakMap<OrganisationDirectory, Map<string, { length: number } | null>>();
const CACHE_LIMIT = 5000;

function knownAtStart(text: string, directory: OrganisationDirectory): { length: number } | null {
  const head = text.slice(0, 240);
  let cache = KNOWN.get(directory);
  if (!cache) KNOWN.set(directory, (cache = new Map()));
  const hit = cache.get(head);
  if (hit !== undefined) return hit;
  const found = directory.matchAtStart(head);
  const answer = found ? { length: found.length } : null;
  if (cache.size < CACHE_LIMIT) cache.set(head, answer);
  return answer;
}

/** Splits a list of unit names at commas, semicolons and 'và' that start a new name. */
export function splitUnitNames(text: string, directory: OrganisationDirectory): string[] {
  const names: string[] = [];
  let rest = cleanText(text).replace(/[.;:]+$/u, '');
  for (let guard = 0; rest !== '' && guard < 60; guard += 1) {
    rest = rest.replace(/^(?:[,;/+]|và\s|cùng\s|với\s|\s)+/iu, '');
    if (rest === '') break;
    const known = knownAtStart(rest, directory);
    let end = known ? known.length : 0;
    // The directory's match may take the separator after the name with it, or run past it into the
    // next name ('Phòng Tư pháp, Huyện đoàn' read as 'Phòng Tư pháp huyện'): a new name wins.
    while (end > 0 && /[\s,;]/u.test(rest[end - 1])) end -= 1;
    // A whole directory name followed by a separator ends there ('Huyện đoàn và Bưu điện huyện').
    if (known && end > 0) {
      const sep = nextSeparator(rest, end);
      if (sep && sep.at === end && rest.slice(sep.after) !== '') {
        names.push(rest.slice(0, end).trim());
        rest = rest.slice(end);
        continue;
      }
    }
    const inside = nextSeparator(rest, 0);
    if (inside && inside.at < end) {
      const after = rest.slice(inside.after);
      // Only when the part before the comma is a whole name: 'Các phòng, ban, ngành' stays one group.
      const whole = (knownAtStart(rest.slice(0, inside.at), directory)?.length ?? 0) >= inside.at;
      if (whole && (startsUnitName(after) || knownAtStart(after, directory) !== null)) end = inside.at;
    }
    // Extend to the next separator that is followed by the start of another name (a few dozen at most:
    // no unit name has more commas, and each probe asks the directory).
    for (let probes = 0; ; probes += 1) {
      const next = nextSeparator(rest, end);
      if (next === null || probes >= 24) {
        if (next !== null) {
          end = next.at;
          break;
        }
        end = rest.length;
        break;
      }
      // Every name the directory knows starts with one of UNIT_HEAD's words, so the cheap test suffices here.
      if (startsUnitName(rest.slice(next.after))) {
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

const LISTS = new WeakMap<OrganisationDirectory, Map<string, { refs: UnitRef[]; unresolved: string[] }>>();

/** The units a body text names, resolved against the directory where possible. */
export function unitRefsIn(text: string, directory: OrganisationDirectory): { refs: UnitRef[]; unresolved: string[] } {
  let cache = LISTS.get(directory);
  if (!cache) LISTS.set(directory, (cache = new Map()));
  const cached = cache.get(text) ?? readUnitRefs(text, directory);
  if (cache.size < CACHE_LIMIT) cache.set(text, cached);
  // Copies: the plan under construction owns its refs.
  return { refs: cached.refs.map((r) => ({ ...r })), unresolved: [...cached.unresolved] };
}

function readUnitRefs(text: string, directory: OrganisationDirectory): { refs: UnitRef[]; unresolved: string[] } {
  const refs: UnitRef[] = [];
  const unresolved: string[] = [];
  for (const written of splitUnitNames(text, directory)) {
    // 'Phòng Nội vụ tổ chức': a known name followed by lower-case words is the name and a verb.
    const known = knownAtStart(written, directory);
    const tail = known ? written.slice(known.length).trim() : '';
    const name = known && /^\p{Ll}/u.test(tail) && !/^(?:và|các|huyện|xã|tỉnh|thị trấn|thành phố)(?!\p{L})/u.test(tail) ? written.slice(0, known.length).trim() : written;
    const found = toUnitRef(name, directory);
    // 'Ủy ban MTTQ Việt Nam tỉnh' is not the district's 'Ủy ban MTTQ huyện': a name written at
    // another level than every name of the directory entry it resembles stays unresolved.
    const levelClash = found.resolved && !sameLevel(name, found.ref, directory);
    const ref = levelClash ? { ...found.ref, code: null } : found.ref;
    const resolved = found.resolved && !levelClash;
    if (refs.some((r) => (r.code !== null ? r.code === ref.code : r.text === ref.text))) continue;
    refs.push(ref);
    if (!resolved) unresolved.push(name);
  }
  return { refs, unresolved };
}

/** One unit as written ('Công an xã'), resolved like the names of a list: never to a body of another level. */
export function unitRefOf(text: string, directory: OrganisationDirectory): { ref: UnitRef; resolved: boolean } {
  const found = toUnitRef(text, directory);
  if (!found.resolved || sameLevel(text, found.ref, directory)) return found;
  return { ref: { ...found.ref, code: null }, resolved: false };
}

type Level = 'province' | 'district' | 'commune';

/** The administrative level a name states last ('... xã hội tỉnh' → province); 'xã hội' is not a commune. */
function levelOf(name: string): Level | null {
  let level: Level | null = null;
  for (const hit of foldForSearch(name).matchAll(/(?<![\p{L}])(tinh|thanh pho|huyen|quan|thi xa|xa|thi tran|phuong)(?![\p{L}])(?! hoi)/gu)) {
    level = hit[1] === 'tinh' ? 'province' : hit[1] === 'huyen' || hit[1] === 'quan' || hit[1] === 'thi xa' ? 'district' : hit[1] === 'thanh pho' ? level : 'commune';
  }
  return level;
}

function sameLevel(written: string, ref: UnitRef, directory: OrganisationDirectory): boolean {
  const level = levelOf(written);
  if (level === null || ref.code === null) return true;
  const entry = ref.kind === 'group' ? directory.group(ref.code) : directory.unit(ref.code);
  if (!entry) return true;
  const names = [entry.name, ...('shortName' in entry && entry.shortName ? [entry.shortName] : []), ...entry.aliases];
  const levels = new Set(names.map(levelOf).filter((l): l is Level => l !== null));
  // A group of communes ('UBND các xã, thị trấn') named with 'huyện' is still the district's own.
  return levels.size === 0 ? level !== 'province' : levels.has(level) || (level === 'district' && ref.kind === 'group');
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
  if (!startsUnitName(label) && knownAtStart(label, directory) === null) return null;
  // 'Thời gian: ...', 'Cơ quan chủ trì: ...' are labels of a duty, not units.
  if (/(?:chu tri|phoi hop|thuc hien|thoi gian|thoi han|san pham|kinh phi|noi dung)$/u.test(foldForSearch(label))) return null;
  return { label, body: text.slice(colon + 1).trim() };
}

// Where the units that open a sentence end and their duty begins. 'các tổ chức ...' is a name, not a verb.
const DUTY_START =
  /(?<!cac)\s(?:la|can cu|chu tri|chu dong|co trach nhiem|chiu trach nhiem|phoi hop|to chuc|huong dan|thuc hien|tham muu|xay dung|trien khai|theo doi|chi dao|bao cao|tuyen truyen|kiem tra|ra soat|day manh|tang cuong|bo tri|quan tam|tong hop|dinh ky|gui|hang quy|hang thang|hang nam)(?![\p{L}])/u;

/**
 * '2. Sở Lao động - Thương binh và Xã hội là cơ quan thường trực, ...', '3. Đề nghị Ủy ban MTTQ tỉnh và
 * các tổ chức chính trị - xã hội tỉnh phối hợp tuyên truyền ...': units named at the start of a
 * sentence, without a colon, and the duty that follows them.
 */
export function unitsThenDuty(text: string, directory: OrganisationDirectory): { units: string; duty: string } | null {
  const lead = /^(?:đề nghị|yêu cầu|giao)\s+/iu.exec(text);
  const rest = lead ? text.slice(lead[0].length) : text;
  if (!startsUnitName(rest) && knownAtStart(rest, directory) === null) return null;
  const folded = foldForSearch(rest.slice(0, 240));
  const known = knownAtStart(rest, directory);
  DUTY_START.lastIndex = 0;
  const hit = DUTY_START.exec(known ? `${' '.repeat(known.length)}${folded.slice(known.length)}` : folded);
  if (!hit || hit.index === 0) return null;
  const units = rest.slice(0, hit.index).trim().replace(/[,;:]+$/u, '');
  const duty = rest.slice(hit.index).trim().replace(/^là\s+/u, '');
  return units !== '' && duty !== '' ? { units, duty } : null;
}
