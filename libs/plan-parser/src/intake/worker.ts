import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { type OrganisationDirectory } from '../../../domain/src/organisation';
import { PlanParseError } from '../errors';
import { type ParsePlanInput, type ParsePlanOptions, type ParsePlanResult } from '../parse-plan';
import { type ParseJob, type ParseReply } from './parse-worker';

export interface WorkerLimits {
  /** Wall clock for one parse, worker start included; then the worker is terminated. */
  timeoutMs: number;
  /** V8 old-generation heap of the worker. */
  maxHeapMb: number;
}

// The sample plan parses in ~0.2 s; 5 MB of text (the size cap) in a few seconds. 30 s is far above both.
export const DEFAULT_WORKER_LIMITS: WorkerLimits = { timeoutMs: 30_000, maxHeapMb: 512 };

/**
 * How the worker loads its entry in each of the three ways the code runs: compiled (dist/…/parse-worker.js
 * beside this file), or from TypeScript sources (jest, `npm start`, `npm run cli`), where the worker thread
 * has no transpiler of its own: it registers a minimal .ts hook with the project's TypeScript, as
 * deploy/local/run-ts.js does for the main thread.
 */
const TS_BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
const Module = require('node:module');
const fs = require('node:fs');
const entry = workerData.__entry;
const ts = Module.createRequire(entry)('typescript');
const options = { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, inlineSourceMap: true };
require.extensions['.ts'] = (module, filename) => {
  const source = fs.readFileSync(filename, 'utf8');
  module._compile(ts.transpileModule(source, { compilerOptions: options, fileName: filename }).outputText, filename);
};
require(entry);
`;

function startWorker(job: ParseJob, limits: WorkerLimits): Worker {
  const resourceLimits = { maxOldGenerationSizeMb: limits.maxHeapMb, maxYoungGenerationSizeMb: Math.max(4, Math.min(64, limits.maxHeapMb / 8)) };
  const compiled = join(__dirname, 'parse-worker.js');
  if (__filename.endsWith('.js') && existsSync(compiled)) return new Worker(compiled, { workerData: job, resourceLimits });
  const entry = join(__dirname, 'parse-worker.ts');
  return new Worker(TS_BOOTSTRAP, { eval: true, workerData: { ...job, __entry: entry }, resourceLimits });
}

/**
 * parsePlan in a worker thread with a memory limit and a wall-clock limit, so one document can never
 * stall the process that serves everyone else. The directory travels as its plain data.
 */
export function parseInWorker(
  input: ParsePlanInput,
  directory: OrganisationDirectory,
  options: ParsePlanOptions = {},
  limits: WorkerLimits = DEFAULT_WORKER_LIMITS,
): Promise<ParsePlanResult> {
  return new Promise((resolve, reject) => {
    const worker = startWorker({ input, directory: directory.file, options }, limits);
    let settled = false;
    const finish = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outcome();
      void worker.terminate();
    };
    const timer = setTimeout(
      () => finish(() => reject(new PlanParseError('PARSE_TIMEOUT', `Giới hạn ${Math.round(limits.timeoutMs / 100) / 10} giây.`))),
      limits.timeoutMs,
    );
    worker.once('message', (reply: ParseReply) =>
      finish(() => {
        if (reply.ok) resolve(reply.result);
        else if (reply.code) reject(new PlanParseError(reply.code, reply.detail ?? undefined));
        else reject(new Error(`plan parser failed in its worker: ${reply.message}`));
      }),
    );
    worker.once('error', (error: Error & { code?: string }) =>
      finish(() =>
        reject(
          error.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? new PlanParseError('PARSE_MEMORY_LIMIT', `Giới hạn ${limits.maxHeapMb} MB.`)
            : error,
        ),
      ),
    );
    worker.once('exit', (code) => finish(() => reject(new Error(`plan parser worker exited (${code}) without an answer`))));
  });
}
