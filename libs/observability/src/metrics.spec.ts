import { EventEmitter } from 'node:events';
import { type IncomingMessage, type ServerResponse } from 'node:http';
import { createProcessMetrics, httpMetricsMiddleware, registerOutboxGauges, routeTemplate, statusClass } from './metrics';

describe('HTTP request metrics', () => {
  it('label by the matched route template, or one "unmatched" series', () => {
    const req = (route?: string, baseUrl = '') => ({ route: route === undefined ? undefined : { path: route }, baseUrl }) as unknown as IncomingMessage;
    expect(routeTemplate(req('/api/assignments/:workflowId'))).toBe('/api/assignments/:workflowId');
    expect(routeTemplate(req('/:id', '/files'))).toBe('/files/:id');
    expect(routeTemplate(req())).toBe('unmatched');
    expect([200, 302, 404, 503, 42].map(statusClass)).toEqual(['2xx', '3xx', '4xx', '5xx', 'other']);
  });

  it('record a finished request once, and a client that left as aborted', async () => {
    const metrics = createProcessMetrics('dondoc-api');
    const mw = httpMetricsMiddleware(metrics);
    const run = (method: string, finished: boolean): void => {
      const req = Object.assign(new EventEmitter(), { method, route: { path: '/api/plans/:id' }, baseUrl: '' }) as unknown as IncomingMessage;
      const res = Object.assign(new EventEmitter(), { statusCode: 201, writableFinished: finished }) as unknown as ServerResponse;
      mw(req, res, () => undefined);
      if (finished) res.emit('finish');
      res.emit('close');
    };
    run('POST', true);
    run('BREW', true);
    run('GET', false);
    const values = (await metrics.httpDuration.get()).values.filter((v) => v.metricName === 'http_server_request_duration_seconds_count');
    const counts = Object.fromEntries(values.map((v) => [`${v.labels.method} ${v.labels.status_class}`, v.value]));
    expect(counts).toEqual({ 'POST 2xx': 1, 'OTHER 2xx': 1, 'GET aborted': 1 });
  });
});

describe('outbox gauges', () => {
  it('read the database at most once per cache period, and again after a failure', async () => {
    const metrics = createProcessMetrics('dondoc-worker');
    let queries = 0;
    let fail = false;
    const db = {
      query: async (sql: string) => {
        queries++;
        if (fail) throw new Error('connection refused');
        return sql.includes('notification_batches') ? [{ count: 3 }] : [{ status: 'pending', count: 7, age: 42.5 }];
      },
    };
    registerOutboxGauges(metrics.registry, db, 60_000);
    const text = await metrics.registry.metrics();
    expect(text).toContain('dondoc_outbox_messages{status="pending",service="dondoc-worker"} 7');
    expect(text).toContain('dondoc_outbox_messages{status="digest_pending",service="dondoc-worker"} 0');
    expect(text).toContain('dondoc_outbox_oldest_age_seconds{status="pending",service="dondoc-worker"} 42.5');
    expect(text).toContain('dondoc_outbox_open_batches{service="dondoc-worker"} 3');
    // Three gauges, one snapshot: two queries (rows and batches) for the whole scrape.
    expect(queries).toBe(2);
    await metrics.registry.metrics();
    expect(queries).toBe(2);

    const fresh = createProcessMetrics('dondoc-worker');
    let n = 0;
    registerOutboxGauges(fresh.registry, { query: async (sql: string) => (n++, fail ? Promise.reject(new Error('down')) : sql.includes('batches') ? [{ count: 0 }] : []) }, 60_000);
    fail = true;
    await expect(fresh.registry.metrics()).rejects.toThrow('down');
    fail = false;
    await expect(fresh.registry.metrics()).resolves.toContain('dondoc_outbox_open_batches{service="dondoc-worker"} 0');
    expect(n).toBeGreaterThanOrEqual(2);
  });
});
