import { compare, hash } from 'bcryptjs';
import { type DataSource } from 'typeorm';
import { type OrganisationDirectory, type Unit } from '@app/domain';
import { type UserRole } from '../entities/user.entity';

/**
 * The sample accounts' password has no default: a published one would open every demo installation.
 * `npm start` generates one per installation (or takes DONDOC_SAMPLE_PASSWORD); the tests pass their own.
 */
export const SAMPLE_PASSWORD_MIN_LENGTH = 12;

export interface SampleAccount {
  username: string;
  displayName: string;
  email: string | null;
  role: UserRole;
  unitCode: string | null;
}

/**
 * The login name stem of a unit: its code in lowercase without the first segment, which is the
 * locality prefix every unit of one directory shares ('VQ-XA-AN-SON' → 'xa-an-son'). When two units
 * would get the same stem (a directory spanning two districts), both keep their whole code.
 */
export function unitSlugs(units: readonly Unit[]): Map<string, string> {
  const short = (code: string): string => {
    const parts = code.toLowerCase().split('-');
    return parts.length > 1 ? parts.slice(1).join('-') : parts[0];
  };
  const counts = new Map<string, number>();
  for (const u of units) counts.set(short(u.code), (counts.get(short(u.code)) ?? 0) + 1);
  return new Map(units.map((u) => [u.code, counts.get(short(u.code))! > 1 ? u.code.toLowerCase() : short(u.code)]));
}

/** Every sample account for a directory: admin, coordinator, leader, and a head and officer per unit below the province. */
export function sampleAccounts(directory: OrganisationDirectory): SampleAccount[] {
  const ubnd = directory.unit('VQ-UBND');
  const ldtbxh = directory.unit('VQ-LDTBXH');
  const accounts: SampleAccount[] = [
    { username: 'admin', displayName: 'Quản trị hệ thống', email: null, role: 'admin', unitCode: null },
    {
      username: 'dieuphoi',
      displayName: `Điều phối - ${ldtbxh?.shortName ?? 'Phòng LĐTBXH-DT'}`,
      email: ldtbxh?.emails[0] ?? null,
      role: 'coordinator',
      unitCode: ldtbxh ? ldtbxh.code : null,
    },
    {
      username: 'lanhdao',
      displayName: ubnd?.head?.name ?? 'Lãnh đạo UBND huyện',
      email: ubnd?.head?.email ?? null,
      role: 'leader',
      unitCode: ubnd ? ubnd.code : null,
    },
  ];
  // The province department is outside the district: it receives reports, it does not work an inbox here.
  const units = directory.units.filter((u) => u.kind !== 'province_department');
  const slugs = unitSlugs(units);
  for (const u of units) {
    const slug = slugs.get(u.code)!;
    accounts.push(
      { username: `${slug}.truong`, displayName: u.head?.name ?? `Thủ trưởng ${u.shortName}`, email: u.head?.email ?? null, role: 'unit_head', unitCode: u.code },
      { username: `${slug}.canbo`, displayName: `Cán bộ ${u.shortName}`, email: u.emails[0] ?? null, role: 'unit_officer', unitCode: u.code },
    );
  }
  return accounts;
}

/**
 * Creates the sample accounts that do not exist yet; existing usernames are left untouched (their
 * password may have been changed). Returns the usernames created. One bcrypt hash serves all, since
 * they share the installation's sample password and ~80 hashes at cost 10 would take seconds.
 */
export async function seedSampleAccounts(ds: DataSource, directory: OrganisationDirectory, password: string): Promise<string[]> {
  if (typeof password !== 'string' || password.length < SAMPLE_PASSWORD_MIN_LENGTH) {
    throw new Error(`sample accounts need a password of at least ${SAMPLE_PASSWORD_MIN_LENGTH} characters (DONDOC_SAMPLE_PASSWORD); none was given or it is too short`);
  }
  const accounts = sampleAccounts(directory);
  const passwordHash = await hash(password, 10);
  // Five parameters per row, then the hash once as the last parameter, shared by every row.
  const hashParam = `$${accounts.length * 5 + 1}`;
  const values = accounts.map((_, i) => {
    const b = i * 5;
    return `($${b + 1}, $${b + 2}, $${b + 3}, ${hashParam}, $${b + 4}, $${b + 5}, 'vi')`;
  });
  const params = accounts.flatMap((a) => [a.username, a.displayName, a.email, a.role, a.unitCode]);
  const rows: { username: string }[] = await ds.query(
    `INSERT INTO users (username, display_name, email, password_hash, role, unit_code, locale)
     VALUES ${values.join(', ')}
     ON CONFLICT (username) DO NOTHING
     RETURNING username`,
    [...params, passwordHash],
  );
  return rows.map((r) => r.username);
}

/**
 * Installations started before the sample password was generated still have the one the README used to
 * print. Sample accounts whose hash still matches it get the installation's password instead (accounts whose
 * password was changed are untouched). The seed shared one hash, so this is about one bcrypt comparison.
 */
export async function replaceRetiredSamplePassword(ds: DataSource, directory: OrganisationDirectory, password: string): Promise<number> {
  const retired = ['Dondoc', '2024'].join('@');
  const names = sampleAccounts(directory).map((a) => a.username);
  const hashes: { password_hash: string }[] = await ds.query(`SELECT DISTINCT password_hash FROM users WHERE username = ANY($1::text[])`, [names]);
  const stale: string[] = [];
  for (const h of hashes) if (await compare(retired, h.password_hash)) stale.push(h.password_hash);
  if (stale.length === 0) return 0;
  const result: unknown = await ds.query(
    `UPDATE users SET password_hash = $1, updated_at = now() WHERE username = ANY($2::text[]) AND password_hash = ANY($3::text[]) RETURNING id`,
    [await hash(password, 10), names, stale],
  );
  // TypeORM answers an UPDATE … RETURNING as [rows, count].
  return Array.isArray(result) && typeof result[1] === 'number' ? result[1] : 0;
}
