import { compare, hash } from 'bcryptjs';
import { z } from 'zod';

const COST = 10;

/** At least 10 characters; at most 72 bytes, because bcrypt silently ignores anything longer. */
export const passwordPolicy = z
  .string()
  .min(10, 'Mật khẩu phải có ít nhất 10 ký tự')
  .refine((p) => Buffer.byteLength(p, 'utf8') <= 72, 'Mật khẩu dài tối đa 72 byte');

export function hashPassword(password: string): Promise<string> {
  return hash(password, COST);
}

let dummyHash: Promise<string> | undefined;

/**
 * Checks a password; with no stored hash it still spends one bcrypt comparison, so the answer time
 * does not tell whether a username exists.
 */
export async function verifyPassword(password: string, storedHash: string | null): Promise<boolean> {
  if (storedHash === null) {
    dummyHash ??= hash('dondoc-no-such-user', COST);
    await compare(password, await dummyHash);
    return false;
  }
  return compare(password, storedHash);
}
