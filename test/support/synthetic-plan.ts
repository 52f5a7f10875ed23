// A province-sized variant of the sample: more commune-level units and more duties for them, for
// benchmarks and crash tests. Built from the sample plan and organisation, so it is a realistic shape.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadOrganisationDirectory, type OrganisationDirectory, OrganisationFileSchema, type Plan, planAssignments } from '@app/domain';
import { parsePlan } from '@app/plan-parser';

const ROOT = join(__dirname, '..', '..');

export interface SyntheticPlan {
  plan: Plan;
  directory: OrganisationDirectory;
  /** How many assignments activation starts for it. */
  assignments: number;
}

/**
 * `communes` commune-level units in all, each with `duties` one-off duties (section V.3). With `onlyCommuneDuties`
 * the plan keeps only those duties and every commune is synthetic (no mail addresses): exactly communes × duties
 * assignments, none of which has a deadline or sends mail.
 */
export function syntheticPlan(communes: number, duties: number, options: { onlyCommuneDuties?: boolean } = {}): SyntheticPlan {
  const sampleFile = loadOrganisationDirectory(readFileSync(join(ROOT, 'deploy/seed/van-quan/organisation.yaml'), 'utf8')).file;
  const isCommune = (kind: string): boolean => kind === 'commune' || kind === 'town';
  const base = options.onlyCommuneDuties ? { ...sampleFile, units: sampleFile.units.filter((u) => !isCommune(u.kind)) } : sampleFile;
  const existing = base.units.filter((u) => isCommune(u.kind)).length;
  const extra = Array.from({ length: Math.max(0, communes - existing) }, (_, i) => {
    const n = String(i + 1).padStart(4, '0');
    // No e-mail addresses: the synthetic units' notifications are recorded as undeliverable, not sent.
    return { code: `SYN-XA-${n}`, name: `Ủy ban nhân dân xã Thử Nghiệm ${n}`, shortName: `UBND xã Thử Nghiệm ${n}`, aliases: [], kind: 'commune' as const, parentCode: 'VQ-UBND', supervisorCode: 'VQ-LDTBXH', emails: [], locale: 'vi' as const };
  });
  const directory = loadOrganisationDirectory(JSON.stringify(OrganisationFileSchema.parse({ ...base, units: [...base.units, ...extra] })));

  const sample = readFileSync(join(ROOT, 'libs/plan-parser/fixtures/van-quan-2024-cong-tac-tre-em.md'), 'utf8');
  const { plan } = parsePlan({ text: sample, format: 'markdown' }, directory);
  const template = plan.responsibilities.find((r) => r.key === 'V.3.4')!;
  // In the lean variant the duties have no deadline, so no escalation fires: the run measures activation itself.
  const communeDuties = Array.from({ length: duties }, (_, i) => ({
    ...template,
    key: `V.3.${i + 1}`,
    text: `${template.text} (nhiệm vụ thử ${i + 1})`,
    deadline: options.onlyCommuneDuties ? null : template.deadline,
  }));
  const synthetic: Plan = options.onlyCommuneDuties
    ? { ...plan, responsibilities: communeDuties, reportingRules: [] }
    : { ...plan, responsibilities: [...plan.responsibilities.filter((r) => r.sectionKey !== 'V.3'), ...communeDuties] };
  return { plan: synthetic, directory, assignments: planAssignments(synthetic, directory).assignments.length };
}
