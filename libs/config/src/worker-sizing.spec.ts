import { ConfigError, parseConfig } from './config';

describe('worker sizing settings', () => {
  const valid = { DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/dondoc', SECRET_KEY: 'a-development-secret-key' };

  function problemsOf(env: Record<string, string>): string[] {
    try {
      parseConfig({ ...valid, ...env });
    } catch (err) {
      if (err instanceof ConfigError) return err.problems.map((p) => p.variable);
      throw err;
    }
    return [];
  }

  it('defaults to a bounded cache rather than the SDK heap-derived one', () => {
    expect(parseConfig(valid).worker).toEqual({ maxCachedWorkflows: 400, maxConcurrentWorkflowTasks: 20, maxConcurrentActivities: 40, reuseV8Context: true, pollers: 'auto', stickyTimeoutSeconds: 30 });
  });

  it('takes the sticky queue timeout in whole seconds', () => {
    expect(parseConfig({ ...valid, WORKER_STICKY_TIMEOUT_SECONDS: '60' }).worker.stickyTimeoutSeconds).toBe(60);
  });

  it('lets the SDK scale task polls by default, or fixes their maximum', () => {
    expect(parseConfig({ ...valid, WORKER_POLLERS: '16' }).worker.pollers).toBe(16);
    expect(parseConfig({ ...valid, WORKER_POLLERS: 'auto' }).worker.pollers).toBe('auto');
  });

  it('lowers the default workflow task slots to a smaller cache, and keeps them when the cache is off', () => {
    expect(parseConfig({ ...valid, WORKER_MAX_CACHED_WORKFLOWS: '8' }).worker.maxConcurrentWorkflowTasks).toBe(8);
    expect(parseConfig({ ...valid, WORKER_MAX_CACHED_WORKFLOWS: '0', WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: '50' }).worker).toMatchObject({ maxCachedWorkflows: 0, maxConcurrentWorkflowTasks: 50 });
  });

  it.each([
    [{ WORKER_MAX_CACHED_WORKFLOWS: '-1' }, 'WORKER_MAX_CACHED_WORKFLOWS'],
    [{ WORKER_MAX_CACHED_WORKFLOWS: '1' }, 'WORKER_MAX_CACHED_WORKFLOWS'],
    [{ WORKER_MAX_CACHED_WORKFLOWS: 'many' }, 'WORKER_MAX_CACHED_WORKFLOWS'],
    [{ WORKER_MAX_CACHED_WORKFLOWS: '10', WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: '11' }, 'WORKER_MAX_CONCURRENT_WORKFLOW_TASKS'],
    [{ WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: '1' }, 'WORKER_MAX_CONCURRENT_WORKFLOW_TASKS'],
    [{ WORKER_POLLERS: 'many' }, 'WORKER_POLLERS'],
    [{ WORKER_POLLERS: '1' }, 'WORKER_POLLERS'],
    [{ WORKER_MAX_CONCURRENT_ACTIVITIES: '0' }, 'WORKER_MAX_CONCURRENT_ACTIVITIES'],
    [{ WORKER_REUSE_V8_CONTEXT: 'maybe' }, 'WORKER_REUSE_V8_CONTEXT'],
    [{ WORKER_STICKY_TIMEOUT_SECONDS: '0' }, 'WORKER_STICKY_TIMEOUT_SECONDS'],
    [{ WORKER_STICKY_TIMEOUT_SECONDS: '10s' }, 'WORKER_STICKY_TIMEOUT_SECONDS'],
  ])('refuses %p naming %s', (env, variable) => {
    expect(problemsOf(env)).toEqual([variable]);
  });

  it('reads the V8 context choice', () => {
    expect(parseConfig({ ...valid, WORKER_REUSE_V8_CONTEXT: 'false' }).worker.reuseV8Context).toBe(false);
  });
});
