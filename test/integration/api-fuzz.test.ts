// Schemathesis over the whole API, signed in as each role: the OpenAPI document (generated from
// libs/contracts) must describe what the running app accepts and answers. Real PostgreSQL, Temporal and
// SMTP sink, as every integration test; Schemathesis is the pinned version deploy/local/schemathesis.js finds
// or installs under .cache.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type SampleStack, startSampleStack } from '../support/harness';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { schemathesisCommand } = require('../../deploy/local/schemathesis.js') as { schemathesisCommand(): { argv: string[]; env: Record<string, string> } };

const OUT = join(__dirname, '../../test-output/api-fuzz');
const ROLES = { admin: 'admin', coordinator: 'dieuphoi', leader: 'lanhdao', unit_head: 'xa-an-son.truong', unit_officer: 'xa-an-son.canbo' } as const;
/** Per operation and role: enough to reach every branch of the schemas without taking minutes on 2 cores. */
const MAX_EXAMPLES = Number(process.env.API_FUZZ_MAX_EXAMPLES ?? 6);

interface RunResult {
  exitCode: number;
  output: string;
}

function runSchemathesis(args: string[]): Promise<RunResult> {
  const cmd = schemathesisCommand();
  return new Promise((resolve, reject) => {
    const child = spawn(cmd.argv[0]!, [...cmd.argv.slice(1), ...args], { env: { ...process.env, ...cmd.env, NO_COLOR: '1', PYTHONUNBUFFERED: '1' } });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ exitCode: code ?? -1, output }));
  });
}

describe('API fuzzing (Schemathesis) against the generated OpenAPI document', () => {
  let stack: SampleStack;

  beforeAll(async () => {
    schemathesisCommand();
    mkdirSync(OUT, { recursive: true });
    stack = await startSampleStack({ SMTP_URL: 'smtp://127.0.0.1:9' });
    const doc = await fetch(`${stack.api.baseUrl}/docs/openapi.json`);
    writeFileSync(join(OUT, 'openapi.json'), await doc.text());
  }, 300_000);

  afterAll(async () => {
    await stack?.close();
  });

  it.each(Object.entries(ROLES))('as %s: no server error, no response outside the document, no operation that rejects everything', async (role, username) => {
    const session = await stack.loginAs(username);
    const report = join(OUT, `${role}.ndjson`);
    const { exitCode, output } = await runSchemathesis([
      'run',
      join(OUT, 'openapi.json'),
      '--url',
      stack.api.baseUrl,
      '--header',
      `Cookie: ${session.headers.cookie}`,
      '--header',
      `x-csrf-token: ${session.csrfToken}`,
      // Signing out would end the session the rest of the run uses.
      '--exclude-operation-id',
      'logout',
      '--max-examples',
      String(MAX_EXAMPLES),
      // Not yet the default checks: see docs/api-contract.md "Fuzzing" for what is left (status codes of
      // undeclared methods, schema-valid filters the API still refuses, the cookie sent as a header).
      '--checks',
      'not_a_server_error,response_schema_conformance,content_type_conformance',
      // The coverage phase crashes inside Schemathesis on Python 3.11 (AST recursion) for the largest bodies.
      '--phases',
      'examples,fuzzing',
      '--workers',
      '2',
      '--seed',
      '1',
      '--report',
      'ndjson',
      '--report-ndjson-path',
      report,
    ]);
    writeFileSync(join(OUT, `${role}.log`), output);
    const failures = output.split('\n').filter((l) => /^_{3,} .* _{3,}$|^\d+\. /.test(l));
    expect({ role, exitCode, failures, tail: exitCode === 0 ? '' : output.slice(-4000) }).toEqual({ role, exitCode: 0, failures: [], tail: '' });
    expect(readFileSync(report, 'utf8').length).toBeGreaterThan(0);
  }, 600_000);
});
