import fc from 'fast-check';
import { defaultCalendar } from './calendar';
import { DomainErrorCode, isDomainError } from './errors';
import * as sut from './escalation';
import { type PolicyIssue, parseEscalationPolicy } from './escalation-schema';
import { endOfLocalDay } from './time';

const iso = (d: Date): string => d.toISOString();
const vn = (s: string): string => new Date(s).toISOString();

const errorOf = (fn: () => unknown): { code?: string; issues?: PolicyIssue[] } => {
  try {
    fn();
  } catch (e) {
    if (isDomainError(e)) return { code: e.code, issues: e.details?.['issues'] as PolicyIssue[] };
    throw e;
  }
  return {};
};

describe('escalation', () => {
  const deadline = endOfLocalDay('2024-05-09');

  it('schedules the default policy around the deadline, day steps at 08:00 local', () => {
    const schedule = sut.scheduleEscalation(sut.DEFAULT_ESCALATION_POLICY, deadline, defaultCalendar());
    expect(schedule.map((s) => [s.stepKey, iso(s.fireAt)])).toEqual([
      ['reminder_7d', vn('2024-05-02T08:00:00+07:00')],
      ['reminder_1d', vn('2024-05-08T08:00:00+07:00')],
      ['overdue', iso(deadline)],
      ['escalate_3d', vn('2024-05-12T08:00:00+07:00')],
      ['leadership_7d', vn('2024-05-16T08:00:00+07:00')],
    ]);
  });

  it('counts working days through holidays and weekends', () => {
    // Deadline Friday 26/4/2024; 29/4–1/5 are days off and 27/4 a weekend: 1 working day later is Thu 2/5.
    const policy: sut.EscalationPolicyConfig = [
      { key: 'before', offset: '-P1D', basis: 'working', audience: ['assignee'], kind: 'reminder' },
      { key: 'after', offset: 'P1D', basis: 'working', audience: ['leader'], kind: 'leadership' },
    ];
    const s = sut.scheduleEscalation(policy, endOfLocalDay('2024-04-26'), defaultCalendar());
    expect(s.map((x) => iso(x.fireAt))).toEqual([vn('2024-04-25T23:59:59.999+07:00'), vn('2024-05-02T23:59:59.999+07:00')]);
  });

  it('works with second-level offsets and keeps policy order on ties', () => {
    const d = new Date('2030-01-01T00:00:00Z');
    const policy: sut.EscalationPolicyConfig = [
      { key: 'b', offset: 'PT30S', basis: 'calendar', audience: ['leader'], kind: 'escalation' },
      { key: 'a', offset: '-PT10S', basis: 'calendar', audience: ['assignee'], kind: 'reminder' },
      { key: 'c', offset: 'PT0M30S', basis: 'calendar', audience: ['leader'], kind: 'leadership' },
    ];
    expect(parseEscalationPolicy(policy)).toHaveLength(3);
    const s = sut.scheduleEscalation(policy, d);
    expect(s.map((x) => x.stepKey)).toEqual(['a', 'b', 'c']);
    expect(s.map((x) => x.fireAt.getTime() - d.getTime())).toEqual([-10_000, 30_000, 30_000]);
  });

  it('reports due steps once, the next pending step, and re-arms after an extension', () => {
    const schedule = sut.scheduleEscalation(sut.DEFAULT_ESCALATION_POLICY, deadline);
    const now = new Date(vn('2024-05-10T09:00:00+07:00'));
    expect(sut.dueSteps(schedule, now, ['reminder_7d']).map((s) => s.stepKey)).toEqual(['reminder_1d', 'overdue']);
    expect(sut.nextPendingStep(schedule, ['reminder_7d', 'reminder_1d', 'overdue'])?.stepKey).toBe('escalate_3d');
    expect(sut.nextPendingStep(schedule, schedule.map((s) => s.stepKey))).toBeUndefined();

    // Extended to 20/5 on 10/5: the 7-day reminder (13/5) is still ahead, so it re-arms.
    const extended = sut.scheduleEscalation(sut.DEFAULT_ESCALATION_POLICY, endOfLocalDay('2024-05-20'));
    expect(sut.rearmFiredKeys(extended, ['reminder_7d', 'reminder_1d', 'overdue'], now)).toEqual([]);
    // Extended on 15/5: the 7-day reminder (13/5) would already be due, so it stays fired.
    expect(sut.rearmFiredKeys(extended, ['reminder_7d', 'reminder_1d', 'overdue'], new Date(vn('2024-05-15T09:00:00+07:00')))).toEqual(['reminder_7d']);
  });

  it('marks reminders already past at the start as stale, never overdue or escalation steps', () => {
    const schedule = sut.scheduleEscalation(sut.DEFAULT_ESCALATION_POLICY, deadline);
    expect(sut.staleReminderKeys(sut.DEFAULT_ESCALATION_POLICY, schedule, new Date(vn('2024-05-08T09:00:00+07:00')))).toEqual([
      'reminder_7d',
      'reminder_1d',
    ]);
    expect(sut.staleReminderKeys(sut.DEFAULT_ESCALATION_POLICY, schedule, new Date(vn('2024-06-01T00:00:00+07:00')))).toEqual([
      'reminder_7d',
      'reminder_1d',
    ]);
  });

  it('validates policies with coded issues', () => {
    expect(parseEscalationPolicy(sut.DEFAULT_ESCALATION_POLICY)).toEqual(sut.DEFAULT_ESCALATION_POLICY);
    const bad = errorOf(() =>
      parseEscalationPolicy([
        { key: 'x', offset: '7 days', basis: 'calendar', audience: ['assignee'], kind: 'reminder' },
        { key: 'x', offset: 'PT1H', basis: 'working', audience: ['assignee'], kind: 'reminder' },
        { key: 'y', offset: 'P1D', audience: [], kind: 'nag' },
      ]),
    );
    expect(bad.code).toBe(DomainErrorCode.InvalidEscalationPolicy);
    expect(bad.issues?.map((i) => [i.path, i.issue])).toEqual(
      expect.arrayContaining([
        ['0.offset', 'INVALID_DURATION'],
        ['1.offset', 'INVALID_DURATION'],
        ['2.audience', 'INVALID_FIELD'],
        ['2.kind', 'INVALID_FIELD'],
      ]),
    );
    const dup = errorOf(() =>
      parseEscalationPolicy([
        { key: 'x', offset: 'P1D', audience: ['leader'], kind: 'reminder' },
        { key: 'x', offset: 'P2D', audience: ['leader'], kind: 'reminder' },
      ]),
    );
    expect(dup.issues?.map((i) => i.issue)).toEqual(['DUPLICATE_KEY']);
    expect(errorOf(() => parseEscalationPolicy([])).code).toBe(DomainErrorCode.InvalidEscalationPolicy);
  });

  it('always returns a schedule sorted by time, one entry per step', () => {
    const offset = fc
      .tuple(fc.boolean(), fc.nat(20), fc.nat(48), fc.nat(90))
      .map(([neg, d, h, s]) => `${neg ? '-' : ''}P${d}DT${h}H${s}S`);
    const step = fc.record({
      offset,
      basis: fc.constantFrom<'calendar' | 'working'>('calendar', 'working'),
      atLocalTime: fc.option(fc.constantFrom('08:00', '13:30'), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 8 }), fc.integer({ min: 1.7e12, max: 1.9e12 }), (steps, t) => {
        const policy = steps.map((s, i) => ({
          key: `s${i}`,
          offset: s.basis === 'working' ? s.offset.replace(/T.*$/, '').replace(/^(-?)P$/, '$1P0D') : s.offset,
          basis: s.basis,
          atLocalTime: s.atLocalTime,
        }));
        const schedule = sut.scheduleEscalation(policy, new Date(t), defaultCalendar());
        expect(new Set(schedule.map((x) => x.stepKey)).size).toBe(policy.length);
        for (let i = 1; i < schedule.length; i++) {
          const [a, b] = [schedule[i - 1]!, schedule[i]!];
          expect(a.fireAt.getTime()).toBeLessThanOrEqual(b.fireAt.getTime());
          if (a.fireAt.getTime() === b.fireAt.getTime()) expect(Number(a.stepKey.slice(1))).toBeLessThan(Number(b.stepKey.slice(1)));
        }
      }),
    );
  });
});
