// What activating a plan starts: one assignment per (responsibility or reporting rule × unit × period).
// Pure and deterministic, so a repeated or resumed activation computes exactly the same list.
import { type EscalationPolicyConfig, DEFAULT_ESCALATION_POLICY, parseEscalationPolicy } from './escalation';
import { type OrganisationDirectory } from './organisation';
import { type Period, type PeriodKind, periodsFor } from './periods';
import { type Plan, type Responsibility, type UnitRef } from './plan';
import { endOfLocalDay } from './time';

export interface PlannedAssignment {
  itemKey: string;
  kind: 'responsibility' | 'report';
  title: string;
  role: 'lead' | 'coordinate';
  unitCode: string;
  leadUnitCode: string | null;
  periodKey: string;
  periodLabel: string;
  /** ISO instant (end of the last allowed local day) or null. */
  deadline: string | null;
  escalation: EscalationPolicyConfig;
}

export interface ActivationProblem {
  itemKey: string;
  code: 'UNRESOLVED_UNIT' | 'EMPTY_GROUP';
  text: string;
}

export function unitsOf(ref: UnitRef, directory: OrganisationDirectory): string[] {
  if (!ref.code) return [];
  if (ref.kind === 'group') return directory.resolveGroupMembers(ref.code);
  return directory.unit(ref.code) ? [ref.code] : [];
}

/**
 * 'Hàng tháng, quý' is one duty on two cadences: both sets of periods. 'Định kỳ 6 tháng, năm' means the
 * half-year report and the annual report, which replaces the second half-year one: H2 is dropped.
 */
export function periodsOfRecurrence(kinds: readonly PeriodKind[], year: number): Period[] {
  const periods = kinds.flatMap((k) => periodsFor(k, year));
  return kinds.includes('annual') && kinds.includes('semiannual') ? periods.filter((p) => !p.key.endsWith('-H2')) : periods;
}

function responsibilityDeadline(r: Responsibility, period: Period, recurring: boolean): string | null {
  if (recurring) return endOfLocalDay(period.defaultDeadline).toISOString();
  if (r.deadline?.date) return endOfLocalDay(r.deadline.date).toISOString();
  return null;
}

export function planAssignments(
  plan: Plan,
  directory: OrganisationDirectory,
  policy: EscalationPolicyConfig = DEFAULT_ESCALATION_POLICY,
): { assignments: PlannedAssignment[]; problems: ActivationProblem[] } {
  const year = plan.metadata.year;
  const assignments: PlannedAssignment[] = [];
  const problems: ActivationProblem[] = [];
  const leadOf = (refs: UnitRef[], fallback: string | null): string | null =>
    refs.map((ref) => (ref.kind === 'unit' ? ref.code : null)).find((c): c is string => !!c) ?? fallback;

  for (const r of plan.responsibilities) {
    const units = unitsOf(r.unitRef, directory);
    if (units.length === 0) {
      problems.push({ itemKey: r.key, code: r.unitRef.code ? 'EMPTY_GROUP' : 'UNRESOLVED_UNIT', text: r.unitRef.text });
      continue;
    }
    const recurring = !(r.recurrence.kinds.length === 1 && r.recurrence.kinds[0] === 'once');
    const periods = periodsOfRecurrence(r.recurrence.kinds, year);
    for (const unitCode of units) {
      for (const period of periods) {
        assignments.push({
          itemKey: r.key,
          kind: 'responsibility',
          title: r.text,
          role: r.role,
          unitCode,
          leadUnitCode: leadOf(r.leadUnitRefs, plan.metadata.issuerUnitCode),
          periodKey: period.key,
          periodLabel: period.label,
          deadline: responsibilityDeadline(r, period, recurring),
          escalation: r.escalationPolicy ? parseEscalationPolicy(r.escalationPolicy) : policy,
        });
      }
    }
  }

  for (const rule of plan.reportingRules) {
    const reporters = [...new Set(rule.reporterRefs.flatMap((ref) => unitsOf(ref, directory)))];
    if (reporters.length === 0) {
      problems.push({ itemKey: rule.key, code: 'UNRESOLVED_UNIT', text: rule.reporterRefs.map((r) => r.text).join('; ') });
      continue;
    }
    const period = periodsFor(rule.period, year)[0];
    const collector = rule.viaUnitRef?.code ?? rule.recipientUnitRef?.code ?? null;
    for (const unitCode of reporters) {
      assignments.push({
        itemKey: rule.key,
        kind: 'report',
        title: rule.text,
        role: 'lead',
        unitCode,
        leadUnitCode: collector,
        periodKey: rule.period === 'annual' ? `${year}` : period.key,
        periodLabel: rule.period === 'annual' ? `Năm ${year}` : period.label,
        deadline: rule.deadline.date ? endOfLocalDay(rule.deadline.date).toISOString() : null,
        escalation: policy,
      });
    }
  }
  return { assignments, problems };
}
