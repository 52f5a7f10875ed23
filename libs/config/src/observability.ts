import { isIP } from 'node:net';
import { z } from 'zod';
import { ConfigError } from './config';

const port = z.coerce.number().int().min(0).max(65535);

/**
 * Metrics and tracing settings (docs/observability.md). Read on their own, before the rest of the configuration,
 * because tracing has to be installed before the modules it instruments (http, pg) are first used.
 */
export const observabilitySchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  /** The API's Prometheus endpoint: a port of its own, never the public one (unset: no metrics server). */
  METRICS_PORT: port.optional(),
  /** Loopback by default: only Prometheus on the same host (or in the same pod) can scrape. */
  METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  /** Bearer token the metrics port requires; mandatory in production when METRICS_HOST is not loopback. */
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** The worker's Prometheus endpoint (Node metrics, outbox gauges and the Temporal SDK Core's worker metrics). */
  WORKER_METRICS_PORT: port.optional(),
  /** How long the outbox gauges' database answer is reused between scrapes. */
  METRICS_OUTBOX_CACHE_MS: z.coerce.number().int().min(0).max(600_000).default(5_000),
  /** Standard OpenTelemetry variables: tracing is on only when one of the endpoints is set. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
  OTEL_EXPORTER_OTLP_HEADERS: z.string().optional(),
  OTEL_SERVICE_NAME: z.string().min(1).optional(),
  /** Fraction of new traces kept (parent-based: a request already sampled upstream stays sampled). */
  OTEL_TRACES_SAMPLER_ARG: z.coerce.number().min(0).max(1).default(1),
});

export interface ObservabilityConfig {
  metrics: { port?: number; host: string; token?: string; workerPort?: number; outboxCacheMs: number };
  /** null: tracing off (nothing installed, no cost). */
  tracing: { tracesUrl: string; headers: Record<string, string>; serviceName?: string; sampleRatio: number } | null;
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));
}

/** `k1=v1,k2=v2` as the OpenTelemetry specification writes OTLP headers (values URL-encoded). */
function parseHeaders(raw: string | undefined, problems: { variable: string; message: string }[]): Record<string, string> {
  const headers: Record<string, string> = {};
  if (!raw) return headers;
  for (const part of raw.split(',')) {
    const eq = part.indexOf('=');
    const key = eq > 0 ? part.slice(0, eq).trim() : '';
    if (!key) {
      problems.push({ variable: 'OTEL_EXPORTER_OTLP_HEADERS', message: 'expected key=value pairs separated by commas' });
      return {};
    }
    try {
      headers[key] = decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      problems.push({ variable: 'OTEL_EXPORTER_OTLP_HEADERS', message: `the value of ${key} is not URL-encoded correctly` });
      return {};
    }
  }
  return headers;
}

export function parseObservabilityConfig(source: Record<string, string | undefined>): ObservabilityConfig {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = observabilitySchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue: z.core.$ZodIssue) => ({ variable: String(issue.path[0] ?? '(root)'), message: issue.message })));
  }
  const e = parsed.data;
  const problems: { variable: string; message: string }[] = [];
  // A metrics port open beyond the machine without a token would publish queue sizes and route timings to anyone.
  if (e.NODE_ENV === 'production' && !isLoopback(e.METRICS_HOST) && !e.METRICS_TOKEN && (e.METRICS_PORT !== undefined || e.WORKER_METRICS_PORT !== undefined))
    problems.push({ variable: 'METRICS_TOKEN', message: `required in production when METRICS_HOST (${e.METRICS_HOST}) is not a loopback address` });
  const headers = parseHeaders(e.OTEL_EXPORTER_OTLP_HEADERS, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  // The per-signal variable is used as given; the general one gets the signal's path, as the specification says.
  const tracesUrl = e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? (e.OTEL_EXPORTER_OTLP_ENDPOINT ? `${e.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/$/, '')}/v1/traces` : undefined);
  return {
    metrics: { port: e.METRICS_PORT, host: e.METRICS_HOST, token: e.METRICS_TOKEN, workerPort: e.WORKER_METRICS_PORT, outboxCacheMs: e.METRICS_OUTBOX_CACHE_MS },
    tracing: tracesUrl ? { tracesUrl, headers, serviceName: e.OTEL_SERVICE_NAME, sampleRatio: e.OTEL_TRACES_SAMPLER_ARG } : null,
  };
}

/** As loadConfigOrExit: a bad value stops start-up with a message naming the variable. */
export function loadObservabilityConfigOrExit(source: Record<string, string | undefined> = process.env): ObservabilityConfig {
  try {
    return parseObservabilityConfig(source);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
}
