// `npm start`'s step after the API is healthy: the demo plan (deploy/seed/demo.ts), unless turned off.
import { join } from 'node:path';
import { DemoError, seedDemo, summaryLine } from './demo';

export interface DemoLaunchOptions {
  baseUrl: string;
  /** The repository root (the sample plan lives under it). */
  root: string;
  /** The environment the API was started with. */
  env: NodeJS.ProcessEnv;
  log(message: string): void;
}

/**
 * Runs the demo seeding when sample data is on and DONDOC_DEMO is not false. A failure is reported and the
 * app keeps running: whatever was made stays, and the next start carries on from there. Only a bad
 * DONDOC_DEMO value throws.
 */
export async function runDemoAfterStart(opts: DemoLaunchOptions): Promise<void> {
  const flag = (opts.env.DONDOC_DEMO ?? 'true').trim().toLowerCase();
  // Like every other setting, a bad value stops the start with a message naming it (README, settings).
  if (flag !== 'true' && flag !== 'false') throw new Error(`DONDOC_DEMO must be true or false, got "${opts.env.DONDOC_DEMO}"`);
  if (flag === 'false' || opts.env.DONDOC_SAMPLE_DATA !== 'true') return;
  const password = opts.env.DONDOC_SAMPLE_PASSWORD;
  if (!password) {
    opts.log('Demo plan skipped: DONDOC_SAMPLE_PASSWORD (the sample accounts\' password) is not set');
    return;
  }
  opts.log('Making the demo plan (DONDOC_DEMO=false skips it) ...');
  try {
    const result = await seedDemo({
      baseUrl: opts.baseUrl,
      password,
      sampleFile: join(opts.root, 'libs/plan-parser/fixtures/van-quan-2024-cong-tac-tre-em.md'),
    });
    opts.log(summaryLine(result));
  } catch (err) {
    // fetch's own errors say only "fetch failed": the cause (ECONNREFUSED …) is what tells the reader why.
    const cause = err instanceof Error && err.cause instanceof Error ? ` (${err.cause.message})` : '';
    const why = err instanceof DemoError ? err.message : err instanceof Error ? `${err.message}${cause}` : String(err);
    opts.log(`The demo plan is not complete: ${why}. The app runs without it; the next npm start continues where this one stopped.`);
  }
}
