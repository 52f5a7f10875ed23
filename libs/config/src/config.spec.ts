import { ConfigError, parseConfig, readSetting } from './config';

describe('parseConfig', () => {
  const valid = { DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/dondoc', SECRET_KEY: 'a-development-secret-key' };

  it('applies defaults and builds the typed tree', () => {
    const sut = parseConfig(valid);
    expect(sut.temporal).toEqual({ address: '127.0.0.1:7233', namespace: 'default', taskQueue: 'dondoc-assignments' });
    expect(sut.http.port).toBe(3000);
    expect(sut.database.url).toBe(valid.DATABASE_URL);
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'mysql://x/y'],
    ['TEMPORAL_ADDRESS', 'no-port'],
    ['SMTP_URL', 'http://mail'],
    ['PUBLIC_URL', 'not a url'],
  ])('names %s when its value %p is bad', (variable, value) => {
    try {
      parseConfig({ ...valid, [variable]: value });
      throw new Error('expected a ConfigError');
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).problems.map((p) => p.variable)).toEqual([variable]);
    }
  });

  it('requires DATABASE_URL', () => {
    expect(() => parseConfig({})).toThrow(ConfigError);
  });

  it('treats empty strings as unset', () => {
    expect(parseConfig({ ...valid, PORT: '' }).http.port).toBe(3000);
  });

  it('has no default SECRET_KEY: required outside tests, random per process in tests', () => {
    const { SECRET_KEY: _omit, ...withoutKey } = valid;
    expect(() => parseConfig(withoutKey)).toThrow(/SECRET_KEY/);
    const a = parseConfig({ ...withoutKey, NODE_ENV: 'test' }).secretKey;
    const b = parseConfig({ ...withoutKey, NODE_ENV: 'test' }).secretKey;
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(a).not.toBe(b);
    // A tool that signs nothing may go without one, except in production.
    expect(parseConfig(withoutKey, { requireSecret: false }).secretKey).toMatch(/^[0-9a-f]{64}$/);
    expect(() => parseConfig({ ...withoutKey, NODE_ENV: 'production', PUBLIC_URL: 'https://x.vn' }, { requireSecret: false })).toThrow(/SECRET_KEY/);
  });

  describe('production mode', () => {
    const prod = { ...valid, NODE_ENV: 'production', SECRET_KEY: 'x'.repeat(32), PUBLIC_URL: 'https://dondoc.vanquan.gov.vn' };

    it('starts with a long secret, an https address, no sample data and no demo mailbox', () => {
      expect(parseConfig(prod).env).toBe('production');
    });

    it.each([
      ['SECRET_KEY', { SECRET_KEY: undefined }],
      ['SECRET_KEY', { SECRET_KEY: 'only-twenty-chars-ok' }],
      ['DONDOC_SAMPLE_DATA', { DONDOC_SAMPLE_DATA: 'true' }],
      ['PUBLIC_URL', { PUBLIC_URL: 'http://dondoc.vanquan.gov.vn' }],
      ['CAUGHT_MAIL_DIR', { CAUGHT_MAIL_DIR: '/tmp/mail' }],
    ])('refuses and names %s', (variable, change) => {
      try {
        parseConfig({ ...prod, ...change });
        throw new Error('expected a ConfigError');
      } catch (err) {
        expect(err).toBeInstanceOf(ConfigError);
        expect((err as ConfigError).problems.map((p) => p.variable)).toEqual([variable]);
      }
    });

    it('names every refusal at once', () => {
      const err = (() => {
        try {
          parseConfig({ ...valid, NODE_ENV: 'production', SECRET_KEY: 'short-secret-key-16', DONDOC_SAMPLE_DATA: 'true', CAUGHT_MAIL_DIR: 'x' });
        } catch (e) {
          return e as ConfigError;
        }
        throw new Error('expected a ConfigError');
      })();
      expect(err.problems.map((p) => p.variable).sort()).toEqual(['CAUGHT_MAIL_DIR', 'DONDOC_SAMPLE_DATA', 'PUBLIC_URL', 'SECRET_KEY']);
    });
  });

  it('reads rate limits as count/seconds', () => {
    expect(parseConfig({ ...valid, RATE_LIMIT_IMPORT_USER: '3/60' }).rateLimits.importUser).toEqual({ count: 3, windowMs: 60_000 });
    expect(() => parseConfig({ ...valid, RATE_LIMIT_IMPORT_USER: 'lots' })).toThrow(/RATE_LIMIT_IMPORT_USER/);
  });

  it('reads the web build directory and the sample password as settings, refusing a short password', () => {
    const sut = parseConfig({ ...valid, WEB_DIST_DIR: '/srv/dondoc/web', DONDOC_SAMPLE_PASSWORD: 'long-enough-pass' });
    expect(sut.web.distDir).toBe('/srv/dondoc/web');
    expect(sut.sampleData.password).toBe('long-enough-pass');
    expect(parseConfig(valid).web.distDir).toBeUndefined();
    expect(() => parseConfig({ ...valid, DONDOC_SAMPLE_PASSWORD: 'short' })).toThrow(/DONDOC_SAMPLE_PASSWORD/);
  });
});

describe('readSetting', () => {
  it('validates one variable without needing the rest of the configuration', () => {
    expect(readSetting({ PLAN_MAX_BYTES: '2048' }, 'PLAN_MAX_BYTES')).toBe(2048);
    expect(readSetting({}, 'PLAN_MAX_BYTES')).toBe(5 * 1024 * 1024);
    expect(readSetting({ PLAN_MAX_BYTES: '' }, 'PLAN_MAX_BYTES')).toBe(5 * 1024 * 1024);
  });

  it('names the variable when its value is bad', () => {
    try {
      readSetting({ PLAN_MAX_BYTES: 'lots' }, 'PLAN_MAX_BYTES');
      throw new Error('expected a ConfigError');
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).problems.map((p) => p.variable)).toEqual(['PLAN_MAX_BYTES']);
    }
  });
});
