/**
 * The workflow-side tracing interceptors. `npm run build` makes the workflow bundle twice, with and without them
 * (dist/workflow-bundle-traced.js, dist/workflow-bundle.js); the worker runs the traced one only when tracing is
 * on, because every cached run evaluates their modules again (docs/operations.md "Worker sizing"). The test
 * bundles include them. They add no commands to histories (context travels in headers), so one history replays
 * under both bundles (test/replay).
 * No imports here: the bundle build and the tests' global setup load this file without the @app aliases.
 */
export const WORKFLOW_INTERCEPTOR_MODULES: string[] = [require.resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors')];
