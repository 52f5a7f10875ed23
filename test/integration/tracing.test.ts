// One request, one trace: the API's HTTP span, the Temporal client's Update, the workflow's Update handler, the
// projection activity and its SQL, exported over OTLP/HTTP (JSON) by two real processes to a receiver here.
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import { AssignmentEntity, dataSourceOptions } from '@app/persistence';
import { type AppPair, startAppPair } from '../support/app-processes';
import { TEST_SAMPLE_PASSWORD } from '../support/accounts';
import { eventually, http, login, seedSampleOrganisationAndAccounts } from '../support/harness';
import { anSonAssignmentBody } from '../support/assignment-start';

interface ReceivedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  attributes: Record<string, unknown>;
}

type OtlpValue = { stringValue?: string; intValue?: string | number; boolValue?: boolean; doubleValue?: number };
type OtlpAttribute = { key: string; value: OtlpValue };
interface OtlpTraces {
  resourceSpans?: { resource?: { attributes?: OtlpAttribute[] }; scopeSpans?: { spans?: { traceId: string; spanId: string; parentSpanId?: string; name: string; attributes?: OtlpAttribute[] }[] }[] }[];
}

const valueOf = (v: OtlpValue): unknown => v.stringValue ?? v.intValue ?? v.boolValue ?? v.doubleValue;
const attributes = (list: OtlpAttribute[] | undefined): Record<string, unknown> => Object.fromEntries((list ?? []).map((a) => [a.key, valueOf(a.value)]));

/** A minimal OTLP/HTTP trace receiver: accepts JSON posts on /v1/traces and keeps every span. */
function startReceiver(): Promise<{ server: Server; url: string; spans: ReceivedSpan[]; contentTypes: Set<string> }> {
  const spans: ReceivedSpan[] = [];
  const contentTypes = new Set<string>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      contentTypes.add(String(req.headers['content-type']));
      if (req.method !== 'POST' || req.url !== '/v1/traces') return void res.writeHead(404).end();
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpTraces;
      for (const rs of body.resourceSpans ?? []) {
        const service = String(attributes(rs.resource?.attributes)['service.name']);
        for (const ss of rs.scopeSpans ?? [])
          for (const s of ss.spans ?? [])
            spans.push({ service, traceId: s.traceId, spanId: s.spanId, parentSpanId: s.parentSpanId ?? '', name: s.name, attributes: attributes(s.attributes) });
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, spans, contentTypes })));
}

describe('tracing: HTTP request → Temporal Update → workflow → activity → SQL in one trace', () => {
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let apps: AppPair;
  let ds: DataSource;

  beforeAll(async () => {
    receiver = await startReceiver();
    ds = await new DataSource(dataSourceOptions(process.env.DONDOC_TEST_DATABASE_URL!, 2)).initialize();
    await seedSampleOrganisationAndAccounts(ds);
    // A short batch delay so the test does not wait the default five seconds per export.
    apps = await startAppPair({ both: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_BSP_SCHEDULE_DELAY: '200' } });
    // The two processes start from source (see startAppPair's own limit).
  }, 360_000);
  afterAll(async () => {
    await apps?.stop();
    await ds?.destroy();
    await new Promise<void>((resolve) => (receiver ? receiver.server.close(() => resolve()) : resolve()));
  });

  it('links the acknowledge request to the Update, the workflow, the activity and its SQL, with the route template as the span name', async () => {
    const coordinator = await login(apps.apiUrl, 'dieuphoi', TEST_SAMPLE_PASSWORD);
    const officer = await login(apps.apiUrl, 'xa-an-son.canbo', TEST_SAMPLE_PASSWORD);
    const planId = randomUUID();
    const started = await http<{ workflowId: string }>(apps.apiUrl, 'POST', '/api/assignments', anSonAssignmentBody(planId), coordinator.headers);
    expect(started.status).toBe(201);
    const workflowId = started.body.workflowId;
    // The very first requests of the process are traced too (the instrumentation is in place before them).
    await eventually(async () => receiver.spans.filter((s) => s.service === 'dondoc-api' && s.name === 'POST /api/auth/login').length, (n) => n === 2, 30_000);
    const startSpan = await eventually(async () => receiver.spans.find((s) => s.service === 'dondoc-api' && s.name === 'POST /api/assignments'), (s) => s !== undefined, 30_000);
    await eventually(async () => receiver.spans.some((s) => s.name === 'StartWorkflow:assignmentWorkflow' && s.parentSpanId === startSpan!.spanId), (ok) => ok, 30_000);
    await eventually(() => ds.getRepository(AssignmentEntity).findOne({ where: { workflowId } }), (r) => r !== null);

    const acked = await http<{ status: string }>(apps.apiUrl, 'POST', `/api/assignments/${encodeURIComponent(workflowId)}/actions`, { type: 'acknowledge' }, officer.headers);
    expect(acked.status).toBe(200);
    expect(acked.body.status).toBe('acknowledged');

    // The HTTP span of that request, named after the route template and never after the raw id.
    const httpSpan = (
      await eventually(
        async () => receiver.spans.filter((s) => s.service === 'dondoc-api' && s.name === 'POST /api/assignments/:workflowId/actions'),
        (found) => found.length === 1,
        30_000,
      ).catch((err: Error) => {
        // What did arrive says which link is missing.
        throw new Error(`${err.message}\nspans received: ${JSON.stringify(receiver.spans.map((s) => `${s.service} ${s.name} ${s.traceId.slice(0, 8)}`))}`);
      })
    )[0];
    expect(httpSpan.attributes['http.route']).toBe('/api/assignments/:workflowId/actions');
    expect(receiver.spans.some((s) => s.name.includes(workflowId))).toBe(false);

    /** The names from `s` up to the root of `trace`. */
    const ancestry = (trace: ReceivedSpan[], s: ReceivedSpan): string[] => {
      const byId = new Map(trace.map((t) => [t.spanId, t]));
      const names: string[] = [];
      for (let cur: ReceivedSpan | undefined = s; cur && names.length < 50; cur = byId.get(cur.parentSpanId)) names.push(`${cur.service} ${cur.name}`);
      return names;
    };
    const isActivitySql = (trace: ReceivedSpan[], s: ReceivedSpan): boolean =>
      s.attributes['db.system'] === 'postgresql' && trace.some((a) => a.spanId === s.parentSpanId && a.name.startsWith('RunActivity:'));
    // Spans arrive in batches from two processes (workflow spans when their handler ends): wait for the whole chain.
    const trace = await eventually(
      async () => receiver.spans.filter((s) => s.traceId === httpSpan.traceId),
      (t) => t.some((s) => isActivitySql(t, s) && ancestry(t, s).at(-1) === 'dondoc-api POST /api/assignments/:workflowId/actions'),
      30_000,
    );

    const clientUpdate = trace.find((s) => s.service === 'dondoc-api' && s.name === 'StartWorkflowUpdate:acknowledge');
    expect(clientUpdate).toBeDefined();
    const handler = trace.find((s) => s.service === 'dondoc-worker' && s.name === 'HandleUpdate:acknowledge');
    expect(handler).toBeDefined();
    const sql = trace.find((s) => s.service === 'dondoc-worker' && isActivitySql(trace, s));
    expect(sql).toBeDefined();

    // One unbroken chain: SQL → activity → … → the workflow's Update handler → the client's Update → the HTTP request.
    const chain = ancestry(trace, sql!);
    expect(chain[0]).toMatch(/^dondoc-worker /);
    expect(chain[1]).toMatch(/^dondoc-worker RunActivity:/);
    expect(chain).toContain('dondoc-worker HandleUpdate:acknowledge');
    expect(chain).toContain('dondoc-api StartWorkflowUpdate:acknowledge');
    expect(chain[chain.length - 1]).toBe('dondoc-api POST /api/assignments/:workflowId/actions');
    // The API's own SQL (the scope check) hangs under the same request.
    expect(trace.some((s) => s.service === 'dondoc-api' && s.attributes['db.system'] === 'postgresql')).toBe(true);
    expect([...receiver.contentTypes].every((t) => t.startsWith('application/json'))).toBe(true);
  });

  it('does not trace the health probe', async () => {
    const res = await fetch(`${apps.apiUrl}/health`);
    expect(res.status).toBe(200);
    await new Promise((r) => setTimeout(r, 1500));
    // Named by route like every traced request ('GET /health'), or carrying the path in its attributes.
    expect(receiver.spans.some((s) => s.service === 'dondoc-api' && (s.name.includes('/health') || String(s.attributes['http.target'] ?? '').startsWith('/health')))).toBe(false);
    // Whereas an ordinary request made at the same time is there.
    await fetch(`${apps.apiUrl}/api/auth/me`);
    await eventually(async () => receiver.spans.some((s) => s.service === 'dondoc-api' && s.name.startsWith('GET ') && String(s.attributes['http.target']) === '/api/auth/me'), (ok) => ok, 30_000);
  });
});
