import { type ClientInterceptors } from '@temporalio/client';
import {
  makeWorkflowExporter,
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
  OpenTelemetryWorkflowClientInterceptor,
} from '@temporalio/interceptors-opentelemetry';
import { type WorkerOptions } from '@temporalio/worker';
import { tracingEnabled, tracingPipeline } from './tracing';
import { WORKFLOW_INTERCEPTOR_MODULES } from './workflow-interceptor-modules';

/**
 * Client interceptors for the API's (and the worker's own) Temporal client: start, signal and Update calls get a
 * span and carry the trace context to the workflow in headers. None when tracing is off.
 */
export function temporalClientInterceptors(): ClientInterceptors | undefined {
  return tracingEnabled() ? { workflow: [new OpenTelemetryWorkflowClientInterceptor()] } : undefined;
}

/**
 * The worker's part: the activity interceptor (a span per activity, child of the workflow's span, parent of the
 * SQL spans), the sink the workflow interceptors export through, and — only when tracing is on and the worker
 * bundles workflows itself — the workflow interceptor modules (the traced pre-built bundle already contains them).
 */
export function workerTracingOptions(bundledAhead: boolean): Pick<WorkerOptions, 'interceptors' | 'sinks'> {
  const { processor, resource } = tracingPipeline();
  return {
    interceptors: {
      ...(bundledAhead || !tracingEnabled() ? {} : { workflowModules: WORKFLOW_INTERCEPTOR_MODULES }),
      // outbound: the activities' log lines carry the trace and span ids, so a log line leads to its trace.
      ...(tracingEnabled() ? { activity: [(ctx) => ({ inbound: new OpenTelemetryActivityInboundInterceptor(ctx), outbound: new OpenTelemetryActivityOutboundInterceptor(ctx) })] } : {}),
    },
    sinks: { exporter: makeWorkflowExporter(processor, resource) },
  };
}
