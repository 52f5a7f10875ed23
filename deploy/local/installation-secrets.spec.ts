import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generatePassword, resolveSamplePassword, resolveSecretKey, signInBanner } from './installation-secrets';

describe('installation secrets of npm start', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dondoc-secrets-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('generates the sample password once, keeps it (mode 600) and prints it only the first time', () => {
    const first = resolveSamplePassword(dir, {});
    expect(first.source).toBe('generated');
    expect(first.password).toMatch(/^[A-Za-z2-9]{4}(-[A-Za-z2-9]{4}){3}$/);
    expect(statSync(join(dir, 'sample-password')).mode & 0o777).toBe(0o600);
    expect(signInBanner(first)).toContain(first.password);

    const again = resolveSamplePassword(dir, {});
    expect(again).toMatchObject({ source: 'file', password: first.password });
    expect(signInBanner(again)).not.toContain(first.password);
    expect(signInBanner(again)).toContain(join(dir, 'sample-password'));
  });

  it('takes DONDOC_SAMPLE_PASSWORD when set, and refuses a short one', () => {
    expect(resolveSamplePassword(dir, { DONDOC_SAMPLE_PASSWORD: 'chosen-by-installer' })).toMatchObject({ source: 'env', password: 'chosen-by-installer' });
    expect(() => resolveSamplePassword(dir, { DONDOC_SAMPLE_PASSWORD: 'short' })).toThrow(/at least 12/);
  });

  it('tightens a stored file that others could read', () => {
    writeFileSync(join(dir, 'sample-password'), 'stored-password-123\n', { mode: 0o644 });
    expect(resolveSamplePassword(dir, {}).password).toBe('stored-password-123');
    expect(statSync(join(dir, 'sample-password')).mode & 0o777).toBe(0o600);
  });

  it('generates a 256-bit signing key once, unless SECRET_KEY is set', () => {
    const key = resolveSecretKey(dir, {});
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(resolveSecretKey(dir, {})).toBe(key);
    expect(readFileSync(join(dir, 'secret-key'), 'utf8').trim()).toBe(key);
    expect(resolveSecretKey(dir, { SECRET_KEY: 'given-key-0123456789' })).toBe('given-key-0123456789');
  });

  it('never generates the same password twice', () => {
    expect(new Set(Array.from({ length: 50 }, generatePassword)).size).toBe(50);
  });
});
