// `npm run cluster [-- start|stop|status|logs <name> [-f]]`: the one-machine cluster for people (docs/cluster.md).
// `start` (the default) runs in the foreground until Ctrl-C; the others act on a cluster started in another
// terminal, through the state file it keeps (dir/cluster.json).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runDemoAfterStart } from '../seed/demo-launch';
import { type ClusterState, STATE_FILE, startCluster } from './cluster';

const ROOT = resolve(__dirname, '..', '..');

function say(msg: string): void {
  process.stderr.write(`\x1b[36m▶\x1b[0m ${msg}\n`);
}

function usage(): never {
  process.stderr.write(
    [
      'Usage: npm run cluster [-- <command>]',
      '  start                 (default) start the cluster in the foreground; Ctrl-C stops it',
      '  stop                  stop the cluster started in another terminal',
      '  status                its processes, pids, restarts and URLs',
      '  logs <name> [-f]      the last lines of one process log (-f follows it)',
      'Options (start): --workers N  --apis N  (or CLUSTER_WORKERS, CLUSTER_APIS; default 2 each)',
      'Environment: CLUSTER_DIR (default .data/cluster), CLUSTER_BASE_PORT (default 8400), DATABASE_URL (an existing PostgreSQL)',
      '',
    ].join('\n'),
  );
  process.exit(2);
}

function clusterDir(): string {
  return resolve(ROOT, process.env.CLUSTER_DIR ?? '.data/cluster');
}

function readState(dir: string): ClusterState | null {
  const file = join(dir, STATE_FILE);
  if (!existsSync(file)) return null;
  const state = JSON.parse(readFileSync(file, 'utf8')) as Partial<ClusterState>;
  return state.supervisorPid ? (state as ClusterState) : null;
}

function alive(pid: number | null | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function flag(args: string[], name: string, envVar: string): number | undefined {
  const i = args.indexOf(name);
  const raw = i >= 0 ? args[i + 1] : process.env[envVar];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n)) throw new Error(`${i >= 0 ? name : envVar} must be a whole number, got "${raw}"`);
  return n;
}

async function start(args: string[]): Promise<void> {
  const dir = clusterDir();
  const running = readState(dir);
  if (running && alive(running.supervisorPid)) {
    throw new Error(`A cluster is already running from ${dir} (pid ${running.supervisorPid}). npm run cluster -- status shows it; -- stop stops it.`);
  }
  const started = Date.now();
  // A Ctrl-C during start-up: exiting runs the cluster's exit guard, which takes every child down with it
  // (by default a signal would end this process without it, leaving them running in their own groups).
  const early = (): void => process.exit(130);
  for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(s, early);
  const handle = await startCluster({
    dir,
    workers: flag(args, '--workers', 'CLUSTER_WORKERS'),
    apis: flag(args, '--apis', 'CLUSTER_APIS'),
    databaseUrl: process.env.DATABASE_URL,
    sampleData: true,
    log: say,
  });
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    say(`${signal}: stopping the cluster (nginx, APIs, workers drained, Temporal, SMTP sink, PostgreSQL) ...`);
    void handle.stop().then(() => {
      say('Stopped.');
      process.exit(0);
    });
  };
  for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.off(s, early);
    process.on(s, () => stop(s));
  }

  // The demo plan through the proxy, as `npm start` makes it (deploy/seed/demo.ts; DONDOC_DEMO=false skips it).
  await runDemoAfterStart({
    baseUrl: handle.proxyUrl,
    root: ROOT,
    env: { ...process.env, DONDOC_SAMPLE_DATA: 'true', DONDOC_SAMPLE_PASSWORD: handle.samplePassword },
    log: say,
  });
  const procs = handle.processes();
  process.stderr.write(
    [
      '',
      `\x1b[32mThe Dondoc cluster is running\x1b[0m (ready in ${((Date.now() - started) / 1000).toFixed(1)} s). Ctrl-C, or npm run cluster -- stop, stops it.`,
      `  App (through nginx): ${handle.proxyUrl}/`,
      `  API replicas:        ${handle.apiUrls.join('  ')}`,
      `  Temporal frontend:   ${handle.temporalAddress} (namespace ${handle.namespace}); the real server has no web UI: run`,
      `                       temporal-ui-server, or \`temporal workflow list --address ${handle.temporalAddress} --namespace ${handle.namespace}\``,
      `  Metrics:             ${[...handle.metricsUrls.apis, ...handle.metricsUrls.workers].join('  ')}`,
      `  Caught e-mail:       ${handle.smtp.storeDir}`,
      `  Logs:                ${join(dir, 'logs')}/<process>.log  (npm run cluster -- logs <process>)`,
      `  Processes:           ${procs.map((p) => `${p.name}(${p.pid})`).join(' ')}`,
      `  Sign in:             dieuphoi, lanhdao, xa-an-son.canbo, admin …; password in ${join(dir, 'sample-password')}`,
      '',
    ].join('\n'),
  );
}

async function stopRemote(): Promise<void> {
  const dir = clusterDir();
  const state = readState(dir);
  if (!state) {
    say(`No cluster state in ${dir}: nothing to stop.`);
    return;
  }
  if (alive(state.supervisorPid)) {
    say(`Asking the cluster (pid ${state.supervisorPid}) to stop in order ...`);
    process.kill(state.supervisorPid, 'SIGTERM');
    const deadline = Date.now() + 180_000;
    while (alive(state.supervisorPid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 300));
    if (!alive(state.supervisorPid)) {
      say('Stopped.');
      return;
    }
    say('It did not stop within 3 minutes: stopping its processes directly.');
  } else {
    say(`The supervisor (pid ${state.supervisorPid}) is gone; stopping the processes it left.`);
  }
  // Reverse start order: the proxy first, PostgreSQL last; each group with what it forked.
  for (const p of [...state.processes].reverse()) {
    if (!alive(p.pid)) continue;
    try {
      process.kill(-p.pid!, p.name === 'postgres' ? 'SIGINT' : 'SIGTERM');
    } catch {
      // gone meanwhile
    }
    const deadline = Date.now() + 30_000;
    while (alive(p.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    if (alive(p.pid)) process.kill(-p.pid!, 'SIGKILL');
    say(`  ${p.name} (pid ${p.pid}) stopped`);
  }
}

async function status(): Promise<void> {
  const dir = clusterDir();
  const state = readState(dir);
  if (!state) {
    process.stdout.write(`No cluster state in ${dir} (not started, or stopped).\n`);
    process.exitCode = 1;
    return;
  }
  const up = alive(state.supervisorPid);
  process.stdout.write(`Cluster in ${dir}, started ${state.startedAt}; supervisor pid ${state.supervisorPid} ${up ? 'running' : 'GONE'}\n`);
  for (const p of state.processes) {
    const live = alive(p.pid) ? p.state : 'dead';
    process.stdout.write(`  ${p.name.padEnd(10)} pid ${String(p.pid ?? '-').padEnd(8)} ${live.padEnd(10)} restarts ${p.restarts}  ${p.log}\n`);
  }
  let health = 'no answer';
  try {
    const res = await fetch(`${state.proxyUrl}/health`, { signal: AbortSignal.timeout(3000) });
    health = `${res.status} ${(await res.text()).slice(0, 200)}`;
  } catch (err) {
    health = `no answer (${(err as Error).message})`;
  }
  process.stdout.write(`  proxy ${state.proxyUrl}/health: ${health}\n  Temporal ${state.temporalAddress} namespace ${state.namespace}\n`);
}

function logs(args: string[]): void {
  const name = args[0];
  if (!name) usage();
  const file = join(clusterDir(), 'logs', `${name}.log`);
  if (!existsSync(file)) throw new Error(`No log ${file}. Processes: postgres, temporal, smtp, worker-N, api-N, nginx (and nginx-access, supervisor)`);
  const child = spawn('tail', ['-n', '200', ...(args.includes('-f') ? ['-f'] : []), file], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
}

async function main(): Promise<void> {
  const [command = 'start', ...rest] = process.argv.slice(2);
  if (command === 'start' || command.startsWith('--')) await start(command.startsWith('--') ? [command, ...rest] : rest);
  else if (command === 'stop') await stopRemote();
  else if (command === 'status') await status();
  else if (command === 'logs') logs(rest);
  else usage();
}

main().catch((err: unknown) => {
  process.stderr.write(`\n${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
