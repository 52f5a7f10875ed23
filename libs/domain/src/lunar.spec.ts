import fc from 'fast-check';
import { DomainErrorCode } from './errors';
import { domainErrorCodeOf as codeOf } from './testing';
import * as sut from './lunar';
import { addLocalDays, fromEpochDay, epochDay } from './time';


describe('lunar', () => {
  it.each([
    [1968, '1968-01-29'], // Vietnam one day before China (30/1)
    [1985, '1985-01-21'], // Vietnam a month before China (20/2)
    [2007, '2007-02-17'], // Vietnam one day before China (18/2)
    [2020, '2020-01-25'],
    [2023, '2023-01-22'],
    [2024, '2024-02-10'],
    [2025, '2025-01-29'],
    [2026, '2026-02-17'],
    [2027, '2027-02-06'],
    [2030, '2030-02-02'],
    [2033, '2033-01-31'],
    [1975, '1975-02-11'],
    [2017, '2017-01-28'], // new moon 23:07 UTC+7 on 2/2; China (UTC+8) has 3/2
  ])('Tết Nguyên đán %i is %s', (year, expected) => {
    expect(sut.lunarToSolar(year, 1, 1)).toBe(expected);
    expect(sut.tetNguyenDan(year)).toBe(expected);
  });

  it.each([
    [2024, 8, 15, '2024-09-17'], // Tết Trung thu
    [2025, 8, 15, '2025-10-06'],
    [2024, 3, 10, '2024-04-18'], // Giỗ Tổ Hùng Vương
    [2025, 3, 10, '2025-04-07'],
    [2026, 3, 10, '2026-04-26'],
    [2023, 3, 10, '2023-04-29'],
  ])('lunar %i-%i-%i is %s', (y, m, d, expected) => {
    expect(sut.lunarToSolar(y, m, d)).toBe(expected);
    expect(sut.solarToLunar(expected)).toEqual({ year: y, month: m, day: d, leap: false });
  });

  it.each([
    [2020, 4],
    [2023, 2],
    [2025, 6],
    [2017, 6],
    [2028, 5],
    [2033, 11], // the "2033 problem": leap month 11
    [2024, null],
    [2026, null],
  ])('leap month of %i is %p', (year, leap) => {
    expect(sut.leapMonthOf(year)).toBe(leap);
  });

  it('converts leap months both ways', () => {
    const first = sut.lunarToSolar(2025, 6, 1, true);
    expect(first).toBe('2025-07-25');
    expect(sut.solarToLunar(first)).toEqual({ year: 2025, month: 6, day: 1, leap: true });
    expect(sut.solarToLunar(addLocalDays(first, -1))).toEqual({ year: 2025, month: 6, day: 30, leap: false });
  });

  it('places months 11 and 12 at the end of the lunar year, in the next Gregorian year when due', () => {
    expect(sut.solarToLunar('2025-01-28')).toEqual({ year: 2024, month: 12, day: 29, leap: false });
    expect(sut.lunarToSolar(2024, 12, 29)).toBe('2025-01-28');
    expect(sut.lunarNewYearsEve(2024)).toBe('2025-01-28');
    expect(sut.lunarToSolar(2024, 11, 1)).toBe('2024-12-01');
  });

  it('accepts an instant and uses its Vietnam date', () => {
    // 17:30 UTC on 9 Feb 2024 is 00:30 on 10 Feb in Vietnam: already Tết.
    expect(sut.solarToLunar(new Date('2024-02-09T17:30:00Z'))).toEqual({ year: 2024, month: 1, day: 1, leap: false });
  });

  it('refuses dates a month does not have', () => {
    expect(codeOf(() => sut.lunarToSolar(2024, 5, 1, true))).toBe(DomainErrorCode.InvalidLunarDate);
    expect(codeOf(() => sut.lunarToSolar(2024, 13, 1))).toBe(DomainErrorCode.InvalidLunarDate);
    expect(codeOf(() => sut.lunarToSolar(1800, 1, 1))).toBe(DomainErrorCode.InvalidLunarDate);
    const len = sut.lunarMonthLength(2024, 12);
    expect(len).toBe(29);
    expect(codeOf(() => sut.lunarToSolar(2024, 12, 30))).toBe(DomainErrorCode.InvalidLunarDate);
  });

  it('names years', () => {
    expect(sut.canChiOfYear(2024)).toBe('Giáp Thìn');
    expect(sut.canChiOfYear(2025)).toBe('Ất Tỵ');
    expect(sut.canChiOfYear(2026)).toBe('Bính Ngọ');
  });

  it('round-trips every day and advances one lunar day per solar day', () => {
    const from = epochDay('1950-01-01');
    const to = epochDay('2150-12-31');
    fc.assert(
      fc.property(fc.integer({ min: from, max: to }), (day) => {
        const date = fromEpochDay(day);
        const l = sut.solarToLunar(date);
        expect(sut.lunarToSolar(l.year, l.month, l.day, l.leap)).toBe(date);
        const next = sut.solarToLunar(fromEpochDay(day + 1));
        if (next.day !== 1) expect(next).toEqual({ ...l, day: l.day + 1 });
        else expect(l.day === 29 || l.day === 30).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('has 12 or 13 months and 353–385 days in every year', () => {
    for (let y = 1901; y <= 2198; y++) {
      const len = epochDay(sut.tetNguyenDan(y + 1)) - epochDay(sut.tetNguyenDan(y));
      const leap = sut.leapMonthOf(y);
      if (leap === null) expect(len >= 353 && len <= 355).toBe(true);
      else expect(len >= 383 && len <= 385).toBe(true);
    }
  });
});
