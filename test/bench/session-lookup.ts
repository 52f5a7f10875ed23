// `node deploy/local/run-ts.js test/bench/session-lookup.ts`: the cost of the session lookup every authenticated
// request makes, on an embedded PostgreSQL: SessionRepository.findActive (one named statement) against the two
// ORM queries it replaced (kept here only as the comparison) and against the same SQL sent unnamed through
// TypeORM. Interleaved rounds of 100 calls; medians of wall time and of this process's CPU per call.
// docs/read-performance.md has the figures.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import {
  dataSourceOptions,
  runMigrations,
  SessionEntity,
  TypeormSessionRepository,
  UserEntity,
} from '@app/persistence';
import { freePort, startPostgres } from '../../deploy/local/stack';
import { seedOrganisation } from './queries';

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'dondoc-bench-session-'));
  const pg = await startPostgres({
    dataDir: join(work, 'pg'),
    port: await freePort(),
    database: 'dondoc_bench_session',
    log: () => {},
    persistent: false,
  });
  try {
    await runMigrations(pg.url);
    const ds = await new DataSource(dataSourceOptions(pg.url, 4)).initialize();
    await seedOrganisation(ds, 'bench-session-password');
    const [u] = await ds.query<{ id: string }[]>(`SELECT id FROM users LIMIT 1`);
    const repo = new TypeormSessionRepository(ds);
    await repo.create({
      id: 'sess-1',
      userId: u!.id,
      csrfToken: 'c',
      expiresAt: new Date(Date.now() + 3600e3),
      absoluteExpiresAt: new Date(Date.now() + 7200e3),
      ip: null,
      userAgent: null,
    });
    const sql = `SELECT s.csrf_token, s.last_seen_at, u.id AS user_id, u.username, u.display_name, u.role, u.unit_code, u.locale FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = $1 AND s.expires_at > now() AND s.absolute_expires_at > now() AND NOT u.disabled`;
    // What findActive did before: the session through the query builder, then its user through find options.
    const old = async (id: string): Promise<unknown> => {
      const session = await ds
        .getRepository(SessionEntity)
        .createQueryBuilder('s')
        .where('s.id = :id', { id })
        .andWhere('s.expires_at > now()')
        .andWhere('s.absolute_expires_at > now()')
        .getOne();
      if (!session) return null;
      const user = await ds.getRepository(UserEntity).findOne({ where: { id: session.userId } });
      return user;
    };
    const o: number[] = [];
    const cpuO: number[] = [];
    const a: number[] = [];
    const b: number[] = [];
    const cpuA: number[] = [];
    const cpuB: number[] = [];
    for (let round = 0; round < 20; round++) {
      let c0 = process.cpuUsage();
      let t0 = performance.now();
      for (let i = 0; i < 100; i++) await repo.findActive('sess-1');
      a.push((performance.now() - t0) / 100);
      let c = process.cpuUsage(c0);
      cpuA.push((c.user + c.system) / 100);
      c0 = process.cpuUsage();
      t0 = performance.now();
      for (let i = 0; i < 100; i++) await old('sess-1');
      o.push((performance.now() - t0) / 100);
      c = process.cpuUsage(c0);
      cpuO.push((c.user + c.system) / 100);
      c0 = process.cpuUsage();
      t0 = performance.now();
      for (let i = 0; i < 100; i++) await ds.query(sql, ['sess-1']);
      b.push((performance.now() - t0) / 100);
      c = process.cpuUsage(c0);
      cpuB.push((c.user + c.system) / 100);
    }
    const med = (x: number[]): string => {
      const y = x.slice(2).sort((m, n) => m - n);
      return y[Math.floor(y.length / 2)]!.toFixed(3);
    };
    console.log(
      `findActive (named statement): median of 18 rounds ${med(a)} ms wall, ${med(cpuA)} µs node CPU per call`,
    );
    console.log(`before (two ORM queries): median ${med(o)} ms wall, ${med(cpuO)} µs node CPU per call`);
    console.log(
      `same SQL via ds.query (unnamed): median ${med(b)} ms wall, ${med(cpuB)} µs node CPU per call`,
    );
    await ds.destroy();
  } finally {
    await pg.stop();
    rmSync(work, { recursive: true, force: true });
  }
}
main().catch((err: unknown) => {
  process.stderr.write(`${String(err)}\n`);
  process.exit(1);
});
