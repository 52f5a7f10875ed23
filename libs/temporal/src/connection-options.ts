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
