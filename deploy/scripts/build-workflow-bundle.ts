// Build step: bundle workflows/ once so production workers load it instead of bundling at start-up.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
// Relative, not @app/observability: the tests' global setup loads this file without the alias mapping.
import { WORKFLOW_INTERCEPTOR_MODULES } from '../../libs/observability/src/workflow-interceptor-modules';

export async function buildWorkflowBundle(workflowsPath: string): Promise<string> {
  // The tracing interceptors are part of every bundle, tracing on or off (libs/observability/src/temporal-tracing.ts).
  const { code } = await bundleWorkflowCode({ workflowsPath, workflowInterceptorModules: WORKFLOW_INTERCEPTOR_MODULES, logger: quietLogger });
  return code;
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
// bundle lands where the built worker looks for it: dist/workflow-bundle.js (apps/worker/src/temporal-worker.service.ts).
if (require.main === module || process.argv[1] === __filename) {
  const out = resolve(process.argv[2] ?? join(__dirname, '..', '..', 'dist', 'workflow-bundle.js'));
  mkdirSync(dirname(out), { recursive: true });
  buildWorkflowBundle(require.resolve('../../workflows'))
    .then((code) => {
      writeFileSync(out, code);
      process.stdout.write(`workflow bundle: ${out} (${Math.round(code.length / 1024)} KiB)\n`);
    })
    .catch((err: unknown) => {
      process.stderr.write(`${String(err)}\n`);
      process.exit(1);
    });
}
