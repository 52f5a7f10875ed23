import { type TLSConfig } from '@temporalio/client';
import { type AppConfig } from '@app/config';

/** What both `Connection` (client) and `NativeConnection` (worker) take to reach the configured Temporal. */
export interface TemporalConnectionOptions {
  address: string;
  /** undefined: plain gRPC; an object: TLS, verified against `serverRootCACertificate` or the system roots. */
  tls?: TLSConfig;
  apiKey?: string;
}

/**
 * The one place the Temporal address, TLS and API key are turned into SDK options: the API, the worker, the CLI
 * and the cluster's namespace registration all connect through it, so a setting cannot work for one and not another.
 * The settings were validated (files readable, PEM parsable, key matches certificate) by parseConfig.
 */
export function temporalConnectionOptions(config: Pick<AppConfig, 'temporal'>): TemporalConnectionOptions {
  const { address, tls, apiKey } = config.temporal;
  const options: TemporalConnectionOptions = { address };
  if (tls) {
    options.tls = {
      ...(tls.serverName ? { serverNameOverride: tls.serverName } : {}),
      ...(tls.caPem ? { serverRootCACertificate: Buffer.from(tls.caPem) } : {}),
      ...(tls.certPem && tls.keyPem ? { clientCertPair: { crt: Buffer.from(tls.certPem), key: Buffer.from(tls.keyPem) } } : {}),
    };
  }
  if (apiKey) options.apiKey = apiKey;
  return options;
}

/** For logs and /health: how the connection is secured, never the key or file contents. */
export function describeTemporalConnection(config: Pick<AppConfig, 'temporal'>): string {
  const { address, namespace, tls, apiKey } = config.temporal;
  const security = !tls ? 'plain' : tls.certPem ? 'mTLS' : 'TLS';
  return `${address} namespace=${namespace} ${security}${tls?.caPem ? ' (own CA)' : ''}${apiKey ? ' api-key' : ''}`;
}

/**
 * Turns a failed connection into a message that names the setting to look at. The SDK reports TLS failures as
 * Rust/gRPC transport errors ("InvalidCertificate(UnknownIssuer)", "received fatal alert: CertificateRequired")
 * or, from the client, only as "Failed to connect before the deadline"; an operator should not need to know which.
 */
export function explainTemporalConnectionError(err: unknown, config: Pick<AppConfig, 'temporal'>): Error {
  const raw = err instanceof Error ? err.message : String(err);
  const { tls } = config.temporal;
  const hint = ((): string => {
    if (/UnknownIssuer|unknown ca|self[- ]signed|unable to get local issuer/i.test(raw))
      return tls?.caPem
        ? "the server's certificate is not signed by the CA in TEMPORAL_TLS_CA_FILE"
        : "the server's certificate is not signed by a CA this system trusts: set TEMPORAL_TLS_CA_FILE";
    if (/NotValidForName|does not match|altnames|hostname/i.test(raw))
      return "the server's certificate does not name this host: set TEMPORAL_TLS_SERVER_NAME to a name it holds";
    if (/CertificateRequired|certificate required|HandshakeFailure|bad certificate|unknown_ca|UnknownCA/i.test(raw))
      return tls?.certPem
        ? 'the server refused the client certificate in TEMPORAL_TLS_CERT_FILE (not signed by a CA it accepts, or revoked)'
        : 'the server requires a client certificate (mTLS): set TEMPORAL_TLS_CERT_FILE and TEMPORAL_TLS_KEY_FILE';
    if (/CorruptMessage|InvalidContentType|wrong version number|packet length too long|InvalidMessage/i.test(raw))
      return 'TLS is on but the server answers in plain text on this port: check TEMPORAL_ADDRESS, or set TEMPORAL_TLS=false';
    if (/ECONNREFUSED|Connection refused/i.test(raw)) return 'nothing answers at TEMPORAL_ADDRESS';
    // Which of these a closed connection shows depends on timing (the handshake races the first request).
    const closed = /BrokenPipe|broken pipe|connection ?reset|ConnectionAborted|UnexpectedEof|ECONNRESET|stream closed|connection closed|Canceled|h2 protocol|frame/i.test(raw);
    if (!tls && closed)
      return 'the server closed a plain connection: if it requires TLS set TEMPORAL_TLS=true (and TEMPORAL_TLS_CA_FILE for a private CA)';
    if (tls && !tls.certPem && closed)
      return 'the server closed the TLS connection: if it requires a client certificate (mTLS) set TEMPORAL_TLS_CERT_FILE and TEMPORAL_TLS_KEY_FILE';
    if (/deadline/i.test(raw))
      return `no answer in time: the server is down or unreachable${tls ? ', or the TLS handshake failed (see the worker log for the cause)' : ', or it requires TLS (TEMPORAL_TLS=true)'}`;
    if (/Unauthenticated|Request unauthorized|16 UNAUTHENTICATED|PermissionDenied|7 PERMISSION_DENIED/i.test(raw))
      return config.temporal.apiKey ? 'the server refused the API key (TEMPORAL_API_KEY / TEMPORAL_API_KEY_FILE) or its namespace' : 'the server requires credentials: an API key or a client certificate';
    return 'check TEMPORAL_ADDRESS and the TEMPORAL_TLS_* settings';
  })();
  const explained = new Error(`Cannot connect to Temporal at ${describeTemporalConnection(config)}: ${hint}.\n  (${raw.split('\n').join(' ')})`);
  explained.cause = err;
  return explained;
}
