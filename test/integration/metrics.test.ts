// Prometheus metrics of the real API and worker processes: who may read them, request latency by route template,
// outbox depth and age from PostgreSQL, and the Temporal SDK Core's worker metrics on the worker's one port.
import { randomUUID } from 'node:crypto';
import { networkInterfaces } from 'node:os';
import { DataSource } from 'typeorm';
import { AssignmentEntity, dataSourceOptions } from '@app/persistence';
import { freePort } from '../../deploy/local/stack';
import { type AppPair, startAppPair } from '../support/app-processes';
import { TEST_SAMPLE_PASSWORD } from '../support/accounts';
import { eventually, http, login, seedSampleOrganisationAndAccounts } from '../support/harness';
import { anSonAssignmentBody } from '../support/assignment-start';

const TOKEN = `metrics-${randomUUID()}`;

/** The value of one sample line (`name{labels} value`), or undefined when the scrape has none. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(\{(.*)\})? (\S+)/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[3] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1], l[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[4]);
  }
  return undefined;
}

describe('metrics: /metrics on the API and on the worker', () => {
  let apps: AppPair;
  let ds: DataSource;
  let apiMetrics: string;
  let workerMetrics: string;
  const scrape = (url: string, token: string | null = TOKEN) => fetch(url, token ? { headers: { authorization: `Bearer ${token}` } } : {});

  beforeAll(async () => {
    ds = await new DataSource(dataSourceOptions(process.env.DONDOC_TEST_DATABASE_URL!, 2)).initialize();
    await seedSampleOrganisationAndAccounts(ds);
    const [apiPort, workerPort] = [await freePort(), await freePort()];
    apps = await startAppPair({
      // No cache on the outbox gauges, so a row written here shows in the next scrape.
      both: { METRICS_TOKEN: TOKEN, METRICS_OUTBOX_CACHE_MS: '0' },
      api: { METRICS_PORT: String(apiPort) },
      worker: { WORKER_METRICS_PORT: String(workerPort) },
    });
    apiMetrics = `http://127.0.0.1:${apiPort}/metrics`;
    workerMetrics = `http://127.0.0.1:${workerPort}/metrics`;
    // The two processes start from source (see startAppPair's own limit).
  }, 360_000);
  afterAll(async () => {
    await apps?.stop();
    await ds?.destroy();
  });

  it('are not served on the public API port', async () => {
    // The web UI's fallback may answer any GET path with its page; what matters is that no metric comes back.
    const res = await fetch(`${apps.apiUrl}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.headers.get('content-type')).not.toContain('version=0.0.4');
    const body = await res.text();
    expect(body).not.toContain('http_server_request_duration_seconds');
    expect(body).not.toContain('nodejs_heap_size_used_bytes');
    expect(body).not.toContain('dondoc_outbox');
  });

  it('refuse a scrape without the token, or with a wrong one', async () => {
    for (const url of [apiMetrics, workerMetrics]) {
      const none = await scrape(url, null);
      expect(none.status).toBe(401);
      expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(await none.text()).not.toContain('nodejs_');
      expect((await scrape(url, `${TOKEN}x`)).status).toBe(401);
      expect((await scrape(url, TOKEN.slice(0, -1))).status).toBe(401);
    }
  });

  it('listen on loopback only by default', async () => {
    const outside = Object.values(networkInterfaces())
      .flat()
      .find((a) => a && a.family === 'IPv4' && !a.internal);
    // A machine with no other interface has nothing to prove here; the listening address is still checked below.
    if (outside) {
      const port = new URL(apiMetrics).port;
      await expect(fetch(`http://${outside.address}:${port}/metrics`, { signal: AbortSignal.timeout(3000) })).rejects.toThrow();
    }
    expect((await scrape(apiMetrics)).status).toBe(200);
  });

  it('time requests by route template, method and status class, never by raw path', async () => {
    const officer = await login(apps.apiUrl, 'xa-an-son.canbo', TEST_SAMPLE_PASSWORD);
    const unknownId = `asg:${randomUUID()}:V.1:VQ-XA-AN-SON:once`;
    const missing = await http(apps.apiUrl, 'GET', `/api/assignments/${encodeURIComponent(unknownId)}`, undefined, officer.headers);
    expect(missing.status).toBe(404);
    await http(apps.apiUrl, 'GET', '/api/inbox', undefined, officer.headers);
    expect((await fetch(`${apps.apiUrl}/api/no-such-page-${randomUUID()}`)).status).toBe(404);

    const res = await scrape(apiMetrics);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = await res.text();
    expect(sample(text, 'http_server_request_duration_seconds_count', { route: '/api/assignments/:workflowId', method: 'GET', status_class: '4xx', service: 'dondoc-api' })).toBe(1);
    expect(sample(text, 'http_server_request_duration_seconds_count', { route: '/api/auth/login', method: 'POST', status_class: '2xx' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'http_server_request_duration_seconds_bucket', { route: '/api/auth/login', method: 'POST', status_class: '2xx', le: '+Inf' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'http_server_request_duration_seconds_count', { route: 'unmatched', method: 'GET', status_class: '4xx' })).toBeGreaterThanOrEqual(1);
    // Neither the id nor the unknown path became a label value.
    expect(text).not.toContain(unknownId);
    expect(text).not.toContain(encodeURIComponent(unknownId));
    expect(text).not.toContain('no-such-page');
    const [{ sessions }] = (await ds.query(`SELECT count(*)::int AS sessions FROM sessions WHERE expires_at > now() AND absolute_expires_at > now()`)) as { sessions: number }[];
    expect(sessions).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'dondoc_active_sessions', { service: 'dondoc-api' })).toBe(sessions);
    // Node's own metrics, labelled with the service.
    expect(sample(text, 'nodejs_heap_size_used_bytes', { service: 'dondoc-api' })).toBeGreaterThan(0);
    expect(sample(text, 'process_resident_memory_bytes', { service: 'dondoc-api' })).toBeGreaterThan(0);
  });

  it('report outbox depth and the age of the oldest waiting row, as PostgreSQL has them', async () => {
    const key = `metrics-test:${randomUUID()}`;
    await ds.query(
      `INSERT INTO notifications (outbox_key, step_key, kind, audience, status, created_at) VALUES ($1, 'metrics-test', 'reminder', 'assignee', 'pending', now() - interval '2 hours')`,
      [key],
    );
    try {
      const [expected] = (await ds.query(
        `SELECT count(*)::int AS n, EXTRACT(EPOCH FROM now() - min(created_at))::float8 AS age FROM notifications WHERE status = 'pending'`,
      )) as { n: number; age: number }[];
      for (const url of [apiMetrics, workerMetrics]) {
        const text = await (await scrape(url)).text();
        expect(sample(text, 'dondoc_outbox_messages', { status: 'pending' })).toBe(expected.n);
        const age = sample(text, 'dondoc_outbox_oldest_age_seconds', { status: 'pending' })!;
        expect(age).toBeGreaterThanOrEqual(7200);
        expect(age).toBeLessThan(expected.age + 60);
        expect(sample(text, 'dondoc_outbox_messages', { status: 'digest_pending' })).toBeGreaterThanOrEqual(0);
        expect(sample(text, 'dondoc_outbox_open_batches')).toBeGreaterThanOrEqual(0);
      }
    } finally {
      await ds.query(`DELETE FROM notifications WHERE outbox_key = $1`, [key]);
    }
    const after = await (await scrape(apiMetrics)).text();
    const [{ n }] = (await ds.query(`SELECT count(*)::int AS n FROM notifications WHERE status = 'pending'`)) as { n: number }[];
    expect(sample(after, 'dondoc_outbox_messages', { status: 'pending' })).toBe(n);
  });

  it("serve the Temporal SDK Core's worker metrics with the worker's Node metrics on one port", async () => {
    // Some work for the worker: one assignment started through the API, so task latencies have samples.
    const coordinator = await login(apps.apiUrl, 'dieuphoi', TEST_SAMPLE_PASSWORD);
    const planId = randomUUID();
    const started = await http<{ workflowId: string }>(apps.apiUrl, 'POST', '/api/assignments', anSonAssignmentBody(planId), coordinator.headers);
    expect(started.status).toBe(201);
    await eventually(() => ds.getRepository(AssignmentEntity).findOne({ where: { workflowId: started.body.workflowId } }), (r) => r !== null);

    const text = await eventually(
      async () => (await scrape(workerMetrics)).text(),
      // The Core exports on its own interval: wait until the workflow task it just ran and the activity (which
      // writes the row above, then records the notice before it completes) are counted.
      (t) =>
        (sample(t, 'temporal_workflow_task_execution_latency_seconds_count', { task_queue: apps.taskQueue }) ?? 0) >= 1 &&
        (sample(t, 'temporal_activity_execution_latency_seconds_count', { task_queue: apps.taskQueue }) ?? 0) >= 1,
      30_000,
    );
    expect(sample(text, 'dondoc_metrics_extra_up')).toBe(1);
    expect(sample(text, 'temporal_worker_task_slots_available', { task_queue: apps.taskQueue, worker_type: 'WorkflowWorker' })).toBeGreaterThan(0);
    expect(sample(text, 'temporal_sticky_cache_size', { task_queue: apps.taskQueue })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'temporal_workflow_task_schedule_to_start_latency_seconds_count', { task_queue: apps.taskQueue })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'temporal_activity_execution_latency_seconds_count', { task_queue: apps.taskQueue })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'nodejs_heap_size_used_bytes', { service: 'dondoc-worker' })).toBeGreaterThan(0);
    // Every metric name appears with one TYPE line: the two expositions do not collide.
    const types = text.split('\n').filter((l) => l.startsWith('# TYPE ')).map((l) => l.split(' ')[2]);
    expect(new Set(types).size).toBe(types.length);
  });
});
