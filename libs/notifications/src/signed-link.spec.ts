import { signedLink, verifySignedLink } from './signed-link';

const secret = 'a-very-long-test-secret';
const now = new Date('2024-05-01T00:00:00Z');
const expiresAt = new Date('2024-05-15T00:00:00Z');

describe('signed links', () => {
  const sut = signedLink({ publicUrl: 'https://dondoc.vn/', assignmentId: 'asg:45:V.3:XA_AN_SON:2024', secret, expiresAt, subject: 'anson@vanquan.gov.vn' });

  it('builds publicUrl/a/<id>?exp&sig and verifies it, from the full URL or its path', () => {
    expect(sut.startsWith('https://dondoc.vn/a/asg%3A45%3AV.3%3AXA_AN_SON%3A2024?exp=1715731200&sub=')).toBe(true);
    const expected = { ok: true, assignmentId: 'asg:45:V.3:XA_AN_SON:2024', expiresAt, subject: 'anson@vanquan.gov.vn' };
    expect(verifySignedLink(sut, { secret, now })).toEqual(expected);
    const url = new URL(sut);
    expect(verifySignedLink(`${url.pathname}${url.search}`, { secret, now })).toEqual(expected);
  });

  it.each([
    ['a tampered id', sut.replace('XA_AN_SON', 'XA_HUU_LE'), 'bad_signature'],
    ['a moved expiry', sut.replace('exp=1715731200', 'exp=1815731200'), 'bad_signature'],
    ['a changed subject', sut.replace('sub=anson', 'sub=other'), 'bad_signature'],
    ['a missing signature', sut.replace(/&sig=.*$/, ''), 'malformed'],
    ['another path', 'https://dondoc.vn/x/1?exp=1&sig=a', 'malformed'],
  ])('refuses %s', (_name, link, reason) => {
    expect(verifySignedLink(link, { secret, now })).toEqual({ ok: false, reason });
  });

  it('refuses another secret and an expired link', () => {
    expect(verifySignedLink(sut, { secret: 'another-long-secret-value', now })).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verifySignedLink(sut, { secret, now: expiresAt })).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuses a short secret', () => {
    expect(() => signedLink({ publicUrl: 'https://x', assignmentId: '1', secret: 'short', expiresAt })).toThrow();
  });
});
