import { redactUrl } from './index';

describe('redactUrl', () => {
  it('drops the query of signed links, which carries the recipient and the signature', () => {
    expect(redactUrl('/a/asg%3Ax?exp=1&sub=a%40b.vn&sig=abc')).toBe('/a/asg%3Ax?[Redacted]');
  });
  it('keeps other URLs as they are', () => {
    expect(redactUrl('/api/plans?page=2')).toBe('/api/plans?page=2');
    expect(redactUrl('/a/asg%3Ax')).toBe('/a/asg%3Ax');
    expect(redactUrl('/api/a/b?x=1')).toBe('/api/a/b?x=1');
  });
});
