import { DomainErrorCode } from './errors';
import { domainErrorCodeOf as codeOf } from './testing';
import * as sut from './periods';


describe('periods', () => {
  it('lists monthly periods with keys, labels and end-of-period deadlines', () => {
    const months = sut.periodsFor('monthly', 2024);
    expect(months).toHaveLength(12);
    expect(months[1]).toEqual({ key: '2024-M02', label: 'Tháng 2/2024', start: '2024-02-01', end: '2024-02-29', defaultDeadline: '2024-02-29' });
    expect(months[11]?.key).toBe('2024-M12');
  });

  it('lists quarters, halves, the year and a one-off', () => {
    expect(sut.periodsFor('quarterly', 2025).map((p) => [p.key, p.label, p.start, p.end])).toEqual([
      ['2025-Q1', 'Quý I/2025', '2025-01-01', '2025-03-31'],
      ['2025-Q2', 'Quý II/2025', '2025-04-01', '2025-06-30'],
      ['2025-Q3', 'Quý III/2025', '2025-07-01', '2025-09-30'],
      ['2025-Q4', 'Quý IV/2025', '2025-10-01', '2025-12-31'],
    ]);
    expect(sut.periodsFor('semiannual', 2024).map((p) => [p.key, p.label, p.end])).toEqual([
      ['2024-H1', '6 tháng đầu năm 2024', '2024-06-30'],
      ['2024-H2', '6 tháng cuối năm 2024', '2024-12-31'],
    ]);
    expect(sut.periodsFor('annual', 2024)).toEqual([{ key: '2024', label: 'Năm 2024', start: '2024-01-01', end: '2024-12-31', defaultDeadline: '2024-12-31' }]);
    expect(sut.periodsFor('once', 2024)[0]?.key).toBe('once');
  });

  it('periods of every kind tile the year without gaps', () => {
    for (const kind of sut.PERIOD_KINDS) {
      const ps = sut.periodsFor(kind, 2028);
      expect(ps[0]?.start).toBe('2028-01-01');
      expect(ps[ps.length - 1]?.end).toBe('2028-12-31');
      expect(new Set(ps.map((p) => p.key)).size).toBe(ps.length);
    }
    expect(sut.periodContaining('quarterly', '2024-05-10').key).toBe('2024-Q2');
    expect(sut.periodContaining('monthly', new Date('2024-01-31T17:30:00Z')).key).toBe('2024-M02');
  });

  it('reads "semi-annual before 10/5, annual before 10/11"', () => {
    expect(sut.reportingDeadline({ kind: 'before', day: 10, month: 5 }, 2024)).toBe('2024-05-09');
    expect(sut.reportingDeadline({ kind: 'before', day: 10, month: 11 }, 2024)).toBe('2024-11-09');
    expect(sut.reportingDeadline({ kind: 'by', day: 10, month: 11 }, 2024)).toBe('2024-11-10');
    expect(sut.reportingDeadlineInstant({ kind: 'before', day: 10, month: 5 }, 2024).toISOString()).toBe('2024-05-09T16:59:59.999Z');
  });

  it('applies relative rules per period', () => {
    const rule = { kind: 'before', day: 20, monthsAfterPeriodEnd: 1 } as const;
    const quarters = sut.periodsFor('quarterly', 2024, (p) => sut.reportingDeadline(rule, p));
    expect(quarters.map((q) => q.defaultDeadline)).toEqual(['2024-04-19', '2024-07-19', '2024-10-19', '2025-01-19']);
    const monthly = sut.periodsFor('monthly', 2024, (p) => sut.reportingDeadline({ kind: 'by', day: 25 }, p));
    expect(monthly[0]?.defaultDeadline).toBe('2024-01-25');
    expect(sut.reportingDeadline({ kind: 'before', day: 15, month: 1, yearOffset: 1 }, 2024)).toBe('2025-01-14');
    expect(sut.reportingDeadline({ kind: 'period_end' }, { end: '2024-06-30' })).toBe('2024-06-30');
  });

  it('rejects impossible rules and years with codes', () => {
    expect(codeOf(() => sut.reportingDeadline({ kind: 'before', day: 31, month: 4 }, 2024))).toBe(DomainErrorCode.InvalidReportingRule);
    expect(codeOf(() => sut.reportingDeadline({ kind: 'by', day: 0, month: 4 }, 2024))).toBe(DomainErrorCode.InvalidReportingRule);
    expect(codeOf(() => sut.periodsFor('annual', 2024.5))).toBe(DomainErrorCode.InvalidArgument);
  });
});
