// Build step: bundle workflows/ once so production workers load it instead of bundling at start-up.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
// Relative, not @app/observability: the tests' global setup loads this file without the alias mapping.
import { WORKFLOW_INTERCEPTOR_MODULES } from '../../libs/observability/src/workflow-interceptor-modules';

/**
 * `tracing`: with the OpenTelemetry workflow interceptors (the worker runs this bundle when tracing is on). They
 * cost about 0.6 MiB per cached workflow, because every run evaluates its modules again (docs/operations.md
 * "Worker sizing"), so the worker runs the bundle without them when tracing is off. Both replay the same
 * histories: the interceptors add no commands (test/replay runs every history against both).
 */
export async function buildWorkflowBundle(workflowsPath: string, options: { tracing?: boolean } = {}): Promise<string> {
  const tracing = options.tracing ?? true;
  const { code } = await bundleWorkflowCode({ workflowsPath, ...(tracing ? { workflowInterceptorModules: WORKFLOW_INTERCEPTOR_MODULES } : {}), logger: quietLogger });
  return code;
}

/** The traced bundle's file name next to the plain one: dist/workflow-bundle.js → dist/workflow-bundle-traced.js. */
export function tracedBundlePath(plain: string): string {
  return plain.replace(/\.js$/, '-traced.js');
}

const quietLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string) => process.stderr.write(`[bundle] ${message}\n`),
  error: (message: string) => process.stderr.write(`[bundle] ${message}\n`),
};

// Run from its source (node deploy/local/run-ts.js deploy/scripts/build-workflow-bundle.ts [out]); by default the
// bundles land where the built worker looks for them: dist/workflow-bundle.js and dist/workflow-bundle-traced.js
// (apps/worker/src/temporal-worker.service.ts).
if (require.main === module || process.argv[1] === __filename) {
  const out = resolve(process.argv[2] ?? join(__dirname, '..', '..', 'dist', 'workflow-bundle.js'));
  mkdirSync(dirname(out), { recursive: true });
  const workflows = require.resolve('../../workflows');
  Promise.all([buildWorkflowBundle(workflows, { tracing: false }), buildWorkflowBundle(workflows, { tracing: true })])
    .then(([plain, traced]) => {
      writeFileSync(out, plain);
      writeFileSync(tracedBundlePath(out), traced);
      process.stdout.write(`workflow bundles: ${out} (${Math.round(plain.length / 1024)} KiB), traced ${Math.round(traced.length / 1024)} KiB\n`);
    })
    .catch((err: unknown) => {
      process.stderr.write(`${String(err)}\n`);
      process.exit(1);
    });
}
