// Entry of the parsing worker thread (see worker.ts): parses each text it is sent and posts the result or the error back.
import { parentPort } from 'node:worker_threads';
import { OrganisationDirectory, type OrganisationFile } from '../../../domain/src/organisation';
import { PlanParseError } from '../errors';
import { type ParsePlanInput, type ParsePlanOptions, parsePlan } from '../parse-plan';

export interface ParseJob {
  input: ParsePlanInput;
  directory: OrganisationFile;
  options: ParsePlanOptions;
}

/** The first message a worker posts, once its code is loaded. */
export const READY = 'ready';

export type ParseReply =
  | { ok: true; result: ReturnType<typeof parsePlan> }
  | { ok: false; code: PlanParseError['code'] | null; detail: string | null; message: string };

function run(job: ParseJob): ParseReply {
  try {
    return { ok: true, result: parsePlan(job.input, new OrganisationDirectory(job.directory), job.options) };
  } catch (error) {
    return error instanceof PlanParseError
      ? { ok: false, code: error.code, detail: error.detail ?? null, message: error.message }
      : {
          ok: false,
          code: null,
          detail: null,
          message: error instanceof Error ? (error.stack ?? error.message) : String(error),
        };
  }
}

parentPort?.on('message', (job: ParseJob) => parentPort?.postMessage(run(job)));
// Loaded (from TypeScript sources that takes seconds on a busy machine): the parse's own time limit starts now.
parentPort?.postMessage(READY);
