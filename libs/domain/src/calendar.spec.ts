import fc from 'fast-check';
import vn2024 from '../data/calendar/vn-2024.json';
import * as sut from './calendar';
import { calendarFromData, parseCalendarYear } from './calendar-schema';
import { DomainErrorCode, isDomainError } from './errors';
import { epochDay, fromEpochDay } from './time';

const errorOf = (fn: () => unknown): { code?: string; paths?: string[] } => {
  try {
    fn();
  } catch (e) {
    if (isDomainError(e)) return { code: e.code, paths: ((e.details?.['issues'] ?? []) as { path: string }[]).map((i) => i.path) };
    throw e;
  }
  return {};
};

describe('WorkingCalendar', () => {
  const cal = sut.defaultCalendar();

  it('knows the bundled official years', () => {
    expect(cal.officialYears()).toEqual([2024, 2025, 2026]);
    expect(cal.hasOfficialData(2027)).toBe(false);
  });

  it.each([
    ['2024-01-01', false],
    ['2024-02-07', true],
    ['2024-02-08', false],
    ['2024-02-14', false],
    ['2024-02-15', true],
    ['2024-04-18', false],
    ['2024-04-29', false], // swapped for Saturday 4/5
    ['2024-05-04', true], // make-up Saturday
    ['2024-05-05', false],
    ['2024-09-03', false],
    ['2024-09-04', true],
    ['2025-01-27', false],
    ['2025-02-03', true],
    ['2025-02-08', true],
    ['2025-04-26', true],
    ['2025-05-02', false],
    ['2025-09-01', false],
    ['2026-02-16', false],
    ['2026-02-23', true],
    ['2026-04-27', false],
  ])('%s is a working day: %s', (date, expected) => {
    expect(cal.isWorkingDay(date)).toBe(expected);
  });

  it('takes instants by their Vietnam date', () => {
    // 17:00 UTC on 7 Feb 2024 is already 8 Feb, Tết, in Vietnam.
    expect(cal.isWorkingDay(new Date('2024-02-07T17:00:00Z'))).toBe(false);
    expect(cal.dayOff('2024-02-10')?.name).toContain('Tết Nguyên đán');
  });

  it('falls back to computed statutory holidays for a year without data', () => {
    // Tết 2027 is Saturday 6/2: days off 5–9/2 and the weekend days compensated on 10 and 11/2.
    for (const d of ['2027-01-01', '2027-02-05', '2027-02-08', '2027-02-09', '2027-02-10', '2027-02-11', '2027-04-30', '2027-09-02', '2027-09-03']) {
      expect([d, cal.isWorkingDay(d)]).toEqual([d, false]);
    }
    expect(cal.isWorkingDay('2027-02-12')).toBe(true);
    expect(cal.dayOff('2027-04-16')?.name).toContain('Giỗ Tổ'); // 10/3 Đinh Mùi
    const computed = sut.computedCalendarYear(2024);
    const off = computed.daysOff.map((d) => d.from);
    expect(off).toEqual(expect.arrayContaining(['2024-02-09', '2024-02-13', '2024-04-18', '2024-09-03']));
  });

  it('adds and subtracts working days across holidays and make-up days', () => {
    expect(cal.addWorkingDays('2024-04-26', 1)).toBe('2024-05-02');
    expect(cal.addWorkingDays('2024-05-02', -1)).toBe('2024-04-26');
    expect(cal.addWorkingDays('2024-05-03', 1)).toBe('2024-05-04');
    expect(cal.addWorkingDays('2024-04-27', 0)).toBe('2024-04-27');
    const instant = new Date('2024-04-26T10:15:00+07:00');
    expect(cal.addWorkingDays(instant, 1).toISOString()).toBe(new Date('2024-05-02T10:15:00+07:00').toISOString());
    expect(cal.workingDaysBetween('2024-04-26', '2024-05-06')).toBe(4);
    expect(cal.workingDaysBetween('2024-05-06', '2024-04-26')).toBe(-4);
  });

  it('computes "within 5 working days" deadlines', () => {
    // From Thu 25/4/2024: 26/4, 2/5, 3/5, Sat 4/5 (make-up), 6/5.
    expect(cal.deadlineInWorkingDays('2024-04-25', 5).toISOString()).toBe(new Date('2024-05-06T23:59:59.999+07:00').toISOString());
    expect(errorOf(() => cal.deadlineInWorkingDays('2024-04-25', 0)).code).toBe(DomainErrorCode.InvalidArgument);
    expect(errorOf(() => cal.addWorkingDays('2024-04-25', 1.5)).code).toBe(DomainErrorCode.InvalidArgument);
    expect(errorOf(() => cal.isWorkingDay('2024-02-30')).code).toBe(DomainErrorCode.InvalidDate);
  });

  it('addWorkingDays(n) then (−n) returns to the same working day; workingDaysBetween inverts it', () => {
    const day = fc.integer({ min: epochDay('2023-06-01'), max: epochDay('2028-06-30') });
    fc.assert(
      fc.property(day, fc.integer({ min: -300, max: 300 }), (d, n) => {
        const date = fromEpochDay(d);
        const shifted = cal.addWorkingDays(date, n);
        expect(cal.workingDaysBetween(date, shifted)).toBe(n);
        if (n !== 0) expect(cal.isWorkingDay(shifted)).toBe(true);
        if (cal.isWorkingDay(date)) expect(cal.addWorkingDays(shifted, -n)).toBe(date);
      }),
      { numRuns: 300 },
    );
  });
});

describe('calendar data', () => {
  it('loads parsed JSON and lets an upload replace a bundled year', () => {
    const upload = { ...vn2024, daysOff: [...vn2024.daysOff, { from: '2024-12-24', to: '2024-12-24', name: 'Test', kind: 'holiday' }] };
    const cal = sut.defaultCalendar().withYears([parseCalendarYear(upload)]);
    expect(cal.isWorkingDay('2024-12-24')).toBe(false);
    expect(sut.defaultCalendar().isWorkingDay('2024-12-24')).toBe(true);
    expect(calendarFromData([upload]).officialYears()).toEqual([2024]);
  });

  it('rejects malformed or inconsistent years with field paths', () => {
    const bad = errorOf(() =>
      parseCalendarYear({
        year: 2024,
        source: 'x',
        daysOff: [
          { from: '2024-05-10', to: '2024-05-09', name: 'backwards', kind: 'holiday' },
          { from: '2025-01-01', to: '2025-01-01', name: 'other year', kind: 'holiday' },
          { from: '2024-13-01', to: '2024-13-01', name: 'bad', kind: 'holiday' },
          { from: '2024-06-01', to: '2024-06-01', name: 'Sat', kind: 'holiday' },
        ],
        workingWeekends: [{ date: '2024-05-06', name: 'a Monday' }, { date: '2024-06-01', name: 'also off' }],
      }),
    );
    expect(bad.code).toBe(DomainErrorCode.InvalidCalendarData);
    expect(bad.paths).toEqual(
      expect.arrayContaining(['daysOff.0.to', 'daysOff.1', 'daysOff.2.from', 'workingWeekends.0.date', 'workingWeekends.1.date']),
    );
    expect(errorOf(() => calendarFromData([{ year: 2024 }])).code).toBe(DomainErrorCode.InvalidCalendarData);
  });
});
