// `npm run bench -- queries [rows]`: p50/p95 over HTTP of one unit's inbox and each dashboard endpoint with
// `rows` assignments (default 1,000,000) and two events each, on its own embedded PostgreSQL (or DATABASE_URL).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { parseConfig } from '@app/config';
import { loadOrganisationDirectory } from '@app/domain';
import { dataSourceOptions, PlanRepository, runMigrations, seedSampleAccounts, TypeormOrganisationRepository, TypeormPlanRepository } from '@app/persistence';
import { TEST_SAMPLE_PASSWORD as SAMPLE_PASSWORD } from '../support/accounts';
import { parsePlan } from '@app/plan-parser';
import { createApiApp } from '../../apps/api/src/bootstrap';
import { freePort, startPostgres } from '../../deploy/local/stack';

// The shape of a province: districts of 30 units each; every plan belongs to one district and gives each of its
// units ITEMS duties over PERIODS monthly periods (28,800 assignments a plan, so 1,000,000 rows make 35 plans).
// The measured unit sits in district 0, so every tenth plan gives it work (a few thousand rows in its inbox); the
// measured plan is the first one, full.
const DISTRICTS = 10;
const DISTRICT_UNITS = 30;
const ITEMS = 80;
const PERIODS = 12;
const PER_PLAN = DISTRICT_UNITS * ITEMS * PERIODS;
const INBOX_UNIT = 'VQ-XA-AN-SON';
const STATUSES = 'assigned,acknowledged,in_progress,submitted,returned,done,cancelled';

const log = (msg: string): void => {
  process.stdout.write(`${msg}\n`);
};

async function seed(ds: DataSource, rows: number): Promise<string[]> {
  const root = join(__dirname, '../..');
  const directory = loadOrganisationDirectory(readFileSync(join(root, 'deploy/seed/van-quan/organisation.yaml'), 'utf8'));
  const org = new TypeormOrganisationRepository(ds);
  await org.seedIfEmpty(directory.file);
  await seedSampleAccounts(ds, directory, SAMPLE_PASSWORD);
  const sample = readFileSync(join(root, 'libs/plan-parser/fixtures/van-quan-2024-cong-tac-tre-em.md'), 'utf8');
  const { plan, warnings } = parsePlan({ text: sample, format: 'markdown' }, await org.load());
  const indicatorKeys = plan.objectives.flatMap((o) => o.indicators.map((_, i) => `${o.key}.${i + 1}`));
  const plans: PlanRepository = new TypeormPlanRepository(ds);
  const planIds: string[] = [];
  const planCount = Math.ceil(rows / PER_PLAN);
  for (let i = 0; i < planCount; i++) planIds.push((await plans.createDraft({ plan, warnings, sourceText: null, sourceName: `bench-${i}` }, 'bench')).id);
  // The sample commune whose officer reads the inbox plus 299 synthetic communes: 10 districts of 30.
  const synthetic = DISTRICTS * DISTRICT_UNITS - 1;
  await ds.query(`INSERT INTO units (code, name, short_name, kind) SELECT 'BENCH-U' || lpad(g::text, 3, '0'), 'Đơn vị thử ' || g, 'ĐV ' || g, 'commune' FROM generate_series(1, ${synthetic}) g ON CONFLICT DO NOTHING`);
  await ds.query(`UPDATE plans SET status = 'active', activated_at = now() WHERE id = ANY($1::uuid[])`, [planIds]);

  // One statement, computed by generate_series; workflow ids have the production shape (assignmentWorkflowId), so
  // the indexes that hold them have their real size. Row g belongs to plan g / PER_PLAN; inside a plan it walks units,
  // then items, then periods. Deadlines run monthly from about 7.5 months ago to 4 months ahead, spread over the
  // month by item (so some fall within the due-soon window), shifted a week per plan; one row in ten has none,
  // whatever its plan, unit or item. Past work is mostly done (a fifth of it late) or overdue, future work mostly
  // open; a few rows are submitted, returned or cancelled. Some accepted reports carry indicator values.
  const started = Date.now();
  await ds.query(
    `WITH u AS (SELECT array_agg(code ORDER BY code = $2 DESC, code) AS codes FROM (SELECT code FROM units WHERE code LIKE 'BENCH-U%' UNION ALL SELECT $2) x),
     g AS (
       SELECT g, g / ${PER_PLAN} AS plan, g % ${PER_PLAN} AS r, (g * 7919) % 100 AS s, (g * 13) % 20 - 15 AS late_days
       FROM generate_series(0::bigint, $3::bigint - 1) g
     ),
     c AS (
       SELECT g.*, ($1::uuid[])[1 + plan::int] AS plan_id, (plan % ${DISTRICTS}) * ${DISTRICT_UNITS} + r % ${DISTRICT_UNITS} AS unit,
              (r / ${DISTRICT_UNITS}) % ${ITEMS} AS item, r / ${DISTRICT_UNITS * ITEMS} AS period,
              now() - interval '255 days' + (plan % 4) * interval '7 days' AS activated
       FROM g
     ),
     d AS (
       SELECT c.*, CASE WHEN (g / 7) % 10 = 3 THEN NULL
                        ELSE activated + interval '30 days' + period * interval '30 days' + item * interval '9 hours' END AS deadline
       FROM c
     ),
     st AS (
       SELECT d.*,
              CASE WHEN deadline IS NULL THEN
                     CASE WHEN s < 40 THEN 'done' WHEN s < 45 THEN 'submitted' WHEN s < 48 THEN 'cancelled' WHEN s < 65 THEN 'in_progress' ELSE 'assigned' END
                   WHEN deadline < now() THEN
                     CASE WHEN s < 70 THEN 'done' WHEN s < 73 THEN 'submitted' WHEN s < 76 THEN 'cancelled' WHEN s < 86 THEN 'in_progress'
                          WHEN s < 89 THEN 'returned' WHEN s < 92 THEN 'acknowledged' ELSE 'assigned' END
                   ELSE
                     CASE WHEN s < 15 THEN 'done' WHEN s < 20 THEN 'submitted' WHEN s < 23 THEN 'cancelled' WHEN s < 45 THEN 'in_progress'
                          WHEN s < 50 THEN 'returned' WHEN s < 60 THEN 'acknowledged' ELSE 'assigned' END
              END AS status,
              -- when the unit reported: around the deadline (up to 4 days late), never in the future
              LEAST(COALESCE(deadline, now() - (g % 60) * interval '1 day') + late_days * interval '1 day', now() - interval '1 hour') AS reported_at
       FROM d
     )
     INSERT INTO assignments (workflow_id, plan_id, item_key, kind, unit_code, period_key, period_label, title, role, status, deadline,
                              completed_at, progress, escalation_level, last_seq, state, created_at, updated_at)
     SELECT 'asg:' || plan_id || ':B.' || (item + 1) || ':' || u.codes[1 + unit::int] || ':P' || period, plan_id, 'B.' || (item + 1), 'responsibility',
            u.codes[1 + unit::int], 'P' || period, 'Kỳ ' || (period + 1),
            'Nhiệm vụ thử ' || (item + 1), 'lead', status, deadline,
            CASE WHEN status = 'done' THEN reported_at + interval '2 days' END,
            CASE WHEN status IN ('done', 'submitted') THEN 100 WHEN status = 'in_progress' THEN 10 + s % 80 ELSE 0 END,
            CASE WHEN status NOT IN ('done', 'cancelled') AND deadline < now() THEN 1 + g % 3 ELSE 0 END, 2,
            CASE WHEN status IN ('done', 'submitted') THEN jsonb_build_object('submission', jsonb_build_object('text', 'x',
                   'submittedAt', to_char(reported_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                   'indicatorValues', CASE WHEN item % 8 = 0 AND cardinality($4::text[]) > 0
                     THEN jsonb_build_array(jsonb_build_object('indicatorKey', ($4::text[])[1 + (item / 8 + unit)::int % cardinality($4::text[])], 'value', g % 50))
                     ELSE '[]'::jsonb END,
                   'attachments', '[]'::jsonb, 'submittedBy', 'bench'))
                 ELSE '{}'::jsonb END,
            activated, LEAST(COALESCE(reported_at, activated + period * interval '20 days'), now())
     FROM st, u`,
    [planIds, INBOX_UNIT, rows, indicatorKeys],
  );
  await ds.query(
    `INSERT INTO assignment_events (workflow_id, seq, type, actor, at)
     SELECT a.workflow_id, s, CASE s WHEN 1 THEN 'assigned' ELSE 'acknowledged' END, 'system', a.created_at + s * interval '1 hour'
     FROM assignments a CROSS JOIN generate_series(1, 2) s WHERE a.plan_id = ANY($1::uuid[])`,
    [planIds],
  );
  log(`seeded ${rows} assignments and ${rows * 2} events in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  await ds.query('VACUUM ANALYZE assignments');
  await ds.query('VACUUM ANALYZE assignment_events');
  return planIds;
}

async function login(base: string, username: string): Promise<Record<string, string>> {
  const res = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: SAMPLE_PASSWORD }) });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status}`);
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  return { cookie };
}

async function measure(base: string, path: string, headers: Record<string, string>, n: number): Promise<{ p50: number; p95: number; bytes: number }> {
  let bytes = 0;
  for (let i = 0; i < 20; i++) await (await fetch(`${base}${path}`, { headers })).arrayBuffer();
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const res = await fetch(`${base}${path}`, { headers });
    const body = await res.arrayBuffer();
    times.push(performance.now() - t0);
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${Buffer.from(body).toString()}`);
    bytes = body.byteLength;
  }
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(n * 0.5)], p95: times[Math.floor(n * 0.95)], bytes };
}

export async function benchQueries(args: string[]): Promise<void> {
  const rows = Number(args[0] ?? 1_000_000);
  const requests = Number(args[1] ?? 200);
  const work = mkdtempSync(join(tmpdir(), 'dondoc-bench-q-'));
  const pg = await startPostgres({ databaseUrl: process.env.DATABASE_URL, dataDir: join(work, 'pg'), port: await freePort(), database: 'dondoc_bench', log, persistent: false });
  try {
    await runMigrations(pg.url);
    const ds = await new DataSource(dataSourceOptions(pg.url, 4)).initialize();
    const planIds = await seed(ds, rows);
    await ds.destroy();
    const config = parseConfig({ NODE_ENV: 'test', DATABASE_URL: pg.url, LOG_LEVEL: 'warn', DATA_DIR: work, TEMPORAL_ADDRESS: '127.0.0.1:1' });
    const app = await createApiApp(config);
    await app.listen(0, '127.0.0.1');
    const base = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
    try {
      const officer = await login(base, 'xa-an-son.canbo');
      const leader = await login(base, 'lanhdao');
      const plan = planIds[0];
      const cases: [string, string, Record<string, string>][] = [
        ['inbox (one unit, page 1)', '/api/inbox', officer],
        ['inbox (one unit, plan + overdue filter)', `/api/inbox?planId=${plan}&timeliness=open_overdue`, officer],
        ...['summary', 'by-unit', 'by-responsibility', 'matrix', 'overdue', 'indicators', 'timeline'].map(
          (e): [string, string, Record<string, string>] => [`dashboard/${e}`, `/api/dashboard/${e}?planId=${plan}`, leader],
        ),
      ];
      const mix = (await (await fetch(`${base}/api/dashboard/summary?planId=${plan}`, { headers: leader })).json()) as { total: number; counts: Record<string, number> };
      const inbox = (await (await fetch(`${base}/api/inbox?status=${STATUSES}`, { headers: officer })).json()) as { total: number };
      log(`${rows} assignments: ${planIds.length} plans, ${DISTRICTS} districts × ${DISTRICT_UNITS} units`);
      log(`measured plan: ${mix.total} open or done assignments ${JSON.stringify(mix.counts)}; measured inbox: ${inbox.total} rows`);
      log(`${requests} sequential requests each after 20 warm-up:`);
      for (const [label, path, headers] of cases) {
        const m = await measure(base, path, headers, requests);
        log(`  ${label.padEnd(42)} p50 ${m.p50.toFixed(1).padStart(7)} ms   p95 ${m.p95.toFixed(1).padStart(7)} ms   (${m.bytes} bytes)`);
      }
    } finally {
      await app.close();
    }
  } finally {
    await pg.stop();
    rmSync(work, { recursive: true, force: true });
  }
}
