import { ApiError, ApiErrorCode } from './errors';
import { clientKeyOf, requestFingerprint, scopedKey } from './idempotency';

const headers = (h: Record<string, string | string[]>) => ({ headers: h });

describe('idempotency keys', () => {
  it("takes the client's Idempotency-Key first, then nginx's request id, else none", () => {
    const nginxId = '0123456789abcdef0123456789abcdef';
    expect(clientKeyOf(headers({ 'idempotency-key': 'submit:2024-05.v1_x', 'x-request-id': nginxId }))).toBe('client:submit:2024-05.v1_x');
    expect(clientKeyOf(headers({ 'x-request-id': nginxId }))).toBe(`proxy:${nginxId}`);
    // Another shape of request id is a caller's correlation id, maybe reused: never a key.
    expect(clientKeyOf(headers({ 'x-request-id': 'b6a1c2d4-0000-4000-8000-000000000000' }))).toBeUndefined();
    expect(clientKeyOf(headers({}))).toBeUndefined();
  });

  it.each(['', 'x'.repeat(129), 'a b', 'khóa', 'a/b', 'semi;colon'])('refuses the malformed key %j with a clear 400', (bad) => {
    let thrown: unknown;
    try {
      clientKeyOf(headers({ 'idempotency-key': bad }));
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(ApiError);
    const err = thrown as ApiError;
    expect(err.code).toBe(ApiErrorCode.VALIDATION_FAILED);
    expect(err.fields?.['Idempotency-Key']?.[0]).toContain('1–128');
    expect(err.localised?.en).toContain('Idempotency-Key');
  });

  it('accepts 128 characters, and refuses a repeated header', () => {
    expect(clientKeyOf(headers({ 'idempotency-key': 'k'.repeat(128) }))).toBe(`client:${'k'.repeat(128)}`);
    expect(() => clientKeyOf(headers({ 'idempotency-key': ['a', 'b'] }))).toThrow(ApiError);
  });

  it('scopes a key to its user, method and path', () => {
    const base = scopedKey('user-1', 'POST', '/api/assignments/a/actions', 'client:k');
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    expect(scopedKey('user-1', 'post', '/api/assignments/a/actions', 'client:k')).toBe(base);
    expect(scopedKey('user-2', 'POST', '/api/assignments/a/actions', 'client:k')).not.toBe(base);
    expect(scopedKey('user-1', 'PATCH', '/api/assignments/a/actions', 'client:k')).not.toBe(base);
    expect(scopedKey('user-1', 'POST', '/api/assignments/b/actions', 'client:k')).not.toBe(base);
    // The separator keeps the parts apart: moving characters between them gives another key.
    expect(scopedKey('user-1P', 'OST', '/api/assignments/a/actions', 'client:k')).not.toBe(base);
  });

  it("fingerprints a body under the installation's secret", () => {
    const body = JSON.stringify({ password: 'correct horse battery' });
    expect(requestFingerprint('secret-a', body)).toBe(requestFingerprint('secret-a', body));
    expect(requestFingerprint('secret-b', body)).not.toBe(requestFingerprint('secret-a', body));
  });
});
