import { ConfigError } from './config';
import { isLoopback, parseObservabilityConfig } from './observability';

describe('observability settings', () => {
  it('are all off by default: no metrics server, no tracing', () => {
    expect(parseObservabilityConfig({})).toEqual({
      metrics: { port: undefined, host: '127.0.0.1', token: undefined, workerPort: undefined, outboxCacheMs: 5000 },
      tracing: null,
    });
  });

  it('turn tracing on with the general OTLP endpoint, adding the traces path as the specification says', () => {
    const c = parseObservabilityConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/', OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=a%3Db,tenant=vq' });
    expect(c.tracing).toEqual({ tracesUrl: 'http://collector:4318/v1/traces', headers: { 'x-api-key': 'a=b', tenant: 'vq' }, serviceName: undefined, sampleRatio: 1 });
  });

  it('take the per-signal endpoint as given', () => {
    const c = parseObservabilityConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://b/otlp/traces' });
    expect(c.tracing?.tracesUrl).toBe('https://b/otlp/traces');
  });

  it('name the variable of every bad value', () => {
    const problems = (env: Record<string, string>): string[] => {
      try {
        parseObservabilityConfig(env);
      } catch (err) {
        if (err instanceof ConfigError) return err.problems.map((p) => p.variable);
        throw err;
      }
      return [];
    };
    expect(problems({ METRICS_PORT: '70000' })).toEqual(['METRICS_PORT']);
    expect(problems({ OTEL_EXPORTER_OTLP_ENDPOINT: 'grpc://x:4317' })).toEqual(['OTEL_EXPORTER_OTLP_ENDPOINT']);
    expect(problems({ OTEL_EXPORTER_OTLP_HEADERS: 'no-equals-sign' })).toEqual(['OTEL_EXPORTER_OTLP_HEADERS']);
    expect(problems({ METRICS_TOKEN: 'short' })).toEqual(['METRICS_TOKEN']);
    expect(problems({ OTEL_TRACES_SAMPLER_ARG: '2' })).toEqual(['OTEL_TRACES_SAMPLER_ARG']);
  });

  it('require a token in production when the metrics port listens beyond loopback', () => {
    const open = { NODE_ENV: 'production', METRICS_PORT: '9464', METRICS_HOST: '0.0.0.0' };
    expect(() => parseObservabilityConfig(open)).toThrow(/METRICS_TOKEN: required in production/);
    expect(parseObservabilityConfig({ ...open, METRICS_TOKEN: 'a-long-enough-token' }).metrics.token).toBe('a-long-enough-token');
    expect(parseObservabilityConfig({ NODE_ENV: 'production', WORKER_METRICS_PORT: '9465' }).metrics.host).toBe('127.0.0.1');
    // Not in development: a laptop's Prometheus in a container needs no ceremony.
    expect(parseObservabilityConfig({ ...open, NODE_ENV: 'development' }).metrics.port).toBe(9464);
  });

  it('know the loopback addresses', () => {
    expect(['127.0.0.1', '127.1.2.3', '::1', 'localhost'].every(isLoopback)).toBe(true);
    expect(['0.0.0.0', '10.0.0.5', '::', 'metrics.internal'].some(isLoopback)).toBe(false);
  });
});
