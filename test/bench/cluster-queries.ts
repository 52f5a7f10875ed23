// The read half of `npm run bench -- cluster` (test/bench/cluster.ts starts the cluster and calls this): seeds
// `rows` assignments (default 10,000,000) into the cluster's app database, signs in 50 users and measures the
// inbox and dashboard endpoints through the proxy with 50 concurrent users, against the goals of issue 14: first
// with a think time of mean --think-ms after each answer (default 1000; see runConcurrent), then with none (the
// closed loop, whose answers per second are the capacity). Arguments: [rows] [--concurrent 50] [--seconds 30]
// [--think-ms 1000] [--mix all|roles] [--reseed]. A database that already holds the bench plans
// with at least `rows` assignments is reused unless --reseed (seeding 10 M rows takes a while; see
// docs/read-performance.md).
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '@app/persistence';
import { type ClusterHandle } from '../../deploy/cluster/cluster';
import { loadCases, mixOf, parseArgs, printLoad, runConcurrent, seedBench, seedOrganisation, signInUsers, thinkMsOf } from './queries';

const log = (msg: string): void => {
  process.stdout.write(`${msg}\n`);
};

export async function benchClusterQueries(handle: ClusterHandle, args: string[]): Promise<void> {
  const { positional, flags } = parseArgs(args);
  const rows = Number(positional[0] ?? 10_000_000);
  const loops = Number(flags.get('concurrent') ?? 50);
  const seconds = Number(flags.get('seconds') ?? 30);
  const thinkMs = thinkMsOf(flags);
  const mix = mixOf(flags);
  if (!Number.isInteger(rows) || rows <= 0 || !Number.isInteger(loops) || loops <= 0 || !(seconds > 0)) {
    throw new Error(`cluster queries: rows, --concurrent and --seconds must be positive numbers (got ${args.join(' ')})`);
  }
  const password = handle.samplePassword;
  const ds = await new DataSource(dataSourceOptions(handle.databaseUrl, 4)).initialize();
  let planIds: string[];
  let accountUnits: string[];
  // The assignments the reads run against: the reused seed can hold more than `rows`.
  let measuredRows = rows;
  try {
    const existing = await ds.query<{ id: string }[]>(`SELECT id FROM plans WHERE source_name LIKE 'bench-%' ORDER BY length(source_name), source_name`);
    const [{ n }] = await ds.query<{ n: string }[]>(`SELECT count(*) AS n FROM assignments WHERE plan_id = ANY($1::uuid[])`, [existing.map((p) => p.id)]);
    if (!flags.has('reseed') && existing.length > 0 && Number(n) >= rows) {
      log(`reusing ${Number(n).toLocaleString('en')} bench assignments in ${existing.length} plans (--reseed to start over)`);
      planIds = existing.map((p) => p.id);
      measuredRows = Number(n);
      accountUnits = (await seedOrganisation(ds, password)).accountUnits;
    } else {
      if (existing.length > 0) {
        log(`removing the ${Number(n).toLocaleString('en')} assignments of an earlier bench seed`);
        await ds.query(`DELETE FROM assignments WHERE plan_id = ANY($1::uuid[])`, [existing.map((p) => p.id)]);
        await ds.query(`DELETE FROM plans WHERE id = ANY($1::uuid[])`, [existing.map((p) => p.id)]);
      }
      ({ planIds, accountUnits } = await seedBench(ds, rows, password, log));
    }
  } finally {
    await ds.destroy();
  }

  const users = await signInUsers(handle.proxyUrl, password, accountUnits, loops);
  const cases = loadCases(planIds, users);
  let ok = true;
  for (const think of thinkMs > 0 ? [thinkMs, 0] : [0]) {
    log(
      `${loops} concurrent users through ${handle.proxyUrl} (${handle.apiUrls.length} API replicas; ${users.unit.length} unit users, ` +
        `${users.district.length} district-wide users), ${seconds} s after 3 s warm-up:`,
    );
    // The goals are about people using the pages (the think-time run); the closed loop reports capacity.
    const pass = printLoad(await runConcurrent(handle.proxyUrl, cases, { loops, seconds, thinkMs: think, mix, unitUsers: users.unit.length }), log);
    if (think > 0 || thinkMs === 0) ok &&= pass;
  }
  log(`reads at ${measuredRows.toLocaleString('en')} assignments${thinkMs > 0 ? `, think time ${thinkMs} ms` : ', closed loop'}: ${ok ? 'PASS' : 'FAIL'}`);
}
