import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_ESCALATION_POLICY, loadOrganisationDirectory, type PlannedAssignment } from '@app/domain';
import { catchUpStep, forecastNotices } from './notice-forecast';

const directory = loadOrganisationDirectory(readFileSync(join(__dirname, '../../../../deploy/seed/van-quan/organisation.yaml'), 'utf8'));
const DAY = 86_400_000;
// 10:00 on Wednesday 2 December 2026 in Vietnam: a working day, after the 08:00 steps of the day.
const NOW = new Date('2026-12-02T03:00:00Z');
/** End of the local day `days` from NOW's, as activation stores deadlines. */
const deadlineIn = (days: number): string => new Date(Date.parse('2026-12-02T16:59:59.999Z') + days * DAY).toISOString();

function assignment(unitCode: string, deadline: string | null, itemKey = 'V.3.4'): PlannedAssignment {
  return {
    itemKey,
    kind: 'responsibility',
    title: 'Rà soát các khu vực thường xuyên xảy ra tai nạn đuối nước',
    role: 'lead',
    unitCode,
    leadUnitCode: null,
    periodKey: 'once',
    periodLabel: 'Một lần',
    deadline,
    escalation: DEFAULT_ESCALATION_POLICY,
  };
}

describe('catchUpStep', () => {
  it('is the latest late step already due, told to everyone the earlier late steps would have told', () => {
    expect(catchUpStep(DEFAULT_ESCALATION_POLICY, deadlineIn(-200), NOW)).toEqual({
      step: expect.objectContaining({ key: 'leadership_7d' }),
      audience: ['assignee', 'assignee_head', 'supervisor', 'lead_unit', 'leader'],
    });
    // Four days late: +3 days (08:00 yesterday) is due, +7 days is not.
    expect(catchUpStep(DEFAULT_ESCALATION_POLICY, deadlineIn(-4), NOW)).toEqual({
      step: expect.objectContaining({ key: 'escalate_3d' }),
      audience: ['assignee', 'assignee_head', 'supervisor', 'lead_unit'],
    });
    expect(catchUpStep(DEFAULT_ESCALATION_POLICY, deadlineIn(-1), NOW)?.step.key).toBe('overdue');
  });

  it('after an amendment, the step keeps its own audience', () => {
    expect(catchUpStep(DEFAULT_ESCALATION_POLICY, deadlineIn(-4), NOW, true)?.audience).toEqual(['supervisor', 'lead_unit']);
  });

  it('is nothing for work on time, due soon (a past reminder is skipped) or without a deadline', () => {
    expect(catchUpStep(DEFAULT_ESCALATION_POLICY, deadlineIn(2), NOW)).toBeUndefined();
    expect(catchUpStep(DEFAULT_ESCALATION_POLICY, deadlineIn(30), NOW)).toBeUndefined();
    expect(catchUpStep(DEFAULT_ESCALATION_POLICY, null, NOW)).toBeUndefined();
  });
});

describe('forecastNotices', () => {
  const THREE_DAYS = 3 * DAY;

  it('counts one new-work and at most one daily email per address, however many items it has', () => {
    // An Sơn has three late items and one on time; Bình Phúc one late item. Both communes answer to the same
    // supervising department, and the leader is the same person for all.
    const items = [
      assignment('VQ-XA-AN-SON', deadlineIn(-200), 'V.3.1'),
      assignment('VQ-XA-AN-SON', deadlineIn(-100), 'V.3.2'),
      assignment('VQ-XA-AN-SON', deadlineIn(-1), 'V.3.3'),
      assignment('VQ-XA-AN-SON', deadlineIn(2), 'V.3.4'),
      assignment('VQ-XA-BINH-PHUC', deadlineIn(-200), 'V.3.1'),
    ].map((a) => ({ assignment: a, newWork: true }));
    const f = forecastNotices('activation', items, directory, NOW, THREE_DAYS);
    expect(f).toMatchObject({ scope: 'activation', assignments: 5, overdue: 4, dueSoon: 1, dueSoonDays: 3, lateSteps: { leadership_7d: 3, overdue: 1 } });
    // Two communes (one address each) and their two heads, one supervising department, one leader.
    expect(f.byKind).toEqual({
      assignee: { recipients: 2, newWork: 2, daily: 2 },
      assignee_head: { recipients: 2, newWork: 0, daily: 2 },
      supervisor: { recipients: 1, newWork: 0, daily: 1 },
      lead_unit: { recipients: 0, newWork: 0, daily: 0 },
      leader: { recipients: 1, newWork: 0, daily: 1 },
    });
    expect(f.total).toEqual({ recipients: 6, emails: 8, maxPerRecipient: 2, medianPerRecipient: 1 });
    expect(f.warning).toMatchObject({ code: 'SOME_DEADLINES_PASSED', message: expect.stringContaining('4/5 nhiệm vụ đã quá hạn') });
  });

  it('warns that every deadline has passed, naming the latest one as dd/MM/yyyy', () => {
    const f = forecastNotices('activation', [{ assignment: assignment('VQ-XA-AN-SON', '2024-12-31T16:59:59.999Z'), newWork: true }], directory, NOW, THREE_DAYS);
    expect(f.warning).toEqual({
      code: 'ALL_DEADLINES_PASSED',
      latestDeadline: '2024-12-31T16:59:59.999Z',
      message: expect.stringMatching(/^Tất cả thời hạn của kế hoạch đã qua \(hạn muộn nhất 31\/12\/2024\)/),
    });
  });

  it('has no warning and no daily email when nothing is late', () => {
    const f = forecastNotices('activation', [{ assignment: assignment('VQ-XA-AN-SON', deadlineIn(30)), newWork: true }], directory, NOW, THREE_DAYS);
    expect(f).toMatchObject({ overdue: 0, dueSoon: 0, lateSteps: {}, warning: null, total: { recipients: 1, emails: 1, maxPerRecipient: 1 } });
  });

  it('for an amendment, a late step already due under the old deadline is not counted again', () => {
    const moved = assignment('VQ-XA-AN-SON', deadlineIn(-4));
    const stillLate = forecastNotices('amendment', [{ assignment: moved, newWork: true, previousDeadline: deadlineIn(-10) }], directory, NOW, THREE_DAYS);
    expect(stillLate.lateSteps).toEqual({});
    const newlyLate = forecastNotices('amendment', [{ assignment: moved, newWork: true, previousDeadline: deadlineIn(20) }], directory, NOW, THREE_DAYS);
    expect(newlyLate.lateSteps).toEqual({ escalate_3d: 1 });
    expect(newlyLate.byKind.supervisor).toEqual({ recipients: 1, newWork: 0, daily: 1 });
    expect(newlyLate.byKind.assignee).toEqual({ recipients: 1, newWork: 1, daily: 0 });
    expect(newlyLate.warning?.message).toContain('Tất cả thời hạn sau điều chỉnh đã qua');
  });
});
