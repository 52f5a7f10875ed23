// The demo seeding (deploy/seed/demo.ts) against a test stack, signing in with the password the harness gave
// the sample accounts (the launcher's DONDOC_SAMPLE_PASSWORD when a test run sets one).
import { join } from 'node:path';
import { type DemoResult, seedDemo } from '../../deploy/seed/demo';
import { TEST_SAMPLE_PASSWORD } from './accounts';

export const SAMPLE_PLAN_FILE = join(__dirname, '../../libs/plan-parser/fixtures/van-quan-2024-cong-tac-tre-em.md');

export function samplePassword(): string {
  return process.env.DONDOC_SAMPLE_PASSWORD ?? TEST_SAMPLE_PASSWORD;
}

export function seedDemoOn(baseUrl: string, now?: Date): Promise<DemoResult> {
  return seedDemo({ baseUrl, password: samplePassword(), sampleFile: SAMPLE_PLAN_FILE, now, log: (m) => process.stderr.write(`${new Date().toISOString()} ${m}\n`) });
}
