import { parseMailBatching } from '@app/config';
import { BatchRules, batchClassOf, dailyBatchKey } from './batching';

const rules = new BatchRules({ quietSeconds: 60, maxSeconds: 600, quietHours: { start: 18, end: 7 }, morning: { hour: 7, minute: 30 } });
const local = (iso: string): Date => new Date(`${iso}+07:00`);

describe('batch rules', () => {
  it('sorts notices into new work, daily and immediate mail', () => {
    expect(['assigned', 'deadline_changed'].map((k) => batchClassOf(k as never))).toEqual(['new', 'new']);
    expect(['reminder', 'overdue', 'escalation', 'leadership'].map((k) => batchClassOf(k as never))).toEqual(['daily', 'daily', 'daily', 'daily']);
    expect(['returned', 'extension_granted', 'extension_refused'].map((k) => batchClassOf(k as never))).toEqual(['immediate', 'immediate', 'immediate']);
  });

  it('sends daily mail now on a working day outside quiet hours', () => {
    const now = local('2026-12-02T10:00:00');
    expect(rules.dailySlot(now)).toEqual(now);
    // Quiet hours end at 07:00; the morning slot (07:30) only matters when mail waited overnight.
    expect(rules.dailySlot(local('2026-12-02T07:10:00'))).toEqual(local('2026-12-02T07:10:00'));
  });

  it('holds daily mail in quiet hours and on days off until the next working morning', () => {
    expect(rules.dailySlot(local('2026-12-02T00:44:00'))).toEqual(local('2026-12-02T07:30:00'));
    expect(rules.dailySlot(local('2026-12-02T18:00:00'))).toEqual(local('2026-12-03T07:30:00'));
    // Friday evening and Saturday wait for Monday.
    expect(rules.dailySlot(local('2026-12-04T19:00:00'))).toEqual(local('2026-12-07T07:30:00'));
    expect(rules.dailySlot(local('2026-12-05T10:00:00'))).toEqual(local('2026-12-07T07:30:00'));
    // 30/4 and 1/5 (and the swapped 29/4) are days off in the 2024 calendar.
    expect(rules.dailySlot(local('2024-04-26T20:00:00'))).toEqual(local('2024-05-02T07:30:00'));
  });

  it('keys a daily batch by the local date it goes out, and moves a late notice to the next working day', () => {
    const first = rules.first('daily', 'p1', 'A@X.vn', local('2026-12-04T23:00:00'));
    expect(first).toEqual({ batchClass: 'daily', key: dailyBatchKey('p1', 'a@x.vn', '2026-12-07'), sendAfter: local('2026-12-07T07:30:00') });
    expect(first.key).toBe('day|p1|a@x.vn|2026-12-07');
    const next = rules.next(first, local('2026-12-07T09:00:00'));
    expect(next).toEqual({ batchClass: 'daily', key: 'day|p1|a@x.vn|2026-12-08', sendAfter: local('2026-12-08T07:30:00') });
  });

  it('numbers new-work batches and sends them after the quiet period only', () => {
    const now = local('2026-12-02T02:00:00');
    const first = rules.first('new', 'p1', 'a@x.vn', now);
    expect(first).toEqual({ batchClass: 'new', key: 'new|p1|a@x.vn|1', sendAfter: now });
    expect(rules.next(first, now).key).toBe('new|p1|a@x.vn|2');
  });

  it('refuses settings that would never send, naming the variable', () => {
    expect(parseMailBatching({ MAIL_QUIET_HOURS: '18-07', MAIL_MORNING: '06:00' }).problems.map((p) => p.variable)).toEqual(['MAIL_MORNING']);
    expect(parseMailBatching({ MAIL_QUIET_HOURS: 'evening' }).problems.map((p) => p.variable)).toEqual(['MAIL_QUIET_HOURS']);
    expect(parseMailBatching({ MAIL_QUIET_HOURS: '7-7' }).problems.map((p) => p.variable)).toEqual(['MAIL_QUIET_HOURS']);
    expect(parseMailBatching({ MAIL_BATCH_QUIET_SECONDS: '120', MAIL_BATCH_MAX_SECONDS: '60' }).problems.map((p) => p.variable)).toEqual(['MAIL_BATCH_MAX_SECONDS']);
    expect(parseMailBatching({ MAIL_QUIET_HOURS: 'off' }).value).toEqual({ quietSeconds: 60, maxSeconds: 600, quietHours: null, morning: { hour: 7, minute: 30 } });
  });
});
