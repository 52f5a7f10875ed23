import { Registry } from 'prom-client';
import { type MetricsServer, startMetricsServer } from './metrics-server';

describe('metrics server', () => {
  let server: MetricsServer;
  let extraFails = false;
  beforeAll(async () => {
    const registry = new Registry();
    registry.setDefaultLabels({ service: 'dondoc-worker' });
    server = await startMetricsServer({
      host: '127.0.0.1',
      port: 0,
      registry,
      token: 'a-token-of-sixteen+',
      extra: async () => {
        if (extraFails) throw new Error('connect ECONNREFUSED\n127.0.0.1:1');
        return '# TYPE temporal_sticky_cache_size gauge\ntemporal_sticky_cache_size 4\n';
      },
    });
  });
  afterAll(() => server.close());

  const get = (path: string, headers: Record<string, string> = {}, method = 'GET') => fetch(server.url.replace('/metrics', path), { headers, method });
  const auth = { authorization: 'Bearer a-token-of-sixteen+' };

  it('serves the registry then the appended scrape, in the Prometheus text format', async () => {
    const res = await get('/metrics', auth);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = await res.text();
    expect(text).toContain('dondoc_metrics_extra_up 1');
    expect(text).toContain('temporal_sticky_cache_size 4');
  });

  it('still answers when the appended scrape fails, and says so', async () => {
    extraFails = true;
    try {
      const text = await (await get('/metrics', auth)).text();
      expect(text).toContain('dondoc_metrics_extra_up 0');
      expect(text).toContain('# extra scrape failed: connect ECONNREFUSED 127.0.0.1:1');
      expect(text).not.toContain('temporal_sticky_cache_size');
    } finally {
      extraFails = false;
    }
  });

  it('refuses without the bearer token, other paths and other methods', async () => {
    expect((await get('/metrics')).status).toBe(401);
    expect((await get('/metrics', { authorization: 'Basic a-token-of-sixteen+' })).status).toBe(401);
    expect((await get('/metrics', { authorization: 'Bearer a-token-of-sixteen' })).status).toBe(401);
    expect((await get('/', auth)).status).toBe(404);
    expect((await get('/metrics', auth, 'POST')).status).toBe(405);
  });
});
