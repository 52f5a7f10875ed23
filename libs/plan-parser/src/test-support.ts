import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type OrganisationDirectory, loadOrganisationDirectory } from '../../domain/src/organisation';

/** Shared by the specs: the sample directory and fixture files, read once per test file. */
const ROOT = join(__dirname, '..', '..', '..');

export function vanQuanDirectory(): OrganisationDirectory {
  return loadOrganisationDirectory(readFileSync(join(ROOT, 'deploy/seed/van-quan/organisation.yaml'), 'utf8'));
}

export function fixture(name: string): string {
  return readFileSync(join(ROOT, 'libs/plan-parser/fixtures', name), 'utf8');
}

/** A copy of /work/shared/fixtures/plans/van-quan-2024-cong-tac-tre-em.md, so the specs do not depend on a path outside the repo. */
export const SAMPLE_PLAN = 'van-quan-2024-cong-tac-tre-em.md';
