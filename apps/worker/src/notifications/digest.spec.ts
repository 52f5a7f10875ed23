import { digestKeyOf, leaderSummaryKeyOf, localDateAndHour } from './digest';

describe('digest keys and local time', () => {
  it('counts the day and hour in Asia/Ho_Chi_Minh, not UTC', () => {
    // 23:30 UTC on 9 May is 06:30 on 10 May in Vietnam.
    expect(localDateAndHour(new Date('2024-05-09T23:30:00Z'))).toEqual({ date: '2024-05-10', hour: 6 });
    expect(localDateAndHour(new Date('2024-05-10T00:00:00+07:00'))).toEqual({ date: '2024-05-10', hour: 0 });
    expect(localDateAndHour(new Date('2024-05-10T23:59:59+07:00'))).toEqual({ date: '2024-05-10', hour: 23 });
  });

  it('keys one digest per unit and local day, one summary per leader address', () => {
    expect(digestKeyOf('VQ-XA-YEN-PHUC', '2024-05-10')).toBe('digest|VQ-XA-YEN-PHUC|2024-05-10');
    expect(leaderSummaryKeyOf('PCT.TrieuDucDung@vanquan.example.vn', '2024-05-10')).toBe('leader-summary|pct.trieuducdung@vanquan.example.vn|2024-05-10');
  });
});
