import { timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { type AddressInfo, createServer as createNetServer } from 'node:net';
import { type Registry } from 'prom-client';

export interface MetricsServerOptions {
  host: string;
  port: number;
  registry: Registry;
  /** When set, every scrape must send `Authorization: Bearer <token>`. */
  token?: string;
  /**
   * More exposition text appended after the registry's (the worker appends the Temporal SDK Core's own
   * Prometheus scrape). Its failure is reported as a comment and a gauge, never as a failed scrape: Node
   * metrics and the outbox still matter when the Core's endpoint is briefly unreachable.
   */
  extra?: () => Promise<string>;
}

export interface MetricsServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

function tokenMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(header?.startsWith('Bearer ') ? header.slice(7) : '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * A server of its own for GET /metrics, apart from the public API port: the reverse proxy never forwards to it,
 * and it listens on loopback unless told otherwise (docs/observability.md "Who can read the metrics").
 */
export async function startMetricsServer(opts: MetricsServerOptions): Promise<MetricsServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found: the metrics are at /metrics\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end('method not allowed\n');
      return;
    }
    if (opts.token && !tokenMatches(req.headers.authorization, opts.token)) {
      res.writeHead(401, { 'www-authenticate': 'Bearer realm="metrics"', 'content-type': 'text/plain; charset=utf-8' }).end('unauthorized\n');
      return;
    }
    void (async () => {
      try {
        let body = await opts.registry.metrics();
        if (opts.extra) {
          let extra: string;
          try {
            extra = await opts.extra();
            body += `\n# HELP dondoc_metrics_extra_up Whether the appended Temporal SDK Core scrape answered\n# TYPE dondoc_metrics_extra_up gauge\ndondoc_metrics_extra_up 1\n${extra}`;
          } catch (err) {
            body += `\n# extra scrape failed: ${String(err instanceof Error ? err.message : err).replace(/\n/g, ' ')}\n# HELP dondoc_metrics_extra_up Whether the appended Temporal SDK Core scrape answered\n# TYPE dondoc_metrics_extra_up gauge\ndondoc_metrics_extra_up 0\n`;
          }
        }
        res.writeHead(200, { 'content-type': opts.registry.contentType, 'cache-control': 'no-store' });
        res.end(req.method === 'HEAD' ? undefined : body);
      } catch (err) {
        // The outbox query failed (database down): say so with a 500 rather than publish stale numbers as current.
        res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end(`metrics collection failed: ${err instanceof Error ? err.message : String(err)}\n`);
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // A scrape in progress must not hold the process open at shutdown.
  server.unref();
  const port = (server.address() as AddressInfo).port;
  const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  return {
    url: `http://${host}:${port}/metrics`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port free on loopback right now (for the SDK Core's internal Prometheus endpoint, which takes a fixed address). */
export async function freeLoopbackPort(): Promise<number> {
  const probe = createNetServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** Reads the SDK Core's scrape; a short timeout keeps our own scrape from hanging on it. */
export async function fetchText(url: string, timeoutMs = 2000): Promise<string> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  if (!res.ok) throw new Error(`${url} answered ${res.status}`);
  return res.text();
}
