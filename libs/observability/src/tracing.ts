import { type IncomingMessage, type ServerResponse } from 'node:http';
import { context, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor, NoopSpanProcessor, ParentBasedSampler, type SpanProcessor, TraceIdRatioBasedSampler } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { type ObservabilityConfig } from '@app/config';
import { routeTemplate } from './metrics';

export type ServiceName = 'dondoc-api' | 'dondoc-worker';

interface Installed {
  provider: NodeTracerProvider;
  processor: SpanProcessor;
  resource: Resource;
}

let installed: Installed | null = null;

/**
 * Installs tracing for this process when an OTLP endpoint is configured; otherwise does nothing at all (no
 * provider, no instrumentation, no interceptors: the global API stays the no-op one). Call it first thing in
 * main(), before the database pool and the HTTP server exist, so that http and pg are patched when first used.
 */
export function startTracing(service: ServiceName, config: ObservabilityConfig): boolean {
  if (!config.tracing || installed) return installed !== null;
  const resource = new Resource({ [ATTR_SERVICE_NAME]: config.tracing.serviceName ?? service });
  const processor = new BatchSpanProcessor(new OTLPTraceExporter({ url: config.tracing.tracesUrl, headers: config.tracing.headers }));
  const provider = new NodeTracerProvider({
    resource,
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(config.tracing.sampleRatio) }),
    spanProcessors: [processor],
  });
  // Registers the AsyncLocalStorage context manager and the W3C trace-context propagator as globals.
  provider.register();
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new HttpInstrumentation({
        // Health probes every few seconds would drown the traces that matter; the metrics port is not traced.
        ignoreIncomingRequestHook: (req) => (req.url ?? '').startsWith('/health'),
        // No request path here goes out over HTTP/1 (Temporal is gRPC over http2, mail is SMTP); ignoring outgoing
        // requests keeps the exporter's own posts out of the traces.
        ignoreOutgoingRequestHook: () => true,
      }),
      // requireParentSpan: pool housekeeping and migrations outside any request or activity make no orphan traces.
      new PgInstrumentation({ requireParentSpan: true, enhancedDatabaseReporting: false }),
    ],
  });
  // The hooks patch a module when it is next required. The apps' entry files have already loaded http (Nest,
  // Express) by now, so require it once more here: otherwise the patch would wait for some later require.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  for (const name of ['http', 'https']) require(name);
  installed = { provider, processor, resource };
  // Best effort on a stop signal: send what is buffered now, alongside (not instead of) Nest's own shutdown.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void provider.forceFlush().catch(() => undefined));
  return true;
}

export function tracingEnabled(): boolean {
  return installed !== null;
}

/** Sends the spans still buffered; called on shutdown so the last requests' traces are not lost. */
export async function stopTracing(): Promise<void> {
  const current = installed;
  if (!current) return;
  await current.provider.forceFlush().catch(() => undefined);
  await current.provider.shutdown().catch(() => undefined);
}

/** The span processor and resource the worker's workflow-span sink exports through (worker-tracing.ts). */
export function tracingPipeline(): { processor: SpanProcessor; resource: Resource } {
  return installed ? { processor: installed.processor, resource: installed.resource } : { processor: new NoopSpanProcessor(), resource: Resource.empty() };
}

/**
 * Express middleware: names the HTTP server span after the route template (`POST /api/assignments/:id/actions`)
 * once routing has happened, as the http instrumentation alone only knows the method. Installed only with tracing.
 */
export function httpSpanNaming(): (req: IncomingMessage, res: ServerResponse, next: () => void) => void {
  return (req, res, next) => {
    const span = trace.getSpan(context.active());
    if (span) {
      const writeHead = res.writeHead;
      // writeHead runs after the handler and before the response ends (and with it the span).
      res.writeHead = function namedWriteHead(this: ServerResponse, ...args: Parameters<ServerResponse['writeHead']>) {
        const route = routeTemplate(req);
        span.updateName(`${req.method ?? 'HTTP'} ${route}`);
        span.setAttribute('http.route', route);
        return writeHead.apply(this, args);
      } as ServerResponse['writeHead'];
    }
    next();
  };
}
