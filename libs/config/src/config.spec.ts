import { ConfigError, parseConfig } from './config';

describe('parseConfig', () => {
  const valid = { DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/dondoc' };

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
});
