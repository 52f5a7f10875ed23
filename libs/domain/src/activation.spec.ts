import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePlan } from '../../plan-parser/src';
import { type PlannedAssignment, planAssignments, projectReportDate, workingDayBasis } from './activation';
import { diffPlanVersions } from './amendment';
import { loadOrganisationDirectory } from './organisation';
import { periodsFor, type ReportingDeadlineRule } from './periods';
import { type Deadline, type Plan, type ReportingRule, type Responsibility } from './plan';

const root = join(__dirname, '..', '..', '..');
const org = loadOrganisationDirectory(readFileSync(join(root, 'deploy/seed/van-quan/organisation.yaml'), 'utf8'));
const fixture = (name: string): string => readFileSync(join(root, 'libs/plan-parser/fixtures', name), 'utf8');
const sample = fixture('van-quan-2024-cong-tac-tre-em.md');

/**
 * The sample plan, counted by hand:
 *  V.1 Phòng LĐTBXH-DT: 6 one-off duties + 'Hàng tháng, quý' (12 months + 4 quarters) + 'định kỳ 6 tháng, năm'
 *      (H1 + year)                                                               = 6 + 16 + 2 = 24
 *  V.1.1 names its partners 'các phòng, ban, ngành' (the 14 departments and bodies other than the lead) and
 *      'tổ chức chính trị - xã hội' (MTTQ, Huyện đoàn, Hội LHPN): one 'phối hợp' assignment each = 17
 *      ('đơn vị liên quan' names nobody: a warning, not work)
 *  V.2 the 14 related departments and bodies, one duty each                     = 14
 *  V.3 UBND các xã, thị trấn: 5 duties × 17 commune-level units                 = 85
 *  VI  the 6-month report (H1; the annual report covers the second half) and the annual report
 *      × (14 departments + 17 communes)                                         = 62
 */
const EXPECTED_TOTAL = 24 + 17 + 14 + 85 + 62;

const identity = (a: PlannedAssignment): string => `${a.itemKey}|${a.unitCode}|${a.periodKey}`;

describe('planAssignments on the Văn Quan 2024 plan', () => {
  const { plan } = parsePlan({ text: sample, format: 'markdown' }, org);
  const sut = planAssignments(plan, org);
  const byUnit = (code: string) => sut.assignments.filter((a) => a.unitCode === code);

  it('creates exactly the expected number of assignments; the one partner it cannot name is a warning, not a block', () => {
    expect(sut.assignments).toHaveLength(EXPECTED_TOTAL);
    expect(sut.problems).toEqual([
      { itemKey: 'V.1.1', code: 'UNRESOLVED_COORDINATOR', text: 'đơn vị liên quan', blocking: false, message: expect.stringContaining('đơn vị liên quan') },
    ]);
    expect(new Set(sut.assignments.map((a) => a.unitCode)).size).toBe(35);
  });

  it('never plans two assignments with one workflow identity (item × unit × period)', () => {
    expect(new Set(sut.assignments.map(identity)).size).toBe(sut.assignments.length);
  });

  it('gives every partner named in V.1.1 a coordinating assignment with the lead, the periods and the deadline of the lead duty', () => {
    const lead = sut.assignments.filter((a) => a.itemKey === 'V.1.1' && a.role === 'lead');
    const partners = sut.assignments.filter((a) => a.itemKey === 'V.1.1' && a.role === 'coordinate');
    expect(lead.map((a) => a.unitCode)).toEqual(['VQ-LDTBXH']);
    const expected = [...org.resolveGroupMembers('VQ-NHOM-PHONG-BAN'), ...org.resolveGroupMembers('VQ-NHOM-MTTQ-DOAN-THE')];
    expect(partners.map((a) => a.unitCode).sort()).toEqual(expected.sort());
    expect(partners.map((a) => a.unitCode)).not.toContain('VQ-LDTBXH');
    for (const p of partners) {
      expect(p).toMatchObject({ kind: 'responsibility', leadUnitCode: 'VQ-LDTBXH', periodKey: 'once', deadline: lead[0].deadline, title: lead[0].title });
    }
    // Y tế also has its own V.2.1 duty: a separate item, so a separate workflow.
    expect(byUnit('VQ-Y-TE').map((a) => `${a.itemKey}/${a.role}`)).toEqual(['V.1.1/coordinate', 'V.2.1/coordinate', 'VI.1/lead', 'VI.2/lead']);
  });

  it('gives every commune its 5 duties and 2 reports', () => {
    const communes = org.resolveGroupMembers('VQ-NHOM-XA-TT');
    expect(communes).toHaveLength(17);
    for (const code of communes) {
      expect(byUnit(code).map((a) => `${a.itemKey}/${a.periodKey}`)).toEqual([
        'V.3.1/once',
        'V.3.2/once',
        'V.3.3/once',
        'V.3.4/once',
        'V.3.5/once',
        'VI.1/2024-H1',
        'VI.2/2024',
      ]);
    }
  });

  it('dates the drowning-site survey before the summer holidays and the reports before 10/5 and 10/11', () => {
    const anSon = byUnit('VQ-XA-AN-SON');
    const at = (key: string) => anSon.find((a) => a.itemKey === key)!.deadline;
    expect(at('V.3.4')).toBe('2024-05-31T16:59:59.999Z'); // end of 31/5 in Asia/Ho_Chi_Minh
    expect(at('VI.1')).toBe('2024-05-09T16:59:59.999Z');
    expect(at('VI.2')).toBe('2024-11-09T16:59:59.999Z');
  });

  it('splits the monthly-and-quarterly duty into 16 periods, each due at its period end', () => {
    const periods = sut.assignments.filter((a) => a.itemKey === 'V.1.6');
    expect(periods.map((a) => a.periodKey)).toEqual([
      ...Array.from({ length: 12 }, (_, i) => `2024-M${String(i + 1).padStart(2, '0')}`),
      '2024-Q1',
      '2024-Q2',
      '2024-Q3',
      '2024-Q4',
    ]);
    expect(periods.find((a) => a.periodKey === '2024-M02')!.deadline).toBe('2024-02-29T16:59:59.999Z');
  });

  it('is deterministic: the same plan always gives the same list', () => {
    expect(planAssignments(plan, org)).toEqual(sut);
  });

  it('blocks on a responsibility whose unit is unresolved instead of dropping it silently', () => {
    const broken = { ...plan, responsibilities: [{ ...plan.responsibilities[1], unitRef: { kind: 'unit' as const, code: null, text: 'Phòng X' } }] };
    const res = planAssignments(broken, org);
    expect(res.problems).toEqual([{ itemKey: 'V.1.2', code: 'UNRESOLVED_UNIT', text: 'Phòng X', blocking: true, message: expect.stringContaining('Phòng X') }]);
    expect(res.assignments.filter((a) => a.itemKey === 'V.1.2')).toEqual([]);
  });

  it('an amended active plan sees the partners of a lead duty as added work', () => {
    // The plan as activation planned it before partners became work: V.1.1 without its partners.
    const before: Plan = { ...plan, responsibilities: plan.responsibilities.map((r) => (r.key === 'V.1.1' ? { ...r, coordinatingUnitRefs: [] } : r)) };
    const diff = diffPlanVersions(before, plan, org);
    expect(diff.added).toHaveLength(17);
    expect(diff.added.every((a) => a.itemKey === 'V.1.1' && a.role === 'coordinate')).toBe(true);
    expect(diff.removed).toEqual([]);
    expect(diff.changed).toEqual([]);
  });
});

describe('partners named inside a lead duty', () => {
  const { plan } = parsePlan({ text: sample, format: 'markdown' }, org);
  const v11 = plan.responsibilities.find((r) => r.key === 'V.1.1')!;
  const only = (r: Responsibility): Plan => ({ ...plan, responsibilities: [r], reportingRules: [] });

  it('leaves out the lead, counts a partner named twice or through two groups once, and keeps the lead group out', () => {
    const r: Responsibility = {
      ...v11,
      coordinatingUnitRefs: [
        { kind: 'unit', code: 'VQ-Y-TE', text: 'Phòng Y tế' },
        { kind: 'unit', code: 'VQ-LDTBXH', text: 'Phòng Lao động' },
        { kind: 'group', code: 'VQ-NHOM-PHONG-BAN', text: 'các phòng, ban' },
        { kind: 'unit', code: 'VQ-Y-TE', text: 'Y tế' },
      ],
    };
    const res = planAssignments(only(r), org);
    const partners = res.assignments.filter((a) => a.role === 'coordinate').map((a) => a.unitCode);
    expect(partners[0]).toBe('VQ-Y-TE');
    expect(partners).toHaveLength(14);
    expect(new Set(partners).size).toBe(14);
    expect(partners).not.toContain('VQ-LDTBXH');
    expect(res.problems).toEqual([]);
  });

  it('a duty led by a group gives its partners one assignment per period, with no single lead', () => {
    const r: Responsibility = {
      ...v11,
      unitRef: { kind: 'group', code: 'VQ-NHOM-XA-TT', text: 'UBND các xã, thị trấn' },
      recurrence: { kinds: ['quarterly'] },
      coordinatingUnitRefs: [
        { kind: 'unit', code: 'VQ-CONG-AN', text: 'Công an huyện' },
        { kind: 'unit', code: 'VQ-XA-AN-SON', text: 'UBND xã An Sơn' },
      ],
    };
    const res = planAssignments(only(r), org);
    const partners = res.assignments.filter((a) => a.role === 'coordinate');
    // An Sơn leads (it is a commune), so it is not also a partner.
    expect(partners.map((a) => `${a.unitCode}/${a.periodKey}`)).toEqual(['VQ-CONG-AN/2024-Q1', 'VQ-CONG-AN/2024-Q2', 'VQ-CONG-AN/2024-Q3', 'VQ-CONG-AN/2024-Q4']);
    expect(partners.every((a) => a.leadUnitCode === null)).toBe(true);
    expect(partners.map((a) => a.deadline)).toEqual(res.assignments.filter((a) => a.unitCode === 'VQ-XA-AN-SON').map((a) => a.deadline));
  });

  it('a "phối hợp" duty does not turn its own partners into work, and an empty partner group is a warning', () => {
    const coordinating: Responsibility = { ...v11, key: 'V.9.1', role: 'coordinate', coordinatingUnitRefs: [{ kind: 'unit', code: 'VQ-Y-TE', text: 'Y tế' }] };
    expect(planAssignments(only(coordinating), org).assignments.map((a) => a.unitCode)).toEqual(['VQ-LDTBXH']);
    const empty: Responsibility = { ...v11, coordinatingUnitRefs: [{ kind: 'group', code: 'NHOM-KHONG-CO', text: 'các hợp tác xã' }] };
    const res = planAssignments(only(empty), org);
    expect(res.assignments).toHaveLength(1);
    expect(res.problems).toEqual([expect.objectContaining({ itemKey: 'V.1.1', code: 'UNRESOLVED_COORDINATOR', text: 'các hợp tác xã', blocking: false })]);
  });
});

describe('a lead outside the directory', () => {
  const { plan } = parsePlan({ text: sample, format: 'markdown' }, org);
  const v11 = plan.responsibilities.find((r) => r.key === 'V.1.1')!;
  const only = (r: Responsibility): Plan => ({ ...plan, responsibilities: [r], responsibilitySections: plan.responsibilitySections, reportingRules: [] });
  const provinceDepartment = { kind: 'unit' as const, code: null, text: 'Sở Y tế' };

  it("starts the partners' share of a province department's duty and warns that the lead gets nothing", () => {
    const r: Responsibility = { ...v11, unitRef: provinceDepartment, coordinatingUnitRefs: [{ kind: 'unit', code: 'VQ-Y-TE', text: 'Phòng Y tế' }] };
    const res = planAssignments(only(r), org);
    expect(res.assignments.map((a) => [a.unitCode, a.role, a.leadUnitCode])).toEqual([['VQ-Y-TE', 'coordinate', null]]);
    expect(res.problems).toEqual([expect.objectContaining({ itemKey: 'V.1.1', code: 'LEAD_OUTSIDE_DIRECTORY', text: 'Sở Y tế', blocking: false })]);
  });

  it('still blocks when neither the lead nor any partner is in the directory', () => {
    const r: Responsibility = { ...v11, unitRef: provinceDepartment, coordinatingUnitRefs: [{ kind: 'unit', code: null, text: 'Sở Giáo dục' }] };
    const res = planAssignments(only(r), org);
    expect(res.assignments).toEqual([]);
    expect(res.problems.map((p) => [p.code, p.blocking])).toEqual([['UNRESOLVED_UNIT', true]]);
  });
});

describe('every period of a reporting rule', () => {
  const { plan } = parsePlan({ text: sample, format: 'markdown' }, org);
  const vi1 = plan.reportingRules[0];
  const reporters = [{ kind: 'unit' as const, code: 'VQ-XA-AN-SON', text: 'UBND xã An Sơn' }];
  const withRules = (...rules: ReportingRule[]): Plan => ({ ...plan, responsibilities: [], reportingRules: rules });
  const rule = (key: string, period: ReportingRule['period'], deadline: Deadline, extra: Partial<ReportingRule> = {}): ReportingRule => ({
    ...vi1,
    key,
    period,
    reporterRefs: reporters,
    deadline,
    ...extra,
  });
  const dated = (date: string): Deadline => ({ date, kind: 'explicit', reason: `Trước ngày ${date}` });
  const days = (list: PlannedAssignment[]) => list.map((a) => `${a.periodKey} ${a.deadline}`);

  it('a quarterly rule starts Q1–Q4, each due at the same place after its quarter as the written date', () => {
    // 'trước ngày 20/4' is written for Q1 (nearest quarter end 31/3): the 19th of the month after each quarter.
    const res = planAssignments(withRules(rule('VI.1', 'quarterly', dated('2024-04-19'))), org);
    expect(days(res.assignments)).toEqual([
      '2024-Q1 2024-04-19T16:59:59.999Z',
      '2024-Q2 2024-07-19T16:59:59.999Z',
      '2024-Q3 2024-10-19T16:59:59.999Z',
      '2024-Q4 2025-01-19T16:59:59.999Z',
    ]);
    expect(res.assignments.map((a) => a.periodLabel)).toEqual(['Quý I/2024', 'Quý II/2024', 'Quý III/2024', 'Quý IV/2024']);
    expect(res.problems).toEqual([]);
  });

  it('monthly starts 12, annual 1, and a half-year rule alone starts H1 and H2', () => {
    const monthly = planAssignments(withRules(rule('VI.1', 'monthly', dated('2024-01-24'))), org).assignments;
    expect(monthly).toHaveLength(12);
    expect(monthly[1].deadline).toBe('2024-02-24T16:59:59.999Z');
    expect(planAssignments(withRules(rule('VI.1', 'annual', dated('2024-12-15'))), org).assignments.map((a) => a.periodKey)).toEqual(['2024']);
    const half = planAssignments(withRules(rule('VI.1', 'semiannual', dated('2024-06-14'))), org).assignments;
    expect(days(half)).toEqual(['2024-H1 2024-06-14T16:59:59.999Z', '2024-H2 2024-12-14T16:59:59.999Z']);
  });

  it('a half-year rule paired with an annual report of the same units drops H2, which the annual report covers', () => {
    const res = planAssignments(withRules(rule('VI.1', 'semiannual', dated('2024-05-09')), rule('VI.2', 'annual', dated('2024-11-09'))), org);
    expect(res.assignments.map((a) => `${a.itemKey}/${a.periodKey}`)).toEqual(['VI.1/2024-H1', 'VI.2/2024']);
    // Other reporters: the annual report is not theirs, so both halves stay.
    const other = rule('VI.2', 'annual', dated('2024-11-09'), { reporterRefs: [{ kind: 'unit', code: 'VQ-Y-TE', text: 'Phòng Y tế' }] });
    expect(planAssignments(withRules(rule('VI.1', 'semiannual', dated('2024-05-09')), other), org).assignments).toHaveLength(3);
  });

  it('uses a per-period rule when the plan gives one', () => {
    const perPeriod: ReportingDeadlineRule = { kind: 'before', day: 15, monthsAfterPeriodEnd: 0 };
    const r: ReportingRule = { ...rule('VI.1', 'quarterly', dated('2024-03-14')), deadlineRule: perPeriod };
    expect(days(planAssignments(withRules(r), org).assignments)).toEqual([
      '2024-Q1 2024-03-14T16:59:59.999Z',
      '2024-Q2 2024-06-14T16:59:59.999Z',
      '2024-Q3 2024-09-14T16:59:59.999Z',
      '2024-Q4 2024-12-14T16:59:59.999Z',
    ]);
  });

  it('counts working days after each period when the report is due "sau khi kết thúc quý"', () => {
    const deadline: Deadline = { date: null, kind: 'explicit', workingDays: 5, relativeTo: 'sau khi kết thúc quý', reason: 'Trong 5 ngày làm việc sau khi kết thúc quý' };
    const res = planAssignments(withRules(rule('VI.1', 'quarterly', deadline)), org);
    // Q2 ends Sun 30/6: Mon 1/7 … Fri 5/7. Q3 ends Mon 30/9: 1/10 … 7/10 (the weekend skipped).
    expect(days(res.assignments).slice(1, 3)).toEqual(['2024-Q2 2024-07-05T16:59:59.999Z', '2024-Q3 2024-10-07T16:59:59.999Z']);
    expect(res.deadlines).toEqual([{ itemKey: 'VI.1', text: deadline.reason, workingDays: 5, basis: 'period_end', from: '2024-03-31', date: '2024-04-05' }]);
  });

  it('projects a written date to the other periods, keeping "last day of the month"', () => {
    const quarters = periodsFor('quarterly', 2024);
    expect(projectReportDate('2024-03-31', quarters)).toEqual(['2024-03-31', '2024-06-30', '2024-09-30', '2024-12-31']);
    expect(projectReportDate('2024-08-31', periodsFor('monthly', 2024)).slice(0, 3)).toEqual(['2024-01-31', '2024-02-29', '2024-03-31']);
    expect(projectReportDate('2024-01-30', periodsFor('monthly', 2024))[1]).toBe('2024-02-29');
  });
});

describe('working-day deadlines', () => {
  it('counts from the issue date across a weekend ("trong 5 ngày làm việc kể từ ngày ký")', () => {
    const { plan } = parsePlan({ text: fixture('van-quan-2024-han-cu-the.txt'), format: 'text' }, org);
    expect(plan.metadata.issueDate).toBe('2024-06-03');
    const res = planAssignments(plan, org);
    // Mon 3/6 signed; Tue 4 … Fri 7 and Mon 10 are the five working days.
    expect(res.assignments.find((a) => a.itemKey === 'III.1.1')!.deadline).toBe('2024-06-10T16:59:59.999Z');
    expect(res.deadlines).toEqual([
      { itemKey: 'III.1.1', text: 'Trong 5 ngày làm việc kể từ ngày Kế hoạch được ký ban hành', workingDays: 5, basis: 'issue_date', from: '2024-06-03', date: '2024-06-10' },
    ]);
    expect(res.problems.map((p) => [p.itemKey, p.code, p.blocking])).toEqual([['III.4.1', 'UNRESOLVED_UNIT', true]]);
  });

  const { plan: sample2024 } = parsePlan({ text: sample, format: 'markdown' }, org);
  const base = sample2024.responsibilities.find((r) => r.key === 'V.1.2')!;
  const single = (deadline: Deadline | null, issueDate: string | null): Plan => ({
    ...sample2024,
    metadata: { ...sample2024.metadata, issueDate },
    responsibilities: [{ ...base, deadline }],
    reportingRules: [],
  });
  const workingDays = (n: number, relativeTo?: string): Deadline => ({
    date: null,
    kind: 'explicit',
    workingDays: n,
    ...(relativeTo ? { relativeTo } : {}),
    reason: `Trong ${n} ngày làm việc${relativeTo ? ` ${relativeTo}` : ''}`,
  });

  it('skips the 30/4–1/5 holidays and the swapped Monday, and counts the make-up Saturday', () => {
    // Signed Fri 26/4/2024: Mon 29/4 (swapped), 30/4, 1/5 are off; Thu 2/5, Fri 3/5 and Sat 4/5 (make-up day) count.
    const res = planAssignments(single(workingDays(3, 'kể từ ngày ký'), '2024-04-26'), org);
    expect(res.assignments[0].deadline).toBe('2024-05-04T16:59:59.999Z');
    expect(res.problems).toEqual([]);
  });

  it('without an issue date, or counted from an undated event, the work starts without a deadline and the plan says so', () => {
    const noDate = planAssignments(single(workingDays(5, 'kể từ ngày ký ban hành'), null), org);
    expect(noDate.assignments).toHaveLength(1);
    expect(noDate.assignments[0].deadline).toBeNull();
    expect(noDate.problems).toEqual([
      { itemKey: 'V.1.2', code: 'UNRESOLVED_DEADLINE', text: 'Trong 5 ngày làm việc kể từ ngày ký ban hành', blocking: false, message: expect.stringContaining('ngày ban hành') },
    ]);
    const event = planAssignments(single(workingDays(10, 'kể từ ngày nhận được văn bản'), '2024-06-03'), org);
    expect(event.assignments[0].deadline).toBeNull();
    expect(event.problems.map((p) => [p.code, p.blocking])).toEqual([['UNRESOLVED_DEADLINE', false]]);
  });

  it('a one-off duty without any deadline starts, with a NO_DEADLINE warning', () => {
    const res = planAssignments(single(null, '2024-06-03'), org);
    expect(res.assignments.map((a) => a.deadline)).toEqual([null]);
    expect(res.problems.map((p) => [p.itemKey, p.code, p.blocking])).toEqual([['V.1.2', 'NO_DEADLINE', false]]);
  });

  it('reads what a count starts from', () => {
    expect(workingDayBasis('kể từ ngày Kế hoạch được ký ban hành')).toBe('issue_date');
    expect(workingDayBasis('kể từ ngày ký')).toBe('issue_date');
    expect(workingDayBasis('sau khi kết thúc kỳ báo cáo')).toBe('period_end');
    expect(workingDayBasis('kể từ ngày nhận được văn bản')).toBeNull();
    expect(workingDayBasis(undefined)).toBeNull();
  });
});
