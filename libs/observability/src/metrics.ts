import { type IncomingMessage, type ServerResponse } from 'node:http';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** What the outbox gauges need from the database: a `query` as TypeORM's DataSource and pg's Pool both have. */
export interface SqlQueryable {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

export interface ProcessMetrics {
  registry: Registry;
  /** Records one answered HTTP request (API only). */
  httpDuration: Histogram<'method' | 'route' | 'status_class'>;
}

/**
 * One registry per process (not prom-client's global one), labelled with the service, so the API and the
 * worker can share a process in tests without their metrics colliding.
 */
export function createProcessMetrics(service: 'dondoc-api' | 'dondoc-worker'): ProcessMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  const httpDuration = new Histogram({
    name: 'http_server_request_duration_seconds',
    help: 'Time from the request arriving to the response finishing, by route template, method and status class',
    labelNames: ['method', 'route', 'status_class'] as const,
    // The API's targets are 20 ms (one unit's inbox), 50 ms (district inbox) and 100 ms (dashboards): buckets at each.
    buckets: [0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return { registry, httpDuration };
}

/** The outbox statuses that mean "still to go out": mail waiting for SMTP, notices held for a unit's digest. */
const WAITING_STATUSES = ['pending', 'digest_pending'] as const;

interface OutboxSnapshot {
  rows: { status: string; count: number; oldestAgeSeconds: number }[];
  openBatches: number;
}

/**
 * Outbox depth and age, read at scrape time. Both queries stay on indexes: (status, created_at) for the counts
 * and the oldest row, the partial index on open batches for those. The answer is reused for `cacheMs` so
 * several scrapers (or a fast scrape interval) cost one query at most per interval; concurrent scrapes share
 * the query in flight.
 */
export function registerOutboxGauges(registry: Registry, db: SqlQueryable, cacheMs: number): void {
  const snapshot = cachedReading(() => readOutbox(db), cacheMs);
  new Gauge({
    name: 'dondoc_outbox_messages',
    help: 'Outbox rows not sent yet, by status (pending: waiting for SMTP; digest_pending: held for the daily digest)',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      const s = await snapshot();
      for (const status of WAITING_STATUSES) this.set({ status }, s.rows.find((r) => r.status === status)?.count ?? 0);
    },
  });
  new Gauge({
    name: 'dondoc_outbox_oldest_age_seconds',
    help: 'Age of the oldest outbox row not sent yet, by status (0 when there is none)',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      const s = await snapshot();
      for (const status of WAITING_STATUSES) this.set({ status }, s.rows.find((r) => r.status === status)?.oldestAgeSeconds ?? 0);
    },
  });
  new Gauge({
    name: 'dondoc_outbox_open_batches',
    help: 'Mail batches still collecting notices (notification_batches with status open)',
    registers: [registry],
    async collect() {
      this.set((await snapshot()).openBatches);
    },
  });
}

/** The same reuse as the outbox gauges: one database reading per `cacheMs`, shared by concurrent scrapes. */
function cachedReading<T>(read: () => Promise<T>, cacheMs: number): () => Promise<T> {
  let cached: { at: number; value: Promise<T> } | null = null;
  return () => {
    const now = Date.now();
    if (cached && now - cached.at < cacheMs) return cached.value;
    const value = read();
    cached = { at: now, value };
    value.catch(() => {
      if (cached?.value === value) cached = null;
    });
    return value;
  };
}

/** Signed-in sessions still valid (API only): the range on ix_sessions_expires, then the absolute limit. */
export function registerSessionGauge(registry: Registry, db: SqlQueryable, cacheMs: number): void {
  const reading = cachedReading(async () => {
    const result = (await db.query(`SELECT count(*)::int AS count FROM sessions WHERE expires_at > now() AND absolute_expires_at > now()`)) as { count: number }[] | { rows: { count: number }[] };
    const rows = Array.isArray(result) ? result : result.rows;
    return Number(rows[0]?.count ?? 0);
  }, cacheMs);
  new Gauge({
    name: 'dondoc_active_sessions',
    help: 'Signed-in sessions that have not expired',
    registers: [registry],
    async collect() {
      this.set(await reading());
    },
  });
}

async function readOutbox(db: SqlQueryable): Promise<OutboxSnapshot> {
  const rows = (await db.query(
    `SELECT status, count(*)::int AS count, COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)::float8 AS age
       FROM notifications WHERE status = ANY($1) GROUP BY status`,
    [[...WAITING_STATUSES]],
  )) as { status: string; count: number; age: number }[] | { rows: { status: string; count: number; age: number }[] };
  const batches = (await db.query(`SELECT count(*)::int AS count FROM notification_batches WHERE status = 'open'`)) as { count: number }[] | { rows: { count: number }[] };
  const list = Array.isArray(rows) ? rows : rows.rows;
  const open = Array.isArray(batches) ? batches : batches.rows;
  return { rows: list.map((r) => ({ status: r.status, count: Number(r.count), oldestAgeSeconds: Math.max(0, Number(r.age)) })), openBatches: Number(open[0]?.count ?? 0) };
}

/** The route template Express matched (`/api/assignments/:id`), never the raw path: ids would explode the series. */
export function routeTemplate(req: IncomingMessage & { route?: { path?: unknown }; baseUrl?: string }): string {
  const path = req.route?.path;
  if (typeof path === 'string') return `${req.baseUrl ?? ''}${path}` || '/';
  // Answered before routing (static web files, /docs, 404s, refusals by middleware): one series for all of them.
  return 'unmatched';
}

export function statusClass(status: number): string {
  return status >= 100 && status < 600 ? `${Math.floor(status / 100)}xx` : 'other';
}

const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** Express middleware: times every request and records it when the response has gone (or the client left). */
export function httpMetricsMiddleware(metrics: ProcessMetrics): (req: IncomingMessage, res: ServerResponse, next: () => void) => void {
  return (req, res, next) => {
    const end = metrics.httpDuration.startTimer();
    let done = false;
    const record = (): void => {
      if (done) return;
      done = true;
      end({ method: KNOWN_METHODS.has(req.method ?? '') ? req.method! : 'OTHER', route: routeTemplate(req), status_class: res.writableFinished ? statusClass(res.statusCode) : 'aborted' });
    };
    res.once('finish', record);
    res.once('close', record);
    next();
  };
}
