import fc from 'fast-check';
import { DomainErrorCode } from './errors';
import { domainErrorCodeOf as codeOf } from './testing';
import * as sut from './duration';


describe('duration', () => {
  it.each([
    ['-P7D', { sign: -1, days: 7 }],
    ['P1D', { sign: 1, days: 1 }],
    ['PT30S', { seconds: 30 }],
    ['PT1H30M', { hours: 1, minutes: 30 }],
    ['P1M', { months: 1 }],
    ['P1Y2M3DT4H', { years: 1, months: 2, days: 3, hours: 4 }],
    ['P2W', { days: 14 }],
    ['PT0.5S', { seconds: 0.5 }],
    ['+P0D', { sign: 1, days: 0 }],
  ])('parses %s', (text, expected) => {
    expect(sut.parseDuration(text)).toMatchObject(expected);
  });

  it.each(['', 'P', 'PT', '7D', 'P1H', 'P-1D', 'p1d', 'P1.5D', 'PT1H30', 'P1DT', '--P1D'])('rejects %p', (text) => {
    expect(codeOf(() => sut.parseDuration(text))).toBe(DomainErrorCode.InvalidDuration);
  });

  it('accepts only day parts for working durations', () => {
    expect(sut.parseDuration('-P3D', 'working')).toMatchObject({ sign: -1, days: 3, basis: 'working' });
    expect(codeOf(() => sut.parseDuration('PT1H', 'working'))).toBe(DomainErrorCode.InvalidDuration);
    expect(codeOf(() => sut.parseDuration('P1M', 'working'))).toBe(DomainErrorCode.InvalidDuration);
  });

  it('formats canonically and round-trips', () => {
    expect(sut.formatDuration(sut.parseDuration('P1W'))).toBe('P7D');
    expect(sut.formatDuration(sut.parseDuration('-PT0S'))).toBe('PT0S');
    const arb = fc.record({
      neg: fc.boolean(),
      y: fc.nat(5),
      mo: fc.nat(13),
      d: fc.nat(40),
      h: fc.nat(30),
      mi: fc.nat(70),
      s: fc.nat(70),
    });
    fc.assert(
      fc.property(arb, ({ neg, y, mo, d, h, mi, s }) => {
        const text = `${neg ? '-' : ''}P${y}Y${mo}M${d}DT${h}H${mi}M${s}S`;
        const parsed = sut.parseDuration(text);
        expect(sut.parseDuration(sut.formatDuration(parsed))).toEqual(
          sut.isZeroDuration(parsed) ? { ...parsed, sign: 1 } : parsed,
        );
      }),
    );
  });

  it('converts fixed durations to ms and refuses calendar ones', () => {
    expect(sut.durationToMs(sut.parseDuration('-P1DT1H0.25S'))).toBe(-(86_400_000 + 3_600_000 + 250));
    expect(codeOf(() => sut.durationToMs(sut.parseDuration('P1M')))).toBe(DomainErrorCode.InvalidDuration);
  });

  it.each([
    ['2024-01-31T10:00:00+07:00', 'P1M', '2024-02-29T10:00:00+07:00'],
    ['2023-01-31T10:00:00+07:00', 'P1M', '2023-02-28T10:00:00+07:00'],
    ['2024-03-31T10:00:00+07:00', '-P1M', '2024-02-29T10:00:00+07:00'],
    ['2024-02-29T10:00:00+07:00', 'P1Y', '2025-02-28T10:00:00+07:00'],
    ['2024-05-09T23:59:59.999+07:00', '-P7D', '2024-05-02T23:59:59.999+07:00'],
    ['2024-05-09T23:59:59.999+07:00', 'PT30S', '2024-05-10T00:00:29.999+07:00'],
    ['2024-12-31T23:00:00+07:00', 'P1D', '2025-01-01T23:00:00+07:00'],
    // Local-date arithmetic: 23:00 on 31 Jan in Vietnam is 16:00 UTC on 31 Jan, still January.
    ['2024-01-31T23:00:00+07:00', 'P1M', '2024-02-29T23:00:00+07:00'],
    ['2024-01-01T00:00:00+07:00', 'P1Y2M3DT4H', '2025-03-04T04:00:00+07:00'],
  ])('%s + %s = %s', (from, dur, expected) => {
    expect(sut.addDuration(new Date(from), dur).toISOString()).toBe(new Date(expected).toISOString());
  });

  it('needs a calendar for working durations and delegates to it', () => {
    const working = sut.parseDuration('-P2D', 'working');
    expect(codeOf(() => sut.addDuration(new Date(0), working))).toBe(DomainErrorCode.CalendarRequired);
    const calls: number[] = [];
    const shifter = {
      addWorkingDays: (from: Date, n: number): Date => {
        calls.push(n);
        return from;
      },
    };
    sut.addDuration(new Date(0), working, shifter);
    expect(calls).toEqual([-2]);
  });

  it('adding a time-only duration and its negation is identity', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4e12 }), fc.nat(100), fc.nat(100), fc.nat(100000), (t, h, m, s) => {
        const d = sut.parseDuration(`PT${h}H${m}M${s}S`);
        const start = new Date(t);
        expect(sut.addDuration(sut.addDuration(start, d), sut.negateDuration(d)).getTime()).toBe(t);
      }),
    );
  });
});
