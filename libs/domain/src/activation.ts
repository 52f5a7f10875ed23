// What activating a plan starts: one assignment per (responsibility or reporting rule × unit × period).
// Pure and deterministic, so a repeated or resumed activation computes exactly the same list.
// Nothing the parser found is dropped in silence: whatever cannot become work is an ActivationProblem that the
// coordinator reads before activating (docs/activation.md).
import { type WorkingCalendar, defaultCalendar } from './calendar';
import { type EscalationPolicyConfig, DEFAULT_ESCALATION_POLICY } from './escalation';
import { parseEscalationPolicy } from './escalation-schema';
import { type OrganisationDirectory } from './organisation';
import { type Period, type PeriodKind, periodsFor, reportingDeadline } from './periods';
import { type Deadline, type Plan, type ReportingRule, type Responsibility, type UnitRef } from './plan';
import { foldDiacritics } from './text';
import { type LocalDate, daysInMonth, endOfLocalDay, epochDay, formatDateVN, localDate, parseLocalDate, toLocalDate } from './time';

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

export type ActivationProblemCode =
  /** A duty or report whose unit is not in the directory: nobody would receive it. */
  | 'UNRESOLVED_UNIT'
  /** A duty assigned to a group with no members: nobody would receive it. */
  | 'EMPTY_GROUP'
  /** A partner named as 'phối hợp' that is not in the directory: the lead's work starts, that partner gets nothing. */
  | 'UNRESOLVED_COORDINATOR'
  /**
   * A lead outside the directory whose partners are in it — a province plan led by a province department, read by a
   * district: the partners' work starts (the district's share of the duty), the lead gets nothing.
   */
  | 'LEAD_OUTSIDE_DIRECTORY'
  /** A one-off duty without any deadline: it starts, but nothing reminds or escalates it. */
  | 'NO_DEADLINE'
  /** A deadline counted from an event the plan does not date ('trong 5 ngày làm việc kể từ …'): starts without it. */
  | 'UNRESOLVED_DEADLINE';

/**
 * A duty nobody would receive blocks activation (the coordinator fixes the unit first, as before); the others
 * only warn: the work starts, and the warning says what part of the plan it does not carry.
 */
export const BLOCKING_PROBLEM_CODES: readonly ActivationProblemCode[] = ['UNRESOLVED_UNIT', 'EMPTY_GROUP'];

export interface ActivationProblem {
  itemKey: string;
  code: ActivationProblemCode;
  /** The plan's own words: the unit or the deadline as written. */
  text: string;
  /** True when activation must wait for a fix. */
  blocking: boolean;
  /** Vietnamese, for the coordinator: what is lost and how to recover it. */
  message: string;
}

/** A working-day deadline turned into a date, shown in the activation preview so the coordinator can check it. */
export interface ResolvedDeadline {
  itemKey: string;
  /** The deadline as the plan writes it ('Trong 5 ngày làm việc kể từ ngày ký'). */
  text: string;
  workingDays: number;
  /** What the count starts from: the plan's issue date, or the end of each reporting period. */
  basis: 'issue_date' | 'period_end';
  /** The day the count starts after (the day itself is not counted), for the first period. */
  from: LocalDate;
  /** The last allowed day, for the first period. */
  date: LocalDate;
}

export interface ActivationPlan {
  assignments: PlannedAssignment[];
  problems: ActivationProblem[];
  deadlines: ResolvedDeadline[];
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

/**
 * Partners named inside a lead duty work on the same item: one 'coordinate' assignment each, same periods and
 * deadline. The workflow id is item × unit × period, so the lead units are left out (a unit is never both on one
 * item) and a partner named twice, or through two groups, gets one assignment.
 */
function partnersOf(r: Responsibility, leadUnits: readonly string[], directory: OrganisationDirectory): { units: string[]; problems: ActivationProblem[] } {
  const taken = new Set(leadUnits);
  const units: string[] = [];
  const problems: ActivationProblem[] = [];
  for (const ref of r.coordinatingUnitRefs) {
    const members = unitsOf(ref, directory);
    if (members.length === 0) {
      const why = ref.code ? 'nhóm đơn vị không có thành viên nào' : 'chưa xác định được đơn vị';
      problems.push(problem(r.key, 'UNRESOLVED_COORDINATOR', ref.text, `${r.key}: đơn vị phối hợp "${ref.text}" — ${why}; đơn vị chủ trì vẫn nhận nhiệm vụ, đơn vị phối hợp này không nhận được gì. Hãy chọn đơn vị trên trang rà soát nếu cần.`));
      continue;
    }
    for (const unitCode of members) {
      if (taken.has(unitCode)) continue;
      taken.add(unitCode);
      units.push(unitCode);
    }
  }
  return { units, problems };
}

function problem(itemKey: string, code: ActivationProblemCode, text: string, message: string): ActivationProblem {
  return { itemKey, code, text, blocking: BLOCKING_PROBLEM_CODES.includes(code), message };
}

/** What a working-day count starts from, read from the words after the number ('kể từ ngày ký', 'sau khi kết thúc quý'). */
export function workingDayBasis(relativeTo: string | undefined): 'issue_date' | 'period_end' | null {
  if (!relativeTo) return null;
  const folded = ` ${foldDiacritics(relativeTo).toLowerCase().replace(/[^a-z0-9]+/g, ' ')} `;
  // Checked first: 'kết thúc kỳ báo cáo' contains 'kỳ', which would otherwise read as 'ký'.
  if (folded.includes(' ket thuc ') || folded.includes(' het quy ') || folded.includes(' het thang ') || folded.includes(' het ky ')) return 'period_end';
  if (folded.includes(' ban hanh ') || folded.includes(' ngay ky ') || folded.includes(' duoc ky ')) return 'issue_date';
  return null;
}

type DeadlineOutcome = { date: LocalDate | null; resolved?: ResolvedDeadline; problem?: ActivationProblem };

/**
 * A working-day deadline as a date. Counted from the plan's issue date when the plan says 'kể từ ngày ký / ban
 * hành', never from the day of activation: activation can be pressed again, resumed or followed by amendments,
 * and each would otherwise move the deadline (docs/activation.md). Without an issue date it stays unresolved.
 */
function workingDayDeadline(
  itemKey: string,
  deadline: Deadline & { workingDays: number },
  plan: Plan,
  calendar: WorkingCalendar,
  periodEnd: LocalDate | null,
): DeadlineOutcome {
  const basis = workingDayBasis(deadline.relativeTo);
  const from = basis === 'issue_date' ? plan.metadata.issueDate : basis === 'period_end' ? periodEnd : null;
  if (!basis || !from) {
    const why =
      basis === 'issue_date'
        ? 'kế hoạch chưa có ngày ban hành; nhập ngày ban hành trên trang rà soát để tính hạn'
        : basis === 'period_end'
          ? 'mốc kết thúc kỳ chỉ áp dụng cho chế độ báo cáo; hãy nhập hạn cụ thể'
          : 'không xác định được mốc bắt đầu tính; hãy nhập hạn cụ thể';
    return {
      date: null,
      problem: problem(itemKey, 'UNRESOLVED_DEADLINE', deadline.reason, `${itemKey}: hạn "${deadline.reason}" chưa tính được thành ngày (${why}). Nhiệm vụ vẫn được giao nhưng không có hạn, không được nhắc hạn.`),
    };
  }
  const date = localDate(calendar.deadlineInWorkingDays(from, deadline.workingDays));
  return { date, resolved: { itemKey, text: deadline.reason, workingDays: deadline.workingDays, basis, from, date } };
}

function hasWorkingDays(d: Deadline): d is Deadline & { workingDays: number } {
  return d.workingDays !== undefined;
}

/**
 * The lead unit a coordinating assignment reports to: the lead when the duty names exactly one; a group of leads
 * (e.g. every commune) has no single lead, so null.
 */
function singleLead(units: readonly string[]): string | null {
  return units.length === 1 ? units[0] : null;
}

/**
 * The lead unit an assignment names, as activation plans it: for a partner named inside a lead duty, that duty's
 * unit; for a 'phối hợp' duty, the first lead it names, else the issuer; for a report, the collecting unit.
 */
export function plannedLeadUnitCode(
  plan: Plan,
  directory: OrganisationDirectory,
  item: { itemKey: string; kind: string; role: string },
): string | null {
  if (item.kind === 'report') {
    const rule = plan.reportingRules.find((r) => r.key === item.itemKey);
    return rule ? collectorOf(rule) : null;
  }
  const r = plan.responsibilities.find((x) => x.key === item.itemKey);
  if (!r) return null;
  if (r.role === 'lead' && item.role === 'coordinate') return singleLead(unitsOf(r.unitRef, directory));
  return namedLead(r, plan);
}

function namedLead(r: Responsibility, plan: Plan): string | null {
  return r.leadUnitRefs.map((ref) => (ref.kind === 'unit' ? ref.code : null)).find((c): c is string => !!c) ?? plan.metadata.issuerUnitCode;
}

function collectorOf(rule: ReportingRule): string | null {
  return rule.viaUnitRef?.code ?? rule.recipientUnitRef?.code ?? null;
}

/** The deadline of a one-off duty; recurring duties are due at the end of each period. */
function responsibilityDeadline(r: Responsibility, plan: Plan, calendar: WorkingCalendar): DeadlineOutcome {
  if (!r.deadline) {
    return { date: null, problem: problem(r.key, 'NO_DEADLINE', r.text.slice(0, 120), `${r.key}: nhiệm vụ không có thời hạn; nhiệm vụ vẫn được giao nhưng không được nhắc hạn. Hãy nhập hạn trên trang rà soát.`) };
  }
  if (r.deadline.date) return { date: r.deadline.date };
  if (hasWorkingDays(r.deadline)) return workingDayDeadline(r.key, r.deadline, plan, calendar, null);
  return { date: null };
}

/**
 * A report's fixed date is written for one period ('báo cáo 6 tháng trước ngày 10/5'); the other periods take the
 * same place relative to their own end: the period whose end is nearest the date (the earlier on a tie) is the
 * one the date was written for, and every period's deadline is the same day of the month, the same number of
 * months from its end ('6 tháng: 9/5' → H1 9/5, H2 9/11). A date on the last day of its month stays the last
 * day (31/3 → 30/6). docs/activation.md.
 */
export function projectReportDate(date: LocalDate, periods: readonly Pick<Period, 'end'>[]): LocalDate[] {
  if (periods.length <= 1) return periods.map(() => date);
  const monthIndex = (d: LocalDate): number => {
    const { year, month } = parseLocalDate(d);
    return year * 12 + month - 1;
  };
  const anchor = periods.reduce((best, p) => (Math.abs(epochDay(p.end) - epochDay(date)) < Math.abs(epochDay(best.end) - epochDay(date)) ? p : best));
  const offset = monthIndex(date) - monthIndex(anchor.end);
  const { year, month, day } = parseLocalDate(date);
  const lastDay = day === daysInMonth(year, month);
  return periods.map((p) => {
    const index = monthIndex(p.end) + offset;
    const y = Math.floor(index / 12);
    const m = index - y * 12 + 1;
    return toLocalDate(y, m, lastDay ? daysInMonth(y, m) : Math.min(day, daysInMonth(y, m)));
  });
}

/**
 * The periods a reporting rule asks for: every period of its cadence, except that a half-year rule paired with an
 * annual rule of the same reporters and collector ('báo cáo 6 tháng và báo cáo năm') drops H2: the annual report
 * covers the second half, as periodsOfRecurrence reads 'định kỳ 6 tháng, năm'.
 */
function reportPeriods(rule: ReportingRule, plan: Plan, reporters: readonly string[], directory: OrganisationDirectory): Period[] {
  const periods = periodsFor(rule.period, plan.metadata.year);
  if (rule.period !== 'semiannual') return periods;
  const same = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && [...a].sort().join() === [...b].sort().join();
  const annualTwin = plan.reportingRules.some(
    (o) => o.period === 'annual' && collectorOf(o) === collectorOf(rule) && same([...new Set(o.reporterRefs.flatMap((ref) => unitsOf(ref, directory)))], reporters),
  );
  return annualTwin ? periods.filter((p) => !p.key.endsWith('-H2')) : periods;
}

function reportDeadlines(rule: ReportingRule, periods: readonly Period[], plan: Plan, calendar: WorkingCalendar): { dates: Array<LocalDate | null>; resolved?: ResolvedDeadline; problem?: ActivationProblem } {
  // A rule the plan states per period ('hằng tháng trước ngày 20') says it for every period: no projection needed.
  const perPeriod = rule.deadlineRule;
  if (perPeriod) {
    try {
      return { dates: periods.map((p) => reportingDeadline(perPeriod, p)) };
    } catch (err) {
      // e.g. 'ngày 31 hằng tháng' has no 30 April: said, and the single date below is used instead.
      const why = err instanceof Error ? err.message : String(err);
      if (!rule.deadline.date) {
        return { dates: periods.map(() => null), problem: problem(rule.key, 'UNRESOLVED_DEADLINE', rule.deadline.reason, `${rule.key}: hạn "${rule.deadline.reason}" không áp dụng được cho mọi kỳ (${why}); báo cáo vẫn được giao nhưng không có hạn.`) };
      }
    }
  }
  if (rule.deadline.date) return { dates: projectReportDate(rule.deadline.date, periods) };
  const deadline = rule.deadline;
  if (!hasWorkingDays(deadline)) return { dates: periods.map(() => null) };
  const outcomes = periods.map((p) => workingDayDeadline(rule.key, deadline, plan, calendar, p.end));
  return { dates: outcomes.map((o) => o.date), resolved: outcomes[0]?.resolved, problem: outcomes[0]?.problem };
}

export function planAssignments(
  plan: Plan,
  directory: OrganisationDirectory,
  policy: EscalationPolicyConfig = DEFAULT_ESCALATION_POLICY,
  calendar: WorkingCalendar = defaultCalendar(),
): ActivationPlan {
  const year = plan.metadata.year;
  const assignments: PlannedAssignment[] = [];
  const problems: ActivationProblem[] = [];
  const deadlines: ResolvedDeadline[] = [];
  const note = (outcome: { resolved?: ResolvedDeadline; problem?: ActivationProblem }): void => {
    if (outcome.resolved) deadlines.push(outcome.resolved);
    if (outcome.problem) problems.push(outcome.problem);
  };
  const instant = (date: LocalDate | null): string | null => (date ? endOfLocalDay(date).toISOString() : null);

  for (const r of plan.responsibilities) {
    const units = unitsOf(r.unitRef, directory);
    const partners = r.role === 'lead' ? partnersOf(r, units, directory) : { units: [], problems: [] };
    if (units.length === 0 && partners.units.length === 0) {
      const code = r.unitRef.code ? 'EMPTY_GROUP' : 'UNRESOLVED_UNIT';
      const why = code === 'EMPTY_GROUP' ? 'nhóm đơn vị không có thành viên nào' : 'đơn vị chưa có trong danh mục';
      problems.push(problem(r.key, code, r.unitRef.text, `${r.key}: "${r.unitRef.text}" — ${why}; chưa thể giao nhiệm vụ này. Hãy chọn đơn vị trên trang rà soát.`));
      continue;
    }
    if (units.length === 0) {
      problems.push(problem(r.key, 'LEAD_OUTSIDE_DIRECTORY', r.unitRef.text, `${r.key}: đơn vị chủ trì "${r.unitRef.text}" không có trong danh mục; chỉ các đơn vị phối hợp trong danh mục nhận nhiệm vụ này. Hãy chọn đơn vị chủ trì trên trang rà soát nếu nhiệm vụ thuộc đơn vị của mình.`));
    }
    problems.push(...partners.problems);
    const recurring = !(r.recurrence.kinds.length === 1 && r.recurrence.kinds[0] === 'once');
    const periods = periodsOfRecurrence(r.recurrence.kinds, year);
    let due: (period: Period) => string | null;
    if (recurring) {
      due = (period) => instant(period.defaultDeadline);
    } else {
      const outcome = responsibilityDeadline(r, plan, calendar);
      note(outcome);
      due = () => instant(outcome.date);
    }
    const escalation = r.escalationPolicy ? parseEscalationPolicy(r.escalationPolicy) : policy;
    const push = (unitCode: string, role: PlannedAssignment['role'], leadUnitCode: string | null): void => {
      for (const period of periods) {
        assignments.push({ itemKey: r.key, kind: 'responsibility', title: r.text, role, unitCode, leadUnitCode, periodKey: period.key, periodLabel: period.label, deadline: due(period), escalation });
      }
    };
    for (const unitCode of units) push(unitCode, r.role, namedLead(r, plan));

    const lead = singleLead(units);
    for (const unitCode of partners.units) push(unitCode, 'coordinate', lead);
  }

  for (const rule of plan.reportingRules) {
    const reporters = [...new Set(rule.reporterRefs.flatMap((ref) => unitsOf(ref, directory)))];
    if (reporters.length === 0) {
      const text = rule.reporterRefs.map((r) => r.text).join('; ');
      problems.push(problem(rule.key, 'UNRESOLVED_UNIT', text, `${rule.key}: đơn vị báo cáo "${text}" chưa có trong danh mục; chưa thể giao báo cáo này. Hãy chọn đơn vị trên trang rà soát.`));
      continue;
    }
    const periods = reportPeriods(rule, plan, reporters, directory);
    const due = reportDeadlines(rule, periods, plan, calendar);
    note(due);
    const collector = collectorOf(rule);
    for (const unitCode of reporters) {
      periods.forEach((period, i) => {
        assignments.push({
          itemKey: rule.key,
          kind: 'report',
          title: rule.text,
          role: 'lead',
          unitCode,
          leadUnitCode: collector,
          periodKey: period.key,
          periodLabel: period.label,
          deadline: instant(due.dates[i]),
          escalation: policy,
        });
      });
    }
  }
  return { assignments, problems, deadlines };
}

/** The problems that stop activation until the coordinator fixes them. */
export function blockingProblems(problems: readonly ActivationProblem[]): ActivationProblem[] {
  return problems.filter((p) => p.blocking);
}

/** For messages that show a resolved date: dd/MM/yyyy. */
export function describeResolvedDeadline(d: ResolvedDeadline): string {
  const from = d.basis === 'issue_date' ? `ngày ban hành ${formatDateVN(d.from)}` : `ngày kết thúc kỳ ${formatDateVN(d.from)}`;
  return `${d.itemKey}: "${d.text}" → ${formatDateVN(d.date)} (${d.workingDays} ngày làm việc sau ${from})`;
}
