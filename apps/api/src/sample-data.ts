import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { loadOrganisationDirectory } from '@app/domain';
import { type Logger } from '@app/logging';
import { OrganisationRepository, PlanRepository, replaceRetiredSamplePassword, seedSampleAccounts } from '@app/persistence';
import { loadSamplePlan, SAMPLE_PLAN_SLUG } from './plans/sample-plan';

/**
 * Demo data for `npm start`: the Văn Quan organisation, one account per role and unit, and the sample plan
 * as a draft for the coordinator to review and activate. Every step finds what an earlier start created.
 */
export async function loadSampleData(app: INestApplication, repoRoot: string, logger: Logger, samplePassword: string | undefined): Promise<void> {
  // No password, no demo accounts: refusing is safer than falling back to one everybody could guess.
  if (!samplePassword) throw new Error('DONDOC_SAMPLE_DATA is on but DONDOC_SAMPLE_PASSWORD is not set: sample accounts need a password (npm start generates one)');
  const directory = loadOrganisationDirectory(readFileSync(join(repoRoot, 'deploy/seed/van-quan/organisation.yaml'), 'utf8'));
  const organisation = app.get(OrganisationRepository);
  const seeded = await organisation.seedIfEmpty(directory.file);
  const loaded = await organisation.load();
  await seedSampleAccounts(app.get(DataSource), loaded, samplePassword);
  const replaced = await replaceRetiredSamplePassword(app.get(DataSource), loaded, samplePassword);
  if (replaced > 0) logger.warn({ accounts: replaced }, 'sample accounts still had the formerly published password; they now use this installation\'s');
  const { plan, created } = await loadSamplePlan({
    plans: app.get(PlanRepository),
    organisation,
    file: join(repoRoot, 'libs/plan-parser/fixtures', `${SAMPLE_PLAN_SLUG}.md`),
    actor: 'system',
  });
  logger.info({ organisationSeeded: seeded, planId: plan.id, planCreated: created }, 'sample data ready');
}
