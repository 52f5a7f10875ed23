import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, parseConfig } from '@app/config';
import { describeTemporalConnection, explainTemporalConnectionError, temporalConnectionOptions } from './connection-options';

/** Real PEM files made by openssl: a CA, a client certificate it signed, and an unrelated key. */
const dir = mkdtempSync(join(tmpdir(), 'dondoc-tls-spec-'));
const f = (name: string) => join(dir, name);
function openssl(...args: string[]): void {
  execFileSync('openssl', args, { stdio: 'ignore' });
}

beforeAll(() => {
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('ca.key'), '-out', f('ca.pem'), '-days', '2', '-subj', '/CN=Dondoc Test CA');
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('client.key'), '-out', f('client.csr'), '-subj', '/CN=dondoc-worker');
  openssl('x509', '-req', '-in', f('client.csr'), '-CA', f('ca.pem'), '-CAkey', f('ca.key'), '-CAcreateserial', '-out', f('client.pem'), '-days', '2');
  openssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', f('other.key'));
  writeFileSync(f('api-key'), 'secret-api-key-123\n');
  writeFileSync(f('empty'), '');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const base = { DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/dondoc', SECRET_KEY: 'a-development-secret-key' };
const production = { ...base, NODE_ENV: 'production', SECRET_KEY: 'x'.repeat(40), PUBLIC_URL: 'https://dondoc.example.vn' };

function problemsOf(env: Record<string, string>): { variable: string; message: string }[] {
  try {
    parseConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('temporalConnectionOptions', () => {
  it('is plain gRPC with no TLS setting', () => {
    expect(temporalConnectionOptions(parseConfig(base))).toEqual({ address: '127.0.0.1:7233' });
  });

  it('builds mTLS options from the files, with the server name', () => {
    const config = parseConfig({
      ...base,
      TEMPORAL_ADDRESS: 'temporal.internal:7233',
      TEMPORAL_TLS_CA_FILE: f('ca.pem'),
      TEMPORAL_TLS_CERT_FILE: f('client.pem'),
      TEMPORAL_TLS_KEY_FILE: f('client.key'),
      TEMPORAL_TLS_SERVER_NAME: 'frontend.temporal',
    });
    const options = temporalConnectionOptions(config);
    expect(options.address).toBe('temporal.internal:7233');
    expect(options.tls?.serverNameOverride).toBe('frontend.temporal');
    expect(Buffer.from(options.tls!.serverRootCACertificate!).toString()).toBe(readFileSync(f('ca.pem'), 'utf8'));
    expect(Buffer.from(options.tls!.clientCertPair!.crt).toString()).toBe(readFileSync(f('client.pem'), 'utf8'));
    expect(Buffer.from(options.tls!.clientCertPair!.key).toString()).toBe(readFileSync(f('client.key'), 'utf8'));
    expect(options.apiKey).toBeUndefined();
    expect(describeTemporalConnection(config)).toBe('temporal.internal:7233 namespace=default mTLS (own CA)');
  });

  it('turns TLS on for an API key (Temporal Cloud) and reads the key from a file, never describing it', () => {
    const config = parseConfig({ ...base, TEMPORAL_API_KEY_FILE: f('api-key'), TEMPORAL_NAMESPACE: 'dondoc.a1b2c' });
    expect(temporalConnectionOptions(config)).toEqual({ address: '127.0.0.1:7233', tls: {}, apiKey: 'secret-api-key-123' });
    expect(describeTemporalConnection(config)).not.toContain('secret');
    expect(parseConfig({ ...base, TEMPORAL_TLS: 'true' }).temporal.tls).toEqual({});
  });

  it('lets development send an API key without TLS (a local test server), but production refuses it', () => {
    expect(temporalConnectionOptions(parseConfig({ ...base, TEMPORAL_API_KEY: 'k', TEMPORAL_TLS: 'false' }))).toEqual({ address: '127.0.0.1:7233', apiKey: 'k' });
    expect(problemsOf({ ...production, TEMPORAL_API_KEY: 'k', TEMPORAL_TLS: 'false' })).toEqual([{ variable: 'TEMPORAL_TLS', message: expect.stringMatching(/only over TLS/) }]);
    expect(parseConfig({ ...production, TEMPORAL_API_KEY: 'k' }).temporal.tls).toEqual({});
  });

  it.each([
    ['a certificate file that holds no certificate', { TEMPORAL_TLS_CA_FILE: 'client.key' }, 'TEMPORAL_TLS_CA_FILE', /no PEM certificate/],
    ['a missing CA file', { TEMPORAL_TLS_CA_FILE: 'nope.pem' }, 'TEMPORAL_TLS_CA_FILE', /cannot read .*ENOENT/],
    ['a certificate where the key belongs', { TEMPORAL_TLS_CERT_FILE: 'client.pem', TEMPORAL_TLS_KEY_FILE: 'client.pem' }, 'TEMPORAL_TLS_KEY_FILE', /no PEM private key/],
    ['a key that is not the certificate’s', { TEMPORAL_TLS_CERT_FILE: 'client.pem', TEMPORAL_TLS_KEY_FILE: 'other.key' }, 'TEMPORAL_TLS_KEY_FILE', /not the private key/],
    ['a certificate without its key', { TEMPORAL_TLS_CERT_FILE: 'client.pem' }, 'TEMPORAL_TLS_KEY_FILE', /both/],
    ['a key without its certificate', { TEMPORAL_TLS_KEY_FILE: 'client.key' }, 'TEMPORAL_TLS_CERT_FILE', /both/],
    ['TLS off with TLS files', { TEMPORAL_TLS: 'false', TEMPORAL_TLS_CA_FILE: 'ca.pem' }, 'TEMPORAL_TLS', /is false/],
    ['both key and key file', { TEMPORAL_API_KEY: 'k', TEMPORAL_API_KEY_FILE: 'api-key' }, 'TEMPORAL_API_KEY_FILE', /not both/],
    ['an empty key file', { TEMPORAL_API_KEY_FILE: 'empty' }, 'TEMPORAL_API_KEY_FILE', /is empty/],
  ])('refuses %s, naming the variable', (_label, files, variable, message) => {
    const env = Object.fromEntries(Object.entries(files).map(([k, v]) => [k, k === 'TEMPORAL_TLS' ? v : f(v)]));
    expect(problemsOf({ ...base, ...env })).toEqual([{ variable, message: expect.stringMatching(message) }]);
  });
});

describe('explainTemporalConnectionError', () => {
  const mtlsConfig = () =>
    parseConfig({ ...base, TEMPORAL_TLS_CA_FILE: f('ca.pem'), TEMPORAL_TLS_CERT_FILE: f('client.pem'), TEMPORAL_TLS_KEY_FILE: f('client.key') });
  // The messages below are the ones the SDK 1.24 gave in test/integration/temporal-tls.test.ts.
  it.each([
    ['a server signed by another CA', 'mtls', 'TransportError: tonic::transport::Error(Transport, ConnectError(Custom { kind: InvalidData, error: InvalidCertificate(UnknownIssuer) }))', /not signed by the CA in TEMPORAL_TLS_CA_FILE/],
    ['a server that wants a client certificate', 'tls', 'hyper::Error(Io, Custom { kind: InvalidData, error: "received fatal alert: CertificateRequired" })', /requires a client certificate.*TEMPORAL_TLS_CERT_FILE and TEMPORAL_TLS_KEY_FILE/],
    ['a plain connection to a TLS port', 'plain', 'transport error, source: hyper::Error(Io, Custom { kind: BrokenPipe, error: "stream closed because of a broken pipe" })', /set TEMPORAL_TLS=true/],
    ['a TLS port resetting a plain connection (seen in CI)', 'plain', "Failed to call GetSystemInfo: code: 'Unknown error', message: \"transport error\", source: tonic::transport::Error(Transport, hyper::Error(Io, Kind(ConnectionReset)))", /set TEMPORAL_TLS=true/],
    ['a certificate for another host', 'mtls', 'InvalidCertificate(NotValidForName)', /TEMPORAL_TLS_SERVER_NAME/],
    ['a TLS port closing a plain connection', 'plain', 'tonic::transport::Error(Transport, hyper::Error(Canceled, "connection closed"))', /set TEMPORAL_TLS=true/],
    ['a closed TLS connection without a client certificate', 'tls', 'hyper::Error(Io, Custom { kind: BrokenPipe, error: "stream closed because of a broken pipe" })', /if it requires a client certificate \(mTLS\) set TEMPORAL_TLS_CERT_FILE/],
    ['a server that is down', 'plain', 'connect ECONNREFUSED 127.0.0.1:7233', /nothing answers at TEMPORAL_ADDRESS/],
  ])('names the setting for %s', (_label, kind, raw, hint) => {
    const config = kind === 'mtls' ? mtlsConfig() : kind === 'tls' ? parseConfig({ ...base, TEMPORAL_TLS: 'true' }) : parseConfig(base);
    const explained = explainTemporalConnectionError(new Error(raw), config);
    expect(explained.message).toMatch(/^Cannot connect to Temporal at 127\.0\.0\.1:7233 namespace=default /);
    expect(explained.message).toMatch(hint);
    expect(explained.message).toContain(raw);
  });

  it('never puts the API key in the message', () => {
    const config = parseConfig({ ...base, TEMPORAL_API_KEY: 'tuyet-mat-123' });
    expect(explainTemporalConnectionError(new Error('16 UNAUTHENTICATED: Request unauthorized'), config).message).toMatch(/refused the API key/);
    expect(explainTemporalConnectionError(new Error('x'), config).message).not.toContain('tuyet-mat-123');
  });
});
