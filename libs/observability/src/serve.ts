import { type MetricsExporterConfig } from '@temporalio/worker';
import { type ObservabilityConfig } from '@app/config';
import { createProcessMetrics, type ProcessMetrics, registerOutboxGauges, registerSessionGauge, type SqlQueryable } from './metrics';
import { fetchText, freeLoopbackPort, type MetricsServer, startMetricsServer } from './metrics-server';

/**
 * The Temporal SDK Core's Prometheus exporter, on a loopback port of its own that only this process reads: the
 * worker's metrics port serves it appended to the Node metrics, so Prometheus scrapes one port per worker.
 * Seconds and `_total` suffixes follow Prometheus' naming conventions, as prom-client's metrics do.
 */
export async function coreMetricsExporter(): Promise<{ port: number; metrics: MetricsExporterConfig }> {
  const port = await freeLoopbackPort();
  return {
    port,
    metrics: {
      prometheus: { bindAddress: `127.0.0.1:${port}`, countersTotalSuffix: true, unitSuffix: true, useSecondsForDurations: true },
      globalTags: { service: 'dondoc-worker' },
    },
  };
}

/** The API's /metrics on METRICS_PORT (nothing when unset). `metrics` is the one createApiApp records requests into. */
export async function serveApiMetrics(config: ObservabilityConfig, metrics: ProcessMetrics, db: SqlQueryable): Promise<MetricsServer | null> {
  if (config.metrics.port === undefined) return null;
  registerOutboxGauges(metrics.registry, db, config.metrics.outboxCacheMs);
  registerSessionGauge(metrics.registry, db, config.metrics.outboxCacheMs);
  return startMetricsServer({ host: config.metrics.host, port: config.metrics.port, token: config.metrics.token, registry: metrics.registry });
}

/** The worker's /metrics on WORKER_METRICS_PORT: Node metrics, outbox gauges, then the SDK Core's scrape. */
export async function serveWorkerMetrics(config: ObservabilityConfig, db: SqlQueryable, corePort: number | null): Promise<MetricsServer | null> {
  if (config.metrics.workerPort === undefined) return null;
  const metrics = createProcessMetrics('dondoc-worker');
  registerOutboxGauges(metrics.registry, db, config.metrics.outboxCacheMs);
  return startMetricsServer({
    host: config.metrics.host,
    port: config.metrics.workerPort,
    token: config.metrics.token,
    registry: metrics.registry,
    ...(corePort !== null ? { extra: () => fetchText(`http://127.0.0.1:${corePort}/metrics`) } : {}),
  });
}
