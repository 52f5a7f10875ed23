import fc from 'fast-check';
import { DomainErrorCode, isDomainError } from './errors';
import * as sut from './timeliness';
import { endOfLocalDay } from './time';

const deadline = endOfLocalDay('2024-05-09');
const at = (iso: string): Date => new Date(iso);

describe('classifyTimeliness', () => {
  it.each<[sut.AssignmentStatus, string, sut.Timeliness]>([
    ['assigned', '2024-05-01T08:00:00+07:00', 'open_on_time'],
    ['in_progress', '2024-05-07T08:00:00+07:00', 'due_soon'],
    ['acknowledged', '2024-05-09T23:59:59.999+07:00', 'due_soon'],
    ['returned', '2024-05-10T00:00:00+07:00', 'open_overdue'],
    ['submitted', '2024-05-12T00:00:00+07:00', 'open_overdue'],
  ])('%s at %s is %s', (status, now, expected) => {
    expect(sut.classifyTimeliness({ status, deadline, completedAt: null, now: at(now) })).toBe(expected);
  });

  it('judges done by the completion instant, the deadline itself being on time', () => {
    const now = at('2024-06-01T00:00:00+07:00');
    expect(sut.classifyTimeliness({ status: 'done', deadline, completedAt: deadline, now })).toBe('done_on_time');
    expect(sut.classifyTimeliness({ status: 'done', deadline, completedAt: new Date(deadline.getTime() + 1), now })).toBe('done_late');
    expect(sut.classifyTimeliness({ status: 'done', deadline: null, completedAt: null, now })).toBe('done_on_time');
  });

  it('does not blame the assignee for review time after an on-time submission', () => {
    const now = at('2024-05-20T00:00:00+07:00');
    const submittedAt = at('2024-05-08T10:00:00+07:00');
    expect(sut.classifyTimeliness({ status: 'submitted', deadline, completedAt: null, submittedAt, now })).toBe('open_on_time');
  });

  it('honours the due-soon window and the missing deadline; excludes cancelled', () => {
    const now = at('2024-05-02T00:00:00+07:00');
    expect(sut.classifyTimeliness({ status: 'assigned', deadline, completedAt: null, now, dueSoonWithinMs: 8 * 86_400_000 })).toBe('due_soon');
    expect(sut.classifyTimeliness({ status: 'assigned', deadline: null, completedAt: null, now })).toBe('no_deadline');
    expect(sut.classifyTimeliness({ status: 'cancelled', deadline, completedAt: null, now })).toBeNull();
  });

  it('is total: every input gives a timeliness, null only when cancelled', () => {
    const date = fc.option(fc.date({ min: new Date(0), max: new Date(4e12), noInvalidDate: true }), { nil: null });
    fc.assert(
      fc.property(fc.constantFrom(...sut.ASSIGNMENT_STATUSES), date, date, date, fc.date({ min: new Date(0), max: new Date(4e12), noInvalidDate: true }), fc.option(fc.nat(), { nil: undefined }), (status, dl, completedAt, submittedAt, now, dueSoonWithinMs) => {
        const r = sut.classifyTimeliness({ status, deadline: dl, completedAt, submittedAt, now, dueSoonWithinMs });
        if (status === 'cancelled') expect(r).toBeNull();
        else expect(sut.TIMELINESS_VALUES).toContain(r);
        if (status === 'done') expect(r === 'done_on_time' || r === 'done_late').toBe(true);
      }),
    );
  });

  it('labels every value in both languages', () => {
    for (const t of sut.TIMELINESS_VALUES) expect(sut.TIMELINESS_LABELS[t].vi.length * sut.TIMELINESS_LABELS[t].en.length).toBeGreaterThan(0);
    expect(sut.TIMELINESS_LABELS.open_overdue.vi).toBe('Chưa hoàn thành – quá hạn');
  });
});

describe('lifecycle transitions', () => {
  it.each<[sut.AssignmentStatus, sut.LifecycleAction, sut.AssignmentStatus]>([
    ['assigned', 'acknowledge', 'acknowledged'],
    ['acknowledged', 'update_progress', 'in_progress'],
    ['in_progress', 'submit', 'submitted'],
    ['assigned', 'submit', 'submitted'],
    ['submitted', 'approve', 'done'],
    ['submitted', 'return', 'returned'],
    ['returned', 'update_progress', 'in_progress'],
    ['returned', 'submit', 'submitted'],
    ['in_progress', 'request_extension', 'in_progress'],
    ['in_progress', 'grant_extension', 'in_progress'],
    ['acknowledged', 'refuse_extension', 'acknowledged'],
    ['in_progress', 'reassign', 'assigned'],
    ['submitted', 'cancel', 'cancelled'],
    ['returned', 'amend', 'returned'],
    ['submitted', 'amend', 'submitted'],
  ])('%s --%s--> %s', (from, action, to) => {
    expect(sut.canTransition(from, action)).toBe(true);
    expect(sut.nextStatus(from, action)).toBe(to);
  });

  it.each<[sut.AssignmentStatus, sut.LifecycleAction]>([
    ['acknowledged', 'acknowledge'],
    ['in_progress', 'approve'],
    ['assigned', 'return'],
    ['submitted', 'request_extension'],
    ['submitted', 'reassign'],
    ['done', 'cancel'],
    ['cancelled', 'acknowledge'],
    ['done', 'amend'],
    ['cancelled', 'amend'],
  ])('refuses %s --%s', (from, action) => {
    expect(sut.canTransition(from, action)).toBe(false);
    let code: string | undefined;
    try {
      sut.nextStatus(from, action);
    } catch (e) {
      code = isDomainError(e) ? e.code : undefined;
    }
    expect(code).toBe(DomainErrorCode.InvalidTransition);
  });

  it('terminal statuses accept nothing; canTransition agrees with nextStatus everywhere', () => {
    for (const from of sut.ASSIGNMENT_STATUSES) {
      for (const action of sut.LIFECYCLE_ACTIONS) {
        if (sut.isTerminalStatus(from)) expect(sut.canTransition(from, action)).toBe(false);
        if (sut.canTransition(from, action)) expect(sut.ASSIGNMENT_STATUSES).toContain(sut.nextStatus(from, action));
        else expect(() => sut.nextStatus(from, action)).toThrow();
      }
    }
  });
});
