// The per-installation secrets of `npm start`: the sample accounts' password and the link-signing key. Neither
// has a published default; each is generated on the first start and kept in DATA_DIR (mode 600), so a
// restart keeps the same password and the links already mailed stay valid.
import { randomBytes, randomInt } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SamplePassword {
  password: string;
  /** Where it came from, for the ready banner: printed in full only when it was just generated. */
  source: 'env' | 'file' | 'generated';
  file: string;
}

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';

/** 4 groups of 4 from a 56-letter alphabet without look-alikes: ~93 bits, readable off a terminal. */
export function generatePassword(): string {
  const groups = Array.from({ length: 4 }, () => Array.from({ length: 4 }, () => ALPHABET[randomInt(ALPHABET.length)]).join(''));
  return groups.join('-');
}

function readPrivate(file: string): string | null {
  if (!existsSync(file)) return null;
  // A file others can read is tightened rather than refused: it was ours, written by an earlier start.
  if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  const value = readFileSync(file, 'utf8').trim();
  return value === '' ? null : value;
}

function writePrivate(file: string, value: string): void {
  writeFileSync(file, `${value}\n`, { mode: 0o600, flag: 'wx' });
}

/** DONDOC_SAMPLE_PASSWORD if set, else DATA_DIR/sample-password, else a new one written there. */
export function resolveSamplePassword(dataDir: string, env: NodeJS.ProcessEnv = process.env): SamplePassword {
  const file = join(dataDir, 'sample-password');
  const given = env.DONDOC_SAMPLE_PASSWORD?.trim();
  if (given) {
    if (given.length < 12) throw new Error('DONDOC_SAMPLE_PASSWORD must be at least 12 characters');
    return { password: given, source: 'env', file };
  }
  const stored = readPrivate(file);
  if (stored) return { password: stored, source: 'file', file };
  const password = generatePassword();
  writePrivate(file, password);
  return { password, source: 'generated', file };
}

/** SECRET_KEY if set, else DATA_DIR/secret-key, else a new 256-bit key written there. */
export function resolveSecretKey(dataDir: string, env: NodeJS.ProcessEnv = process.env): string {
  if (env.SECRET_KEY) return env.SECRET_KEY;
  const file = join(dataDir, 'secret-key');
  const stored = readPrivate(file);
  if (stored) return stored;
  const key = randomBytes(32).toString('hex');
  writePrivate(file, key);
  return key;
}

/** The banner's sign-in line: the password once, when just generated; afterwards where to find it. */
export function signInBanner(p: SamplePassword): string {
  const who = 'dieuphoi (coordinator), lanhdao (leader), xa-an-son.canbo (commune officer), admin; all accounts: docs/accounts.md';
  if (p.source === 'generated') return `  Sign in:    ${who}\n  Password:   ${p.password}  (shown once; kept in ${p.file})`;
  if (p.source === 'file') return `  Sign in:    ${who}\n  Password:   in ${p.file}`;
  return `  Sign in:    ${who}\n  Password:   the one in DONDOC_SAMPLE_PASSWORD`;
}
