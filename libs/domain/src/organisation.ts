import { load as loadYaml } from 'js-yaml';
import { z } from 'zod';
import { keyTokens, normaliseKey } from './text';

/**
 * The organisation directory is data (a YAML/JSON file), never code: the administrative map
 * changes (Vietnam dropped the district level in 2025) and each deployment has its own.
 */

export const UnitKindSchema = z.enum([
  'province_department',
  'district_committee',
  'district_department',
  'district_body',
  'mass_organisation',
  'commune',
  'town',
  'village',
]);
export type UnitKind = z.infer<typeof UnitKindSchema>;

const unitCode = z.string().regex(/^[A-Z0-9]+(?:-[A-Z0-9]+)*$/, 'mã đơn vị: chữ in hoa ASCII, số, dấu gạch nối');

export const PersonSchema = z.object({
  name: z.string().min(1),
  title: z.string().min(1),
  email: z.email(),
});
export type Person = z.infer<typeof PersonSchema>;

export const UnitSchema = z.object({
  code: unitCode,
  name: z.string().min(1),
  shortName: z.string().min(1),
  aliases: z.array(z.string().min(1)).default([]),
  kind: UnitKindSchema,
  parentCode: unitCode.nullable().default(null),
  /** The department that supervises this unit's work; escalation goes there first. */
  supervisorCode: unitCode.nullable().default(null),
  head: PersonSchema.optional(),
  emails: z.array(z.email()).default([]),
  locale: z.enum(['vi', 'en']).default('vi'),
});
export type Unit = z.infer<typeof UnitSchema>;

export const GroupMembersSchema = z.union([
  z.object({ codes: z.array(unitCode).min(1) }),
  z.object({
    selector: z.object({
      kinds: z.array(UnitKindSchema).min(1),
      parentCode: unitCode.optional(),
      excludeCodes: z.array(unitCode).default([]),
    }),
  }),
]);
export type GroupMembers = z.infer<typeof GroupMembersSchema>;

export const UnitGroupSchema = z.object({
  code: unitCode,
  name: z.string().min(1),
  aliases: z.array(z.string().min(1)).default([]),
  members: GroupMembersSchema,
});
export type UnitGroup = z.infer<typeof UnitGroupSchema>;

export const OrganisationFileSchema = z
  .object({
    version: z.literal(1),
    name: z.string().min(1),
    units: z.array(UnitSchema).min(1),
    groups: z.array(UnitGroupSchema).default([]),
  })
  .superRefine((file, ctx) => {
    const codes = new Set<string>();
    const all = [...file.units.map((u) => u.code), ...file.groups.map((g) => g.code)];
    all.forEach((code) => {
      if (codes.has(code)) ctx.addIssue({ code: 'custom', path: ['units'], message: `mã trùng: ${code}` });
      codes.add(code);
    });
    const unitCodes = new Set(file.units.map((u) => u.code));
    file.units.forEach((u, i) => {
      for (const field of ['parentCode', 'supervisorCode'] as const) {
        const ref = u[field];
        if (ref !== null && !unitCodes.has(ref)) {
          ctx.addIssue({ code: 'custom', path: ['units', i, field], message: `không có đơn vị ${ref}` });
        }
      }
    });
    file.groups.forEach((g, i) => {
      const refs = 'codes' in g.members ? g.members.codes : g.members.selector.excludeCodes;
      refs.forEach((ref) => {
        if (!unitCodes.has(ref)) ctx.addIssue({ code: 'custom', path: ['groups', i], message: `không có đơn vị ${ref}` });
      });
    });
  });
export type OrganisationFile = z.infer<typeof OrganisationFileSchema>;

export type UnitMatch =
  | { kind: 'unit'; code: string; unit: Unit; confidence: number }
  | { kind: 'group'; code: string; group: UnitGroup; confidence: number };

export interface ResolveOptions {
  /** Below this the matcher answers null rather than guess. */
  minConfidence?: number;
}

/**
 * Abbreviations of Vietnamese administrative writing, as normalised tokens. Applied to both the
 * directory's names and the text being matched, so 'UBND' and 'Ủy ban nhân dân' meet in the middle.
 */
const ABBREVIATIONS: ReadonlyArray<readonly [string, string]> = [
  ['ldtbxhdt', 'lao dong thuong binh xa hoi dan toc'],
  ['ldtbxh dt', 'lao dong thuong binh xa hoi dan toc'],
  ['ldtbxh', 'lao dong thuong binh xa hoi'],
  ['ubmttq', 'uy ban mat tran to quoc'],
  ['mttq', 'mat tran to quoc'],
  ['ubnd', 'uy ban nhan dan'],
  ['hdnd', 'hoi dong nhan dan'],
  ['ptnt', 'phat trien nong thon'],
  ['tc kh', 'tai chinh ke hoach'],
  ['tckh', 'tai chinh ke hoach'],
  ['kt ht', 'kinh te ha tang'],
  ['kthh', 'kinh te ha tang'],
  ['tn mt', 'tai nguyen moi truong'],
  ['tnmt', 'tai nguyen moi truong'],
  ['gd dt', 'giao duc dao tao'],
  ['gddt', 'giao duc dao tao'],
  ['vh tt', 'van hoa thong tin'],
  ['vhtt', 'van hoa thong tin'],
  ['vh tt tt', 'van hoa the thao truyen thong'],
  ['lhpn', 'lien hiep phu nu'],
  ['tncs', 'thanh nien cong san'],
];

/** Words that differ between writings of one name without changing it. */
const FILLER_TOKENS = new Set(['va', 'cua', 'thuc', 'hien']);

function expandAbbreviations(tokens: string[]): string[] {
  const rules = [...ABBREVIATIONS]
    .map(([from, to]) => [keyTokens(from), keyTokens(to)] as const)
    .sort((a, b) => b[0].length - a[0].length);
  const out: string[] = [];
  let i = 0;
  while (i < tokens.length) {
    const rule = rules.find(([from]) => from.every((t, k) => tokens[i + k] === t));
    if (rule) {
      out.push(...rule[1]);
      i += rule[0].length;
    } else {
      out.push(tokens[i]);
      i += 1;
    }
  }
  return out;
}

/** The comparable form of a unit name: folded, expanded, filler words dropped. */
export function unitNameKey(text: string): string {
  const tokens = expandAbbreviations(keyTokens(normaliseKey(text)));
  return tokens.filter((t) => !FILLER_TOKENS.has(t)).join(' ');
}

/** Generic words that a plan may add or omit around a unit's proper name. */
const GENERIC_PREFIXES = ['phong', 'ban', 'uy ban nhan dan', 'co quan', 'don vi'];
const GENERIC_SUFFIXES = ['huyen van quan', 'huyen', 'tinh lang son', 'cap huyen'];

function coreKey(key: string): string {
  let out = ` ${key} `;
  for (const suffix of GENERIC_SUFFIXES) {
    if (out.endsWith(` ${suffix} `) && out.trim() !== suffix) out = out.slice(0, -suffix.length - 1);
  }
  for (const prefix of GENERIC_PREFIXES) {
    if (out.startsWith(` ${prefix} `) && out.trim() !== prefix) out = out.slice(prefix.length + 1);
  }
  return out.trim();
}

function diceSimilarity(a: string[], b: string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  const setB = new Set(b);
  const common = new Set(a.filter((t) => setB.has(t))).size;
  return (2 * common) / (new Set(a).size + setB.size);
}

type Entry = { match: Omit<UnitMatch, 'confidence'>; key: string; core: string };

export class OrganisationDirectory {
  private readonly unitsByCode: Map<string, Unit>;
  private readonly groupsByCode: Map<string, UnitGroup>;
  private readonly entries: Entry[];

  constructor(readonly file: OrganisationFile) {
    this.unitsByCode = new Map(file.units.map((u) => [u.code, u]));
    this.groupsByCode = new Map(file.groups.map((g) => [g.code, g]));
    this.entries = [
      ...file.units.flatMap((unit) =>
        [unit.name, unit.shortName, ...unit.aliases].map((name) => ({
          match: { kind: 'unit' as const, code: unit.code, unit },
          name,
        })),
      ),
      ...file.groups.flatMap((group) =>
        [group.name, ...group.aliases].map((name) => ({ match: { kind: 'group' as const, code: group.code, group }, name })),
      ),
    ].map(({ match, name }) => {
      const key = unitNameKey(name);
      return { match, key, core: coreKey(key) };
    });
  }

  get units(): readonly Unit[] {
    return this.file.units;
  }

  get groups(): readonly UnitGroup[] {
    return this.file.groups;
  }

  unit(code: string): Unit | undefined {
    return this.unitsByCode.get(code);
  }

  group(code: string): UnitGroup | undefined {
    return this.groupsByCode.get(code);
  }

  /**
   * Finds the unit or group a phrase names. Exact (after normalisation) beats a match without
   * generic words ('Phòng', 'huyện'), which beats token overlap; ties between different codes at
   * the top score are ambiguous and answer null, because a wrong assignee is worse than none.
   */
  resolveUnitRef(text: string, options: ResolveOptions = {}): UnitMatch | null {
    const minConfidence = options.minConfidence ?? 0.75;
    const key = unitNameKey(text.replace(/[:.;]+\s*$/u, ''));
    if (key === '') return null;
    const core = coreKey(key);
    const tokens = keyTokens(key);
    let best: { entry: Entry; score: number } | null = null;
    let tie = false;
    for (const entry of this.entries) {
      const score =
        entry.key === key
          ? 1
          : entry.core === core || entry.key === core || entry.core === key
            ? 0.95
            : 0.85 * diceSimilarity(tokens, keyTokens(entry.key));
      if (best === null || score > best.score) {
        best = { entry, score };
        tie = false;
      } else if (score === best.score && entry.match.code !== best.entry.match.code) {
        tie = true;
      }
    }
    if (best === null || tie || best.score < minConfidence) return null;
    return { ...best.entry.match, confidence: Math.round(best.score * 100) / 100 } as UnitMatch;
  }

  /**
   * Finds the longest run of leading words of `text` that names a unit or group exactly enough
   * (names contain commas, so a plan's sentence cannot be split on punctuation first).
   */
  matchAtStart(text: string, maxWords = 16): { match: UnitMatch; length: number } | null {
    const words = [...text.matchAll(/\S+/gu)];
    for (let n = Math.min(words.length, maxWords); n >= 1; n -= 1) {
      const last = words[n - 1];
      // 'các phòng, ban, ngành liên quan và' names the same group as without 'và': stop before it.
      if (FILLER_TOKENS.has(normaliseKey(last[0]))) continue;
      const end = (last.index ?? 0) + last[0].length;
      const candidate = text.slice(0, end);
      const match = this.resolveUnitRef(candidate, { minConfidence: 0.95 });
      if (match) return { match, length: end };
    }
    return null;
  }

  /** Unit codes of a group, in directory order; an unknown group has no members. */
  resolveGroupMembers(groupCode: string): string[] {
    const group = this.groupsByCode.get(groupCode);
    if (!group) return [];
    if ('codes' in group.members) return [...group.members.codes];
    const { kinds, parentCode, excludeCodes } = group.members.selector;
    return this.file.units
      .filter((u) => kinds.includes(u.kind))
      .filter((u) => parentCode === undefined || u.parentCode === parentCode)
      .filter((u) => !excludeCodes.includes(u.code))
      .map((u) => u.code);
  }
}

export class OrganisationFileError extends Error {
  constructor(
    message: string,
    readonly issues: readonly string[],
  ) {
    super(message);
    this.name = 'OrganisationFileError';
  }
}

/** Parses a directory from YAML or JSON text (JSON is YAML). */
export function loadOrganisationDirectory(text: string): OrganisationDirectory {
  let raw: unknown;
  try {
    raw = loadYaml(text);
  } catch (error) {
    throw new OrganisationFileError('Tệp danh mục đơn vị không đọc được', [String(error)]);
  }
  const parsed = OrganisationFileSchema.safeParse(raw);
  if (!parsed.success) {
    throw new OrganisationFileError(
      'Tệp danh mục đơn vị không hợp lệ',
      parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
    );
  }
  return new OrganisationDirectory(parsed.data);
}
