/**
 * The workflow-side tracing interceptors. They live inside every workflow bundle (the production build, the test
 * bundles, the worker's own bundling from source) whether tracing is on or not: a bundle is built once and run
 * with either setting, and workflows must replay the same under both. With tracing off their spans go to a no-op
 * processor on the worker side. They add no commands to histories (context travels in headers).
 * No imports here: the bundle build and the tests' global setup load this file without the @app aliases.
 */
export const WORKFLOW_INTERCEPTOR_MODULES: string[] = [require.resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors')];
