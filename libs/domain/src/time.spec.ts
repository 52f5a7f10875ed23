import fc from 'fast-check';
import { DomainErrorCode, isDomainError } from './errors';
import * as sut from './time';

describe('time (Asia/Ho_Chi_Minh, UTC+7)', () => {
  it('maps instants to Vietnam dates', () => {
    expect(sut.localDate(new Date('2024-05-09T16:59:59.999Z'))).toBe('2024-05-09');
    expect(sut.localDate(new Date('2024-05-09T17:00:00Z'))).toBe('2024-05-10');
  });

  it('gives start and end of a local day', () => {
    expect(sut.startOfLocalDay('2024-05-09').toISOString()).toBe('2024-05-08T17:00:00.000Z');
    expect(sut.endOfLocalDay('2024-05-09').toISOString()).toBe('2024-05-09T16:59:59.999Z');
  });

  it('reads "before 10/5" as the end of 9 May', () => {
    expect(sut.deadlineBefore('2024-05-10').toISOString()).toBe(sut.endOfLocalDay('2024-05-09').toISOString());
    expect(sut.deadlineBefore('2024-03-01').toISOString()).toBe(sut.endOfLocalDay('2024-02-29').toISOString());
  });

  it('formats the Vietnamese way', () => {
    expect(sut.formatDateVN('2024-05-09')).toBe('09/05/2024');
    expect(sut.formatDateVN(new Date('2024-05-09T17:30:00Z'))).toBe('10/05/2024');
    expect(sut.formatDateTimeVN(new Date('2024-05-09T01:05:00Z'))).toBe('08:05 09/05/2024');
    expect(sut.toVNIsoString(new Date('2024-05-09T16:59:59.999Z'))).toBe('2024-05-09T23:59:59.999+07:00');
  });

  it('counts whole local days', () => {
    expect(sut.daysBetweenLocal(new Date('2024-05-09T16:00:00Z'), new Date('2024-05-09T18:00:00Z'))).toBe(1);
    expect(sut.daysBetweenLocal('2024-05-09', '2024-05-12')).toBe(3);
    expect(sut.daysBetweenLocal('2024-05-12', sut.endOfLocalDay('2024-05-09'))).toBe(-3);
  });

  it('rejects invalid dates with a code', () => {
    for (const bad of ['2024-02-30', '2023-02-29', '24-01-01', '2024-1-1', '']) {
      let code: string | undefined;
      try {
        sut.parseLocalDate(bad);
      } catch (e) {
        code = isDomainError(e) ? e.code : undefined;
      }
      expect(code).toBe(DomainErrorCode.InvalidDate);
    }
    expect(() => sut.localDate(new Date(NaN))).toThrow();
  });

  it('round-trips dates and keeps start ≤ instant ≤ end of its local day', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 5e12 }), (t) => {
        const instant = new Date(t);
        const d = sut.localDate(instant);
        expect(sut.startOfLocalDay(d).getTime()).toBeLessThanOrEqual(t);
        expect(sut.endOfLocalDay(d).getTime()).toBeGreaterThanOrEqual(t);
        expect(sut.fromEpochDay(sut.epochDay(d))).toBe(d);
        expect(sut.atLocalTime(d, sut.localTimeOfDayMs(instant)).getTime()).toBe(t);
      }),
    );
  });
});
