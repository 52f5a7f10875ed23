'use strict';
// Finds or installs Schemathesis (the OpenAPI fuzzer the API suite runs, test/integration/api-fuzz.test.ts).
// Plain Node, no dependencies. Order: SCHEMATHESIS_PATH, `st` on PATH at the pinned version, the project
// cache (.cache/schemathesis, a `pip install --target` of the pinned version), else install it there.
// Usage: `node deploy/local/schemathesis.js` prints the command to run (a JSON array) on stdout.
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const ROOT = path.resolve(__dirname, '..', '..');
// Pinned: the suite's assertions read this version's JUnit report and its check names.
const VERSION = '4.32.5';
const TARGET = path.join(process.env.DONDOC_CACHE_DIR || path.join(ROOT, '.cache'), 'schemathesis', VERSION);

function log(msg) {
  process.stderr.write(`[schemathesis] ${msg}\n`);
}

function run(cmd, args, env) {
  const res = spawnSync(cmd, args, { encoding: 'utf8', env: { ...process.env, ...env } });
  return { ok: res.status === 0 && !res.error, out: `${res.stdout || ''}${res.stderr || ''}` };
}

/** The command (argv) that runs the pinned Schemathesis CLI, installing it into the cache when needed. */
function schemathesisCommand() {
  if (process.env.SCHEMATHESIS_PATH) return { argv: [process.env.SCHEMATHESIS_PATH], env: {} };
  const onPath = run('st', ['--version']);
  if (onPath.ok && onPath.out.includes(VERSION)) return { argv: ['st'], env: {} };
  const cached = { argv: ['python3', '-m', 'schemathesis.cli'], env: { PYTHONPATH: TARGET } };
  const probe = () => run('python3', ['-c', 'import schemathesis, sys; sys.stdout.write(schemathesis.__version__ if hasattr(schemathesis, "__version__") else "")'], cached.env);
  if (fs.existsSync(path.join(TARGET, 'schemathesis')) && probe().ok) return cached;
  log(`installing schemathesis ${VERSION} into ${path.relative(ROOT, TARGET)} (once)`);
  fs.mkdirSync(TARGET, { recursive: true });
  const install = run('python3', ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--target', TARGET, `schemathesis==${VERSION}`]);
  if (!install.ok) throw new Error(`pip install schemathesis==${VERSION} failed:\n${install.out}`);
  if (!probe().ok) throw new Error(`schemathesis ${VERSION} installed into ${TARGET} but does not import`);
  return cached;
}

module.exports = { schemathesisCommand, SCHEMATHESIS_VERSION: VERSION };

if (require.main === module) {
  const cmd = schemathesisCommand();
  process.stdout.write(`${JSON.stringify(cmd)}\n`);
}
