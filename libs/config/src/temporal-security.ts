import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { type Env } from './env.schema';

/**
 * How the processes reach Temporal beyond host:port: TLS (server CA, client certificate for mTLS, server name)
 * and an API key (Temporal Cloud). The PEM files are read and checked once at start, so a wrong path or a
 * certificate pasted into the key variable stops the process with a message naming the variable instead of a
 * gRPC handshake error minutes later (docs/deployment.md).
 */
export interface TemporalSecurity {
  /** Absent: plain gRPC. Present (even empty): TLS, verified against the system roots unless `caPem` is set. */
  tls?: { caPem?: string; certPem?: string; keyPem?: string; serverName?: string };
  /** Sent as `Authorization: Bearer …`; never logged. */
  apiKey?: string;
}

type Problem = { variable: string; message: string };

function readPem(variable: string, path: string, problems: Problem[]): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    problems.push({ variable, message: `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}` });
    return undefined;
  }
}

/** Checked with node:crypto, so "contains the right header" also means "parses". */
function checkCertificate(variable: string, path: string, pem: string, problems: Problem[]): X509Certificate | undefined {
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
    problems.push({ variable, message: `${path} holds no PEM certificate (-----BEGIN CERTIFICATE-----)` });
    return undefined;
  }
  try {
    return new X509Certificate(pem);
  } catch (err) {
    problems.push({ variable, message: `${path} is not a valid certificate: ${(err as Error).message}` });
    return undefined;
  }
}

function checkPrivateKey(variable: string, path: string, pem: string, problems: Problem[]): ReturnType<typeof createPrivateKey> | undefined {
  if (/-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type: 4,ENCRYPTED/.test(pem)) {
    // The SDK takes the key as bytes and has no passphrase option.
    problems.push({ variable, message: `${path} is encrypted; give an unencrypted key (file readable only by the service)` });
    return undefined;
  }
  if (!/-----BEGIN (RSA |EC )?PRIVATE KEY-----/.test(pem)) {
    problems.push({ variable, message: `${path} holds no PEM private key (-----BEGIN PRIVATE KEY-----)` });
    return undefined;
  }
  try {
    return createPrivateKey(pem);
  } catch (err) {
    problems.push({ variable, message: `${path} is not a valid private key: ${(err as Error).message}` });
    return undefined;
  }
}

export function parseTemporalSecurity(e: Env, problems: Problem[]): TemporalSecurity {
  const out: TemporalSecurity = {};
  const anyTlsSetting = Boolean(e.TEMPORAL_TLS_CA_FILE || e.TEMPORAL_TLS_CERT_FILE || e.TEMPORAL_TLS_KEY_FILE || e.TEMPORAL_TLS_SERVER_NAME);

  if (e.TEMPORAL_API_KEY && e.TEMPORAL_API_KEY_FILE) {
    problems.push({ variable: 'TEMPORAL_API_KEY_FILE', message: 'set TEMPORAL_API_KEY or TEMPORAL_API_KEY_FILE, not both' });
  } else if (e.TEMPORAL_API_KEY_FILE) {
    try {
      const key = readFileSync(e.TEMPORAL_API_KEY_FILE, 'utf8').trim();
      if (key) out.apiKey = key;
      else problems.push({ variable: 'TEMPORAL_API_KEY_FILE', message: `${e.TEMPORAL_API_KEY_FILE} is empty` });
    } catch (err) {
      problems.push({ variable: 'TEMPORAL_API_KEY_FILE', message: `cannot read ${e.TEMPORAL_API_KEY_FILE}: ${(err as NodeJS.ErrnoException).code ?? String(err)}` });
    }
  } else if (e.TEMPORAL_API_KEY) {
    out.apiKey = e.TEMPORAL_API_KEY.trim();
  }

  // TLS is on when asked for, or implied by a TLS file or an API key (a key sent in clear could be replayed).
  const tlsOn = e.TEMPORAL_TLS ?? (anyTlsSetting || out.apiKey !== undefined);
  if (e.TEMPORAL_TLS === false && anyTlsSetting) {
    problems.push({ variable: 'TEMPORAL_TLS', message: 'is false but TEMPORAL_TLS_* files or server name are set; remove one or the other' });
  }
  if (out.apiKey !== undefined && !tlsOn && e.NODE_ENV === 'production') {
    problems.push({ variable: 'TEMPORAL_TLS', message: 'an API key is sent only over TLS in production; set TEMPORAL_TLS=true' });
  }
  if (Boolean(e.TEMPORAL_TLS_CERT_FILE) !== Boolean(e.TEMPORAL_TLS_KEY_FILE)) {
    const missing = e.TEMPORAL_TLS_CERT_FILE ? 'TEMPORAL_TLS_KEY_FILE' : 'TEMPORAL_TLS_CERT_FILE';
    problems.push({ variable: missing, message: 'mTLS needs both TEMPORAL_TLS_CERT_FILE and TEMPORAL_TLS_KEY_FILE' });
  }
  if (!tlsOn) return out;

  const tls: NonNullable<TemporalSecurity['tls']> = {};
  if (e.TEMPORAL_TLS_SERVER_NAME) tls.serverName = e.TEMPORAL_TLS_SERVER_NAME;
  if (e.TEMPORAL_TLS_CA_FILE) {
    const pem = readPem('TEMPORAL_TLS_CA_FILE', e.TEMPORAL_TLS_CA_FILE, problems);
    if (pem !== undefined && checkCertificate('TEMPORAL_TLS_CA_FILE', e.TEMPORAL_TLS_CA_FILE, pem, problems)) tls.caPem = pem;
  }
  if (e.TEMPORAL_TLS_CERT_FILE && e.TEMPORAL_TLS_KEY_FILE) {
    const certPem = readPem('TEMPORAL_TLS_CERT_FILE', e.TEMPORAL_TLS_CERT_FILE, problems);
    const keyPem = readPem('TEMPORAL_TLS_KEY_FILE', e.TEMPORAL_TLS_KEY_FILE, problems);
    const cert = certPem !== undefined ? checkCertificate('TEMPORAL_TLS_CERT_FILE', e.TEMPORAL_TLS_CERT_FILE, certPem, problems) : undefined;
    const key = keyPem !== undefined ? checkPrivateKey('TEMPORAL_TLS_KEY_FILE', e.TEMPORAL_TLS_KEY_FILE, keyPem, problems) : undefined;
    if (cert && key && !cert.checkPrivateKey(key)) {
      problems.push({ variable: 'TEMPORAL_TLS_KEY_FILE', message: `${e.TEMPORAL_TLS_KEY_FILE} is not the private key of the certificate in TEMPORAL_TLS_CERT_FILE` });
    } else if (cert && key) {
      tls.certPem = certPem;
      tls.keyPem = keyPem;
    }
  }
  out.tls = tls;
  return out;
}
