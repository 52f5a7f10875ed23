// `npm run bench -- queries [rows]`: p50/p95 over HTTP of one unit's inbox and each dashboard endpoint with
// `rows` assignments (default 1,000,000) and two events each, on its own embedded PostgreSQL (or DATABASE_URL).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { parseConfig } from '@app/config';
import { loadOrganisationDirectory } from '@app/domain';
import { dataSourceOptions, PlanRepository, runMigrations, seedSampleAccounts, TypeormOrganisationRepository, TypeormPlanRepository, SAMPLE_PASSWORD } from '@app/persistence';
import { parsePlan } from '@app/plan-parser';
import { createApiApp } from '../../apps/api/src/bootstrap';
import { freePort, startPostgres } from '../../deploy/local/stack';

const PLANS = 10;
const UNITS = 200;
const INBOX_UNIT = 'VQ-XA-AN-SON';

const log = (msg: string): void => {
  process.stdout.write(`${msg}\n`);
};

async function seed(ds: DataSource, rows: number): Promise<string[]> {
  const root = join(__dirname, '../..');
  const directory = loadOrganisationDirectory(readFileSync(join(root, 'deploy/seed/van-quan/organisation.yaml'), 'utf8'));
  const org = new TypeormOrganisationRepository(ds);
  await org.seedIfEmpty(directory.file);
  await seedSampleAccounts(ds, directory);
  const sample = readFileSync(join(root, 'libs/plan-parser/fixtures/van-quan-2024-cong-tac-tre-em.md'), 'utf8');
  const { plan, warnings } = parsePlan({ text: sample, format: 'markdown' }, await org.load());
  const plans: PlanRepository = new TypeormPlanRepository(ds);
  const planIds: string[] = [];
  for (let i = 0; i < PLANS; i++) planIds.push((await plans.createDraft({ plan, warnings, sourceText: null, sourceName: `bench-${i}` }, 'bench')).id);
  // 199 synthetic units plus the sample commune whose officer reads the inbox: a province-sized organisation.
  await ds.query(`INSERT INTO units (code, name, short_name, kind) SELECT 'BENCH-U' || lpad(g::text, 3, '0'), 'Đơn vị thử ' || g, 'ĐV ' || g, 'commune' FROM generate_series(1, ${UNITS - 1}) g ON CONFLICT DO NOTHING`);
  await ds.query(`UPDATE plans SET status = 'active', activated_at = now() WHERE id = ANY($1::uuid[])`, [planIds]);

  // One statement each, computed by generate_series: rows = plans × units × periods × items, spread evenly.
  const started = Date.now();
  await ds.query(
    `WITH u AS (SELECT array_agg(code ORDER BY code) AS codes FROM (SELECT code FROM units WHERE code LIKE 'BENCH-U%' UNION ALL SELECT $2) x),
     g AS (
       SELECT g, ($1::uuid[])[1 + (g % ${PLANS})::int] AS plan_id, (g / ${PLANS}) % ${UNITS} AS unit, (g / ${PLANS * UNITS}) % 10 AS period,
              (g / ${PLANS * UNITS * 10}) % 50 AS item, (g * 7919) % 100 AS s
       FROM generate_series(0::bigint, $3::bigint - 1) g
     ),
     r AS (
       SELECT g.*, u.codes[1 + unit::int] AS unit_code,
              CASE WHEN s < 35 THEN 'done' WHEN s < 40 THEN 'submitted' WHEN s < 45 THEN 'cancelled' WHEN s < 55 THEN 'in_progress'
                   WHEN s < 60 THEN 'returned' ELSE 'assigned' END AS status,
              CASE WHEN (g * 31) % 10 = 0 THEN NULL ELSE now() - interval '180 days' + period * interval '36 days' + item * interval '1 hour' END AS deadline
       FROM g, u
     )
     INSERT INTO assignments (workflow_id, plan_id, item_key, kind, unit_code, period_key, period_label, title, role, status, deadline,
                              completed_at, progress, last_seq, state, created_at, updated_at)
     SELECT 'bench:' || g, plan_id, 'B.' || (item + 1), 'responsibility', unit_code, 'P' || period, 'Kỳ ' || (period + 1),
            'Nhiệm vụ thử ' || (item + 1), 'lead', status, deadline,
            CASE WHEN status = 'done' THEN COALESCE(deadline, now()) + ((g * 13) % 20 - 15) * interval '1 day' END,
            CASE WHEN status IN ('done', 'submitted') THEN 100 ELSE 0 END, 2,
            CASE WHEN status IN ('done', 'submitted') THEN jsonb_build_object('submission', jsonb_build_object('text', 'x',
                   'submittedAt', to_char((COALESCE(deadline, now()) + ((g * 13) % 20 - 15) * interval '1 day') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                   'indicatorValues', '[]'::jsonb))
                 ELSE '{}'::jsonb END,
            now() - interval '200 days' + period * interval '20 days', now()
     FROM r`,
    [planIds, INBOX_UNIT, rows],
  );
  await ds.query(
    `INSERT INTO assignment_events (workflow_id, seq, type, actor, at)
     SELECT a.workflow_id, s, CASE s WHEN 1 THEN 'assigned' ELSE 'acknowledged' END, 'system', a.created_at + s * interval '1 hour'
     FROM assignments a CROSS JOIN generate_series(1, 2) s WHERE a.workflow_id LIKE 'bench:%'`,
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
      log(`${rows} assignments (${PLANS} plans × ${UNITS} units), ${requests} sequential requests each after 20 warm-up:`);
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
