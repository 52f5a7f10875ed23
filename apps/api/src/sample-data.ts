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
  // Several API replicas start together in a cluster (docs/cluster.md): one loads the data while the others wait
  // on this lock, then find it there. Racing, the losers' inserts of the same plan failed on its unique slug and
  // filled the logs with errors before they found the winner's. (7331002 is the organisation seeding's lock.)
  const lock = app.get(DataSource).createQueryRunner();
  await lock.connect();
  await lock.query('SELECT pg_advisory_lock(7331003)');
  try {
    await loadUnderLock(app, repoRoot, logger, samplePassword);
  } finally {
    await lock.query('SELECT pg_advisory_unlock(7331003)').catch(() => undefined);
    await lock.release();
  }
}

async function loadUnderLock(app: INestApplication, repoRoot: string, logger: Logger, samplePassword: string): Promise<void> {
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
