// defaultCalendar() trusts the bundled years without zod (it runs inside workflows); this is where they are
// validated with the full schema, so a bad data file still fails the build.
import vn2024 from '../data/calendar/vn-2024.json';
import vn2025 from '../data/calendar/vn-2025.json';
import vn2026 from '../data/calendar/vn-2026.json';
import { defaultCalendar } from './calendar';
import { calendarFromData, calendarYearSchema } from './calendar-schema';
import { DomainErrorCode, isDomainError } from './errors';

describe('bundled calendar years', () => {
  it.each([vn2024, vn2025, vn2026])('$year passes the upload schema unchanged', (year) => {
    const result = calendarYearSchema.safeParse(year);
    expect(result.success ? [] : result.error.issues).toEqual([]);
    expect(result.data).toEqual(year);
  });

  it('give the same calendar as the zod-validated path', () => {
    const validated = calendarFromData([vn2024, vn2025, vn2026]);
    const bundled = defaultCalendar();
    expect(bundled.officialYears()).toEqual([2024, 2025, 2026]);
    for (const year of [2024, 2025, 2026, 2027]) expect(bundled.daysOff(year)).toEqual(validated.daysOff(year));
    expect(bundled.addWorkingDays('2024-02-07', 1)).toBe(validated.addWorkingDays('2024-02-07', 1));
  });

  it('a malformed upload is refused with the schema issues', () => {
    try {
      calendarFromData([{ ...vn2024, daysOff: [{ from: '2024-13-01', to: '2024-13-01', name: 'x', kind: 'holiday' }] }]);
      throw new Error('accepted');
    } catch (e) {
      expect(isDomainError(e) && e.code).toBe(DomainErrorCode.InvalidCalendarData);
    }
  });
});
