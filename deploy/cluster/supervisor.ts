// Runs the cluster's processes as children, each with its own log file, restarts any that dies unasked (with a
// growing back-off) and stops them in the order the caller asks. Every child gets its own process group, so a
// Ctrl-C in the terminal reaches only the supervisor (which then stops them in order), and `kill` can take a
// process down together with whatever it forked (nginx's workers, PostgreSQL's backends), as a container
// runtime would.
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';

export type ProcessState = 'starting' | 'running' | 'stopped' | 'restarting';

export interface ChildSpec {
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Run as another account (PostgreSQL refuses to run as root). */
  uid?: number;
  gid?: number;
  /**
   * Resolves once the process serves; `sinceLogOffset` is the size its log had when this start began. `signal`
   * aborts when the start is over either way (ready, timed out, exited), so a polling check stops polling.
   */
  ready(ctx: { pid: number; logFile: string; sinceLogOffset: number; signal: AbortSignal }): Promise<void>;
  readyTimeoutMs?: number;
  /** The signal that asks it to stop cleanly (PostgreSQL: SIGINT, its fast shutdown). */
  stopSignal?: NodeJS.Signals;
  /** After this long a stop becomes SIGKILL (a worker drains in-flight tasks first: give it time). */
  stopTimeoutMs?: number;
}

export interface SupervisedInfo {
  name: string;
  pid: number | null;
  state: ProcessState;
  restarts: number;
}

const BACKOFF_MS = [500, 1000, 2000, 4000, 8000, 15000];
/** A process that ran this long before dying starts again at the shortest back-off. */
const STABLE_AFTER_MS = 60_000;

class Supervised {
  child: ChildProcess | null = null;
  state: ProcessState = 'stopped';
  restarts = 0;
  /** Whether it should be running: false after stopProcess, so an exit is not followed by a restart. */
  wanted = false;
  private failuresInARow = 0;
  private startedAt = 0;
  private restartTimer: NodeJS.Timeout | null = null;
  private readyPromise: Promise<void> | null = null;
  private exitWaiters: (() => void)[] = [];

  constructor(
    readonly spec: ChildSpec,
    readonly logFile: string,
    private readonly log: (msg: string) => void,
    private readonly onChange: () => void,
  ) {}

  info(): SupervisedInfo {
    return { name: this.spec.name, pid: this.child?.pid ?? null, state: this.state, restarts: this.restarts };
  }

  /** Spawns it and resolves when it is ready; rejects (and leaves it stopped) if it never gets there. */
  start(): Promise<void> {
    this.wanted = true;
    this.spawnOnce('starting');
    return this.whenReady();
  }

  whenReady(): Promise<void> {
    return this.readyPromise ?? Promise.reject(new Error(`${this.spec.name} is not running`));
  }

  private spawnOnce(state: ProcessState): void {
    const { spec } = this;
    const sinceLogOffset = fileSize(this.logFile);
    const fd = openSync(this.logFile, 'a');
    let child: ChildProcess;
    try {
      child = spawn(spec.command, spec.args, {
        cwd: spec.cwd,
        env: spec.env ?? process.env,
        stdio: ['ignore', fd, fd],
        detached: true,
        ...(spec.uid !== undefined ? { uid: spec.uid, gid: spec.gid } : {}),
      });
    } finally {
      closeSync(fd);
    }
    this.child = child;
    this.state = state;
    this.startedAt = Date.now();
    this.onChange();
    let exited = false;
    const exitedEarly = new Promise<never>((_, reject) => {
      child.once('error', (err) => reject(new Error(`${spec.name} could not be started: ${err.message}`)));
      child.once('exit', (code, signal) =>
        reject(new Error(`${spec.name} exited during start-up (${code ?? signal}); see ${this.logFile}. Its last lines:\n${tail(this.logFile, sinceLogOffset)}`)),
      );
    });
    exitedEarly.catch(() => undefined);
    child.once('exit', (code, signal) => {
      exited = true;
      this.onExit(child, code, signal);
    });
    child.once('error', (err) => {
      if (!exited) this.log(`${spec.name}: ${err.message}`);
    });
    const timeoutMs = spec.readyTimeoutMs ?? 120_000;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${spec.name} was not ready within ${timeoutMs / 1000} s; see ${this.logFile}`)), timeoutMs);
    });
    const abort = new AbortController();
    this.readyPromise = Promise.race([spec.ready({ pid: child.pid ?? -1, logFile: this.logFile, sinceLogOffset, signal: abort.signal }), exitedEarly, timeout])
      .then(() => {
        if (this.child === child && !exited) {
          this.state = 'running';
          this.onChange();
        }
      })
      .finally(() => {
        clearTimeout(timer);
        abort.abort();
      });
    // A restart nobody awaits must not become an unhandled rejection: the exit handler deals with a dead child.
    this.readyPromise.catch((err: unknown) => {
      if (this.child === child && !exited && this.wanted) {
        this.log(`${spec.name}: ${(err as Error).message}; killing it so that it starts again`);
        this.signalGroup(child, 'SIGKILL');
      }
    });
  }

  private onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.child !== child) return;
    for (const w of this.exitWaiters.splice(0)) w();
    // Its forks (nginx workers, PostgreSQL backends) must not outlive it holding the port or shared memory.
    this.signalGroup(child, 'SIGKILL');
    if (!this.wanted) {
      this.state = 'stopped';
      this.child = null;
      this.onChange();
      return;
    }
    const ranMs = Date.now() - this.startedAt;
    this.failuresInARow = ranMs > STABLE_AFTER_MS ? 1 : this.failuresInARow + 1;
    const delay = BACKOFF_MS[Math.min(this.failuresInARow - 1, BACKOFF_MS.length - 1)];
    this.state = 'restarting';
    this.restarts += 1;
    this.onChange();
    this.log(`${this.spec.name} (pid ${child.pid}) exited (${code ?? signal}); restart ${this.restarts} in ${delay} ms`);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      if (this.wanted) this.spawnOnce('restarting');
    }, delay);
  }

  private signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
    if (!child.pid) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // The group is gone already.
    }
  }

  kill(signal: NodeJS.Signals): void {
    if (!this.child?.pid) throw new Error(`${this.spec.name} has no running process to kill`);
    this.signalGroup(this.child, signal);
  }

  /** Stops it and keeps it down until start() is called again. */
  async stop(): Promise<void> {
    this.wanted = false;
    if (this.restartTimer) {
      clearTimeout(this.restartTimer);
      this.restartTimer = null;
    }
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) {
      this.state = 'stopped';
      this.child = null;
      this.onChange();
      return;
    }
    await new Promise<void>((res) => {
      const timer = setTimeout(() => {
        this.log(`${this.spec.name} did not stop within ${(this.spec.stopTimeoutMs ?? 15000) / 1000} s: SIGKILL`);
        this.signalGroup(child, 'SIGKILL');
      }, this.spec.stopTimeoutMs ?? 15000);
      this.exitWaiters.push(() => {
        clearTimeout(timer);
        res();
      });
      // The main process only: it stops its own forks in its own way (PostgreSQL's backends, nginx's workers).
      child.kill(this.spec.stopSignal ?? 'SIGTERM');
    });
  }
}

/** The last lines a process wrote to its log since `offset` (what it said before dying). */
function tail(file: string, offset: number, lines = 15): string {
  try {
    const size = fileSize(file);
    const from = Math.max(offset, size - 16 * 1024);
    const buf = Buffer.alloc(size - from);
    const fd = openSync(file, 'r');
    try {
      readSync(fd, buf, 0, buf.length, from);
    } finally {
      closeSync(fd);
    }
    return buf.toString('utf8').trimEnd().split('\n').slice(-lines).map((l) => `    ${l.slice(0, 500)}`).join('\n');
  } catch {
    return '    (no log)';
  }
}

function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

export class Supervisor {
  private readonly procs = new Map<string, Supervised>();
  private readonly order: string[] = [];

  constructor(
    readonly logDir: string,
    private readonly log: (msg: string) => void,
    private readonly onChange: () => void = () => undefined,
  ) {
    mkdirSync(logDir, { recursive: true });
  }

  logFileOf(name: string): string {
    return join(this.logDir, `${name}.log`);
  }

  /** Adds and starts a process; resolves when it is ready. */
  async add(spec: ChildSpec): Promise<void> {
    if (this.procs.has(spec.name)) throw new Error(`a process named ${spec.name} exists already`);
    const p = new Supervised(spec, this.logFileOf(spec.name), this.log, this.onChange);
    this.procs.set(spec.name, p);
    this.order.push(spec.name);
    try {
      await p.start();
    } catch (err) {
      await p.stop();
      throw err;
    }
  }

  private get(name: string): Supervised {
    const p = this.procs.get(name);
    if (!p) throw new Error(`no process named "${name}" (there are: ${this.order.join(', ')})`);
    return p;
  }

  list(): SupervisedInfo[] {
    return this.order.map((n) => this.get(n).info());
  }

  kill(name: string, signal: NodeJS.Signals = 'SIGKILL'): void {
    this.get(name).kill(signal);
  }

  async stopProcess(name: string): Promise<void> {
    await this.get(name).stop();
  }

  async startProcess(name: string): Promise<void> {
    const p = this.get(name);
    if (p.wanted && p.child) return p.whenReady();
    await p.start();
  }

  async restart(name: string): Promise<void> {
    await this.stopProcess(name);
    await this.startProcess(name);
  }

  /** Resolves when it is running and has passed its readiness check (after a restart too). */
  async waitReady(name: string, timeoutMs = 120_000): Promise<void> {
    const p = this.get(name);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (p.state === 'running') return;
      if (p.state === 'stopped' && !p.wanted) throw new Error(`${name} is stopped (startProcess starts it again)`);
      if (Date.now() > deadline) throw new Error(`${name} was not ready within ${timeoutMs / 1000} s (state ${p.state})`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** Stops the named processes one after the other; those not named keep running. */
  async stopInOrder(names: string[]): Promise<void> {
    for (const name of names) {
      if (this.procs.has(name)) await this.get(name).stop().catch((err: unknown) => this.log(`stopping ${name}: ${String(err)}`));
    }
  }

  /** Every process's main pid, for a last-resort kill when the supervisor itself goes down. */
  pids(): number[] {
    return this.list()
      .map((p) => p.pid)
      .filter((p): p is number => p !== null);
  }
}
