import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { type OrganisationDirectory } from '../../../domain/src/organisation';
import { PlanParseError } from '../errors';
import { type ParsePlanInput, type ParsePlanOptions, type ParsePlanResult } from '../parse-plan';
import { type ParseJob, type ParseReply, READY } from './parse-worker';

export interface WorkerLimits {
  /** Wall clock for one parse, counted once the worker is loaded; then the worker is terminated. */
  timeoutMs: number;
  /** Wall clock for a new worker to load its code (seconds from TypeScript sources on a busy machine). */
  startTimeoutMs?: number;
  /** V8 old-generation heap of the worker. */
  maxHeapMb: number;
}

// The sample plan parses in ~0.2 s; 5 MB of text (the size cap) in a few seconds: 30 s is far above both. Loading
// a worker is timed apart: from TypeScript sources (see TS_BOOTSTRAP) on a loaded 2-core machine it took over 30 s,
// and counting it against the document made every cold parse in the import bench time out.
export const DEFAULT_WORKER_LIMITS: WorkerLimits = {
  timeoutMs: 30_000,
  startTimeoutMs: 120_000,
  maxHeapMb: 512,
};

/**
 * How the worker loads its entry in each of the three ways the code runs: compiled (dist/…/parse-worker.js
 * beside this file), or from TypeScript sources (jest, `npm run cli`, run-ts.js), where the worker thread
 * has no transpiler of its own: it registers a minimal .ts hook with the project's TypeScript, as
 * deploy/local/run-ts.js does for the main thread. Loading TypeScript costs seconds, hence the warm worker.
 */
const TS_BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
const Module = require('node:module');
const fs = require('node:fs');
const entry = workerData.entry;
const ts = Module.createRequire(entry)('typescript');
const options = { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, inlineSourceMap: true };
require.extensions['.ts'] = (module, filename) => {
  const source = fs.readFileSync(filename, 'utf8');
  module._compile(ts.transpileModule(source, { compilerOptions: options, fileName: filename }).outputText, filename);
};
require(entry);
`;

interface Warm {
  worker: Worker;
  maxHeapMb: number;
}

/** Workers that have posted READY. */
const loaded = new WeakSet<Worker>();

/** One idle worker kept between parses (started lazily, never keeps the process alive). */
let idle: Warm | null = null;

function startWorker(maxHeapMb: number): Worker {
  const worker = spawnWorker(maxHeapMb);
  // A warm worker that dies while idle is forgotten; errors of a busy one are handled by its caller.
  worker.on('exit', () => {
    if (idle?.worker === worker) idle = null;
  });
  worker.on('error', () => undefined);
  worker.once('message', (message: unknown) => {
    if (message === READY) loaded.add(worker);
  });
  return worker;
}

/**
 * V8 takes a process-wide --max-old-space-size over a worker's own resourceLimits: under such a flag the worker may
 * grow to the process's limit and a huge document ends in PARSE_TIMEOUT instead of PARSE_MEMORY_LIMIT. Said once.
 */
let heapFlagWarned = false;
function warnOnProcessHeapFlag(): void {
  if (heapFlagWarned) return;
  const flags = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)];
  if (!flags.some((f) => f.startsWith('--max-old-space-size'))) return;
  heapFlagWarned = true;
  process.emitWarning(
    'The process runs with --max-old-space-size, which overrides the plan-parsing worker memory limit; only its time limit applies.',
    { code: 'DONDOC_PARSE_WORKER_HEAP' },
  );
}

function spawnWorker(maxHeapMb: number): Worker {
  warnOnProcessHeapFlag();
  const resourceLimits = {
    maxOldGenerationSizeMb: maxHeapMb,
    maxYoungGenerationSizeMb: Math.max(4, Math.min(64, maxHeapMb / 8)),
  };
  const compiled = join(__dirname, 'parse-worker.js');
  if (__filename.endsWith('.js') && existsSync(compiled)) return new Worker(compiled, { resourceLimits });
  return new Worker(TS_BOOTSTRAP, {
    eval: true,
    workerData: { entry: join(__dirname, 'parse-worker.ts') },
    resourceLimits,
  });
}

function takeWorker(maxHeapMb: number): Worker {
  const warm = idle;
  idle = null;
  if (warm && warm.maxHeapMb === maxHeapMb) {
    warm.worker.ref();
    return warm.worker;
  }
  if (warm) void warm.worker.terminate();
  return startWorker(maxHeapMb);
}

function release(worker: Worker, maxHeapMb: number): void {
  if (idle) {
    void worker.terminate();
    return;
  }
  worker.unref();
  idle = { worker, maxHeapMb };
}

/**
 * parsePlan in a worker thread with a memory limit and a wall-clock limit, so one document can never
 * stall the process that serves everyone else. The directory travels as its plain data. A worker that
 * times out or runs out of memory is terminated; one that answered is kept warm for the next parse.
 */
export function parseInWorker(
  input: ParsePlanInput,
  directory: OrganisationDirectory,
  options: ParsePlanOptions = {},
  limits: WorkerLimits = DEFAULT_WORKER_LIMITS,
): Promise<ParsePlanResult> {
  return new Promise((resolve, reject) => {
    const worker = takeWorker(limits.maxHeapMb);
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = (outcome: () => void, keep: boolean): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      worker.off('message', onMessage).off('error', onError).off('exit', onExit);
      if (keep) release(worker, limits.maxHeapMb);
      else void worker.terminate();
      outcome();
    };
    const arm = (ms: number, code: 'PARSE_TIMEOUT', detail: string): void => {
      clearTimeout(timer);
      timer = setTimeout(() => finish(() => reject(new PlanParseError(code, detail)), false), ms);
    };
    const parseLimit = (): void =>
      arm(limits.timeoutMs, 'PARSE_TIMEOUT', `Giới hạn ${Math.round(limits.timeoutMs / 100) / 10} giây.`);
    if (loaded.has(worker)) parseLimit();
    else
      arm(
        limits.startTimeoutMs ?? DEFAULT_WORKER_LIMITS.startTimeoutMs!,
        'PARSE_TIMEOUT',
        'Bộ đọc văn bản không khởi động kịp.',
      );
    const onMessage = (reply: ParseReply | typeof READY): void => {
      if (reply === READY) return parseLimit();
      finish(() => {
        if (reply.ok) resolve(reply.result);
        else if (reply.code) reject(new PlanParseError(reply.code, reply.detail ?? undefined));
        else reject(new Error(`plan parser failed in its worker: ${reply.message}`));
      }, true);
    };
    const onError = (error: Error & { code?: string }): void =>
      finish(
        () =>
          reject(
            error.code === 'ERR_WORKER_OUT_OF_MEMORY'
              ? new PlanParseError('PARSE_MEMORY_LIMIT', `Giới hạn ${limits.maxHeapMb} MB.`)
              : error,
          ),
        false,
      );
    const onExit = (code: number): void =>
      finish(() => reject(new Error(`plan parser worker exited (${code}) without an answer`)), false);
    worker.on('message', onMessage).on('error', onError).on('exit', onExit);
    const job: ParseJob = { input, directory: directory.file, options };
    worker.postMessage(job);
  });
}
