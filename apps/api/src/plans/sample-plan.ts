import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type OrganisationRepository, type PlanRepository, PlanRepositoryError, type StoredPlan } from '@app/persistence';
import { DEFAULT_MAX_BYTES } from '@app/plan-parser';
import { parseSource } from './plan-import';

export const SAMPLE_PLAN_SLUG = 'van-quan-2024-cong-tac-tre-em';
export const SAMPLE_PLAN_FILE = join(__dirname, '..', '..', '..', '..', 'libs', 'plan-parser', 'fixtures', `${SAMPLE_PLAN_SLUG}.md`);

export interface SamplePlanDeps {
  plans: PlanRepository;
  organisation: OrganisationRepository;
  /** Defaults to the fixture in the repository. */
  file?: string;
  actor?: string;
}

/**
 * Imports the Văn Quan sample plan into a draft once; later calls (and a concurrent one that lost
 * the race on the unique slug) return the plan already there.
 */
export async function loadSamplePlan(deps: SamplePlanDeps): Promise<{ plan: StoredPlan; created: boolean }> {
  const existing = await deps.plans.findBySlug(SAMPLE_PLAN_SLUG);
  if (existing) return { plan: existing, created: false };
  const file = deps.file ?? SAMPLE_PLAN_FILE;
  const text = await readFile(file, 'utf8');
  const parsed = await parseSource({ kind: 'text', text, format: 'markdown', name: `${SAMPLE_PLAN_SLUG}.md` }, await deps.organisation.load(), DEFAULT_MAX_BYTES);
  try {
    const plan = await deps.plans.createDraft(
      { plan: parsed.plan, warnings: parsed.warnings, sourceText: parsed.sourceText, sourceName: parsed.sourceName, slug: SAMPLE_PLAN_SLUG },
      deps.actor ?? 'system',
    );
    return { plan, created: true };
  } catch (err) {
    if (err instanceof PlanRepositoryError && err.code === 'SLUG_TAKEN') {
      const winner = await deps.plans.findBySlug(SAMPLE_PLAN_SLUG);
      if (winner) return { plan: winner, created: false };
    }
    throw err;
  }
}
