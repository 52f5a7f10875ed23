import { compare, hash } from 'bcryptjs';

const COST = 10;

export { passwordPolicy } from '@app/contracts';

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
