// The API and the worker as real processes (their main.ts, as `npm start` runs them), against the services the
// global setup started. Tracing and the SDK Core's metrics are installed per process, before the modules they
// patch are loaded: only a process of their own shows them as production has them.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { freePort } from '../../deploy/local/stack';

const ROOT = join(__dirname, '..', '..');

export interface AppProcess {
  name: string;
  child: ChildProcess;
  /** Everything the process wrote, for the failure message. */
  output(): string;
  stop(): Promise<void>;
}

export interface AppPair {
  apiUrl: string;
  taskQueue: string;
  api: AppProcess;
  worker: AppProcess;
  stop(): Promise<void>;
}

function startProcess(name: string, entry: string, env: Record<string, string>): AppProcess {
  const child = spawn(process.execPath, [join(ROOT, 'deploy/local/run-ts.js'), join(ROOT, entry)], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    name,
    child,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}

/** Starts a worker and an API on a task queue of their own; resolves when the API's /health says all is up. */
export async function startAppPair(extraEnv: { api?: Record<string, string>; worker?: Record<string, string>; both?: Record<string, string> } = {}): Promise<AppPair> {
  const env = process.env;
  if (!env.DONDOC_TEST_DATABASE_URL) throw new Error('integration services are not running (global setup)');
  const taskQueue = `test-${randomUUID()}`;
  const port = await freePort();
  const common: Record<string, string> = {
    NODE_ENV: 'test',
    DATABASE_URL: env.DONDOC_TEST_DATABASE_URL,
    TEMPORAL_ADDRESS: env.DONDOC_TEST_TEMPORAL_ADDRESS!,
    TASK_QUEUE: taskQueue,
    WORKFLOW_BUNDLE_PATH: env.WORKFLOW_BUNDLE_PATH!,
    LOG_LEVEL: 'warn',
    PORT: String(port),
    HOST: '127.0.0.1',
    RATE_LIMIT_LOGIN_FAILURES_ADDRESS: '100000/60',
    ...extraEnv.both,
  };
  const worker = startProcess('worker', 'apps/worker/src/main.ts', { ...common, ...extraEnv.worker });
  const api = startProcess('api', 'apps/api/src/main.ts', { ...common, ...extraEnv.api });
  const apiUrl = `http://127.0.0.1:${port}`;
  const pair: AppPair = { apiUrl, taskQueue, api, worker, stop: async () => void (await Promise.all([api.stop(), worker.stop()])) };
  // Generous: each process transpiles the whole tree on start, and a loaded CI machine makes that slow.
  const deadline = Date.now() + 300_000;
  for (;;) {
    for (const p of [api, worker]) {
      if (p.child.exitCode !== null) {
        await pair.stop();
        throw new Error(`${p.name} exited with ${p.child.exitCode}:\n${p.output()}`);
      }
    }
    const ok = await fetch(`${apiUrl}/health`)
      .then((r) => r.status === 200)
      .catch(() => false);
    if (ok) return pair;
    if (Date.now() > deadline) {
      await pair.stop();
      throw new Error(`the API did not become healthy within 300 s\napi:\n${api.output()}\nworker:\n${worker.output()}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}
