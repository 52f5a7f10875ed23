// `startCluster` itself: every process starts and is supervised, nginx keeps answering while a replica is stopped
// or killed (its retries and passive health checks), a session made on one replica is valid on the other, a
// killed process comes back by itself, the state file matches, and stop() leaves nothing running; and a replica
// killed with POSTs in flight: nginx replays them on the other one and each is applied exactly once.
// The fault test (fault.test.ts) builds on this with real work in flight.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ClusterHandle, type ClusterState, startCluster } from '../../deploy/cluster/cluster';
import { postgresDataDir } from '../../deploy/local/postgres';
import { isPortFree } from '../../deploy/local/stack';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '@app/persistence';
import { anSonAssignmentBody } from '../support/assignment-start';
import { call, signIn, waitFor } from './support';

const log = (msg: string): void => void process.stderr.write(`[cluster.test] ${msg}\n`);

/** A base port whose 81-port range is free, below Temporal's 32768 limit (docs/cluster.md). */
async function freeBase(): Promise<number> {
  for (let attempt = 0; attempt < 30; attempt++) {
    const base = 10000 + Math.floor(Math.random() * 22000);
    const free = await Promise.all(Array.from({ length: 81 }, (_, i) => isPortFree(base + i)));
    if (free.every(Boolean)) return base;
  }
  throw new Error('no free range of 81 ports found');
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Sends `count` requests through the proxy, `concurrency` at a time, while `during` runs; returns their statuses. */
async function loadWhile(url: string, during: () => Promise<void>, concurrency = 5): Promise<number[]> {
  const statuses: number[] = [];
  let done = false;
  const client = async (): Promise<void> => {
    while (!done) {
      try {
        const res = await fetch(url, { signal: AbortSignal.timeout(20_000) });
        await res.arrayBuffer();
        statuses.push(res.status);
      } catch {
        statuses.push(0);
      }
    }
  };
  const clients = Array.from({ length: concurrency }, client);
  try {
    await during();
  } finally {
    done = true;
    await Promise.all(clients);
  }
  return statuses;
}

describe('startCluster', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dondoc-cluster-test-'));
  let handle: ClusterHandle;

  beforeAll(async () => {
    handle = await startCluster({ dir, workers: 1, apis: 2, basePort: await freeBase(), log });
  });

  afterAll(async () => {
    await handle?.stop();
    // A mktemp folder is private: PostgreSQL's data then lives under /var/tmp (docs/local-stack.md); remove it too.
    rmSync(postgresDataDir(join(dir, 'postgres')), { recursive: true, force: true });
    if (!process.env.KEEP_CLUSTER_DIR) rmSync(dir, { recursive: true, force: true });
  });

  // Runs first: the test below expects api-2 to have been killed exactly once.
  it('answers every POST caught by a kill -9 of a replica and applies each exactly once', async () => {
    const proxy = handle.proxyUrl;
    const coordinator = await signIn(proxy, 'dieuphoi', handle.samplePassword);
    const officer = await signIn(proxy, 'xa-an-son.canbo', handle.samplePassword);
    const workflowIds: string[] = [];
    for (let i = 0; i < 12; i++) {
      const started = await call<{ workflowId: string }>(proxy, coordinator, 'POST', '/api/assignments', anSonAssignmentBody(randomUUID()));
      expect(started.status).toBe(201);
      workflowIds.push(started.body!.workflowId);
    }
    const ds = await new DataSource(dataSourceOptions(handle.databaseUrl, 2)).initialize();
    // A unit's user acts only on assignments the read model shows as theirs: wait for the projection first.
    const projected = async () => Number((await ds.query('SELECT count(*)::int AS n FROM assignments WHERE workflow_id = ANY($1)', [workflowIds]))[0].n);
    await waitFor('the assignments projected', projected, (n) => n === workflowIds.length, 60_000, 250);
    // One client per assignment, each reporting progress 1, 2, 3 … as fast as answers come: a duplicate would
    // show as a second event with the same percentage, a lost answer as a status other than 200.
    const results: { workflowId: string; percent: number; status: number; at: number }[] = [];
    let running = true;
    const client = async (workflowId: string): Promise<void> => {
      for (let percent = 1; running && percent < 100; percent++) {
        const at = Date.now();
        const res = await call(proxy, officer, 'POST', `/api/assignments/${encodeURIComponent(workflowId)}/actions`, { type: 'progress', percent }, 30_000);
        results.push({ workflowId, percent, status: res.status, at });
      }
    };
    const clients = Promise.all(workflowIds.map(client));
    await new Promise((r) => setTimeout(r, 3_000));
    const killedAt = Date.now();
    handle.kill('api-1');
    await new Promise((r) => setTimeout(r, 300));
    await handle.waitReady('api-1', 120_000);
    await new Promise((r) => setTimeout(r, 2_000));
    running = false;
    await clients;
    // nginx keeps api-1 out of rotation for fail_timeout after it failed (the test below needs both replicas).
    await new Promise((r) => setTimeout(r, 6_000));

    const failed = results.filter((r) => r.status !== 200);
    const duringLoss = results.filter((r) => r.at >= killedAt - 1000);
    // POSTs that reached api-1, got no answer and were replayed on api-2: "upstream=<api-1>, <api-2>" in the log.
    const api1 = new URL(handle.apiUrls[0]!).port;
    const replayed = readFileSync(join(dir, 'logs', 'nginx-access.log'), 'utf8')
      .split('\n')
      .filter((l) => l.includes('"POST /api/assignments/') && new RegExp(`upstream=127\\.0\\.0\\.1:${api1}, `).test(l));
    // Of those, the ones api-1 had claimed before it died: api-2 waited out the claim's lease and took it over.
    const takenOver = readFileSync(join(dir, 'logs', 'api-2.log'), 'utf8').split('\n').filter((l) => l.includes('taken over from a replica')).length;
    log(
      `POSTs: ${results.length} in all, ${duringLoss.length} from 1 s before the kill on, ${failed.length} not answered 200; ` +
        `replayed by nginx after trying api-1: ${replayed.length}, of which taken over from api-1's claim by api-2: ${takenOver}`,
    );
    for (const line of replayed.slice(0, 5)) log(`  ${line}`);
    try {
      expect(failed).toEqual([]);
      expect(replayed.length).toBeGreaterThan(0);

      const recorded = async () =>
        (await ds.query(
          `SELECT workflow_id, (data->>'percent')::int AS percent, count(*)::int AS n FROM assignment_events
            WHERE workflow_id = ANY($1) AND type = 'progress' GROUP BY 1, 2`,
          [workflowIds],
        )) as { workflow_id: string; percent: number; n: number }[];
      const rows = await waitFor('every answered report projected', recorded, (r) => r.length >= results.length, 60_000, 500);
      const count = new Map(rows.map((r) => [`${r.workflow_id} ${r.percent}`, r.n]));
      expect(results.filter((r) => count.get(`${r.workflowId} ${r.percent}`) !== 1)).toEqual([]);
      expect(rows.filter((r) => r.n !== 1)).toEqual([]);
      expect(rows.length).toBe(results.length);
    } finally {
      await ds.destroy();
    }
  });

  it('runs every process, serves through nginx across replica failures, restarts what dies and stops everything', async () => {
    expect(handle.processes().map((p) => [p.name, p.state])).toEqual([
      ['postgres', 'running'],
      ['temporal', 'running'],
      ['smtp', 'running'],
      ['worker-1', 'running'],
      ['api-1', 'running'],
      ['api-2', 'running'],
      ['nginx', 'running'],
    ]);
    const health = await fetch(`${handle.proxyUrl}/health`);
    expect(health.status).toBe(200);
    expect(((await health.json()) as { status: string }).status).toBe('up');

    // A session made through replica 1 is honoured by replica 2: sessions live in the shared database.
    const login = await fetch(`${handle.apiUrls[0]}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'dieuphoi', password: handle.samplePassword }),
    });
    expect(login.status).toBe(200);
    const cookie = login.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const me = await fetch(`${handle.apiUrls[1]}/api/auth/me`, { headers: { cookie } });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { user: { username: string } }).user.username).toBe('dieuphoi');

    // Replica 1 stopped (and kept down), then replica 2 killed -9 (and restarted by the supervisor) while
    // requests keep coming through nginx: each time the other replica answers them.
    const url = `${handle.proxyUrl}/api/auth/me`;
    const fetchMe = (): Promise<Response> => fetch(url, { headers: { cookie } });
    expect((await fetchMe()).status).toBe(200);
    const whileStopped = await loadWhile(`${handle.proxyUrl}/health`, async () => {
      await new Promise((r) => setTimeout(r, 500));
      await handle.stopProcess('api-1');
      await new Promise((r) => setTimeout(r, 2000));
    });
    expect(handle.processes().find((p) => p.name === 'api-1')?.state).toBe('stopped');
    expect(whileStopped.length).toBeGreaterThan(20);
    expect(whileStopped.filter((s) => s !== 200)).toEqual([]);
    await handle.startProcess('api-1');
    // nginx keeps a replica it saw fail out of rotation for fail_timeout (5 s, deploy/cluster/nginx.ts), however
    // soon it is back: only then is there another replica to take over when api-2 dies (seen: a kill 4.9 s after
    // api-1's stop left nginx with no live upstream for a second).
    await new Promise((r) => setTimeout(r, 6_000));

    const killedPid = handle.processes().find((p) => p.name === 'api-2')!.pid!;
    const whileKilled = await loadWhile(`${handle.proxyUrl}/health`, async () => {
      await new Promise((r) => setTimeout(r, 500));
      handle.kill('api-2');
      await new Promise((r) => setTimeout(r, 300));
      await handle.waitReady('api-2', 120_000);
    });
    expect(whileKilled.filter((s) => s !== 200)).toEqual([]);
    const api2 = handle.processes().find((p) => p.name === 'api-2')!;
    expect(api2.restarts).toBe(1);
    expect(api2.pid).not.toBe(killedPid);
    expect(alive(killedPid)).toBe(false);
    expect(readFileSync(join(dir, 'logs', 'supervisor.log'), 'utf8')).toContain(`api-2 (pid ${killedPid}) exited (SIGKILL)`);

    // The proxy itself: killed, restarted, serving again.
    handle.kill('nginx');
    await new Promise((r) => setTimeout(r, 300));
    await handle.waitReady('nginx', 60_000);
    expect((await fetchMe()).status).toBe(200);

    // The state file that `npm run cluster -- status|stop` reads agrees with the handle.
    const state = JSON.parse(readFileSync(join(dir, 'cluster.json'), 'utf8')) as ClusterState;
    expect(state.supervisorPid).toBe(process.pid);
    expect(state.proxyUrl).toBe(handle.proxyUrl);
    expect(state.processes.map((p) => [p.name, p.pid, p.restarts])).toEqual(handle.processes().map((p) => [p.name, p.pid, p.restarts]));

    const pids = handle.processes().map((p) => p.pid!);
    await handle.stop();
    expect(handle.processes().every((p) => p.state === 'stopped' && p.pid === null)).toBe(true);
    expect(pids.filter(alive)).toEqual([]);
    await expect(fetch(`${handle.proxyUrl}/health`)).rejects.toThrow();
  });
});
