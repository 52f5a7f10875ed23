// The workflow bundle must not contain zod: with reuseV8Context every module the workflows import is evaluated
// again for each cached workflow run, and zod was the largest share of the memory per run (docs/operations.md,
// "Memory per cached workflow"). The schemas live in libs/domain/src/*-schema.ts, which the workflows never import.
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { WORKFLOW_INTERCEPTOR_MODULES } from '../libs/observability/src/workflow-interceptor-modules';

describe('workflow bundle', () => {
  let code: string;

  beforeAll(async () => {
    // The production bundle: the same entry point and interceptor modules as deploy/scripts/build-workflow-bundle.ts.
    ({ code } = await bundleWorkflowCode({
      workflowsPath: require.resolve('.'),
      workflowInterceptorModules: WORKFLOW_INTERCEPTOR_MODULES,
      logger: new DefaultLogger('WARN'),
    }));
  }, 120_000);

  it('includes the domain modules the workflows use (so the check below looks at the right bundle)', () => {
    for (const mod of ['libs/domain/src/escalation.ts', 'libs/domain/src/calendar.ts', 'libs/domain/src/timeliness.ts']) {
      expect(code).toContain(mod);
    }
    // Packages appear under their node_modules path, which is what the zod check matches.
    expect(code).toMatch(/node_modules\/@temporalio\/workflow\//);
  });

  it('contains no zod and none of the schema modules', () => {
    expect(code).not.toMatch(/node_modules\/zod\//);
    expect(code).not.toMatch(/libs\/domain\/src\/[a-z-]*-schema\.ts/);
  });
});
