import { type ClientInterceptors } from '@temporalio/client';
import { makeWorkflowExporter, OpenTelemetryActivityInboundInterceptor, OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';
import { type WorkerOptions } from '@temporalio/worker';
import { tracingEnabled, tracingPipeline } from './tracing';

/**
 * The workflow-side tracing interceptors. They live inside every workflow bundle (the production build, the test
 * bundles, the worker's own bundling from source) whether tracing is on or not: a bundle is built once and run
 * with either setting, and workflows must replay the same under both. With tracing off their spans go to a no-op
 * processor on the worker side. They add no commands to histories (context travels in headers).
 */
export const WORKFLOW_INTERCEPTOR_MODULES: string[] = [require.resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors')];

/**
 * Client interceptors for the API's (and the worker's own) Temporal client: start, signal and Update calls get a
 * span and carry the trace context to the workflow in headers. None when tracing is off.
 */
export function temporalClientInterceptors(): ClientInterceptors | undefined {
  return tracingEnabled() ? { workflow: [new OpenTelemetryWorkflowClientInterceptor()] } : undefined;
}

/**
 * The worker's part: the activity interceptor (a span per activity, child of the workflow's span, parent of the
 * SQL spans), the sink the workflow interceptors export through, and — only when the worker bundles workflows
 * itself — the workflow interceptor modules (a pre-built bundle already contains them).
 */
export function workerTracingOptions(bundledAhead: boolean): Pick<WorkerOptions, 'interceptors' | 'sinks'> {
  const { processor, resource } = tracingPipeline();
  return {
    interceptors: {
      ...(bundledAhead ? {} : { workflowModules: WORKFLOW_INTERCEPTOR_MODULES }),
      ...(tracingEnabled() ? { activity: [(ctx) => ({ inbound: new OpenTelemetryActivityInboundInterceptor(ctx) })] } : {}),
    },
    sinks: { exporter: makeWorkflowExporter(processor, resource) },
  };
}
