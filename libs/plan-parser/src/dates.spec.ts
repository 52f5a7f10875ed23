import { explicitDeadline, extractRecurrence, unreadDeadlinePhrase, unreadRecurrencePhrase } from './dates';

describe('explicitDeadline reads every written date form (plan year 2024)', () => {
  it.each([
    // [text, date, startDate, reason]
    ['hoàn thành trước ngày 30/9/2024', '2024-09-29', undefined, 'Trước ngày 30/9/2024'],
    ['chậm nhất ngày 30-9-2024', '2024-09-30', undefined, 'Chậm nhất ngày 30/9/2024'],
    ['chậm nhất ngày 30.9.2024', '2024-09-30', undefined, 'Chậm nhất ngày 30/9/2024'],
    ['hoàn thành trước ngày 30 tháng 9 năm 2024', '2024-09-29', undefined, 'Trước ngày 30/9/2024'],
    ['báo cáo trước ngày 30/6', '2024-06-29', undefined, 'Trước ngày 30/6/2024'],
    ['30/9/2024', '2024-09-30', undefined, 'Ngày 30/9/2024'],
    ['Ngày 15/6', '2024-06-15', undefined, 'Ngày 15/6/2024'],
    ['Quý II/2024', '2024-06-30', undefined, 'Trong quý II/2024'],
    ['trong quý III năm 2024', '2024-09-30', undefined, 'Trong quý III/2024'],
    ['Quý 4', '2024-12-31', undefined, 'Trong quý IV/2024'],
    ['tháng 9/2024', '2024-09-30', undefined, 'Trong tháng 9/2024'],
    ['6/2024', '2024-06-30', undefined, 'Trong tháng 6/2024'],
    ['trong tháng 9 năm 2024', '2024-09-30', undefined, 'Trong tháng 9/2024'],
    ['6 tháng đầu năm', '2024-06-30', undefined, '6 tháng đầu năm 2024'],
    ['hoàn thành trong 6 tháng cuối năm 2025', '2025-12-31', undefined, '6 tháng cuối năm 2025'],
    ['cuối năm', '2024-12-31', undefined, 'Trong năm 2024'],
    ['hoàn thành trong năm 2024', '2024-12-31', undefined, 'Trong năm 2024'],
    ['Năm 2025', '2025-12-31', undefined, 'Trong năm 2025'],
    ['từ nay đến hết năm 2024', '2024-12-31', undefined, 'Trong năm 2024'],
    ['Thời gian thực hiện: Năm 2024', '2024-12-31', undefined, 'Trong năm 2024'],
    ['từ 01/6 đến 31/8', '2024-08-31', '2024-06-01', 'Từ 1/6/2024 đến 31/8/2024'],
    ['Từ ngày 01/6/2024 đến ngày 30/6/2024', '2024-06-30', '2024-06-01', 'Từ 1/6/2024 đến 30/6/2024'],
    ['01/6 - 31/8/2025', '2025-08-31', '2025-06-01', 'Từ 1/6/2025 đến 31/8/2025'],
    ['từ 15/12/2024 đến 15/01/2025', '2025-01-15', '2024-12-15', 'Từ 15/12/2024 đến 15/1/2025'],
    ['Từ ngày 01/6 Điểm vui đến ngày chơi mở 31/8/2024 cửa', '2024-08-31', '2024-06-01', 'Từ 1/6/2024 đến 31/8/2024'],
    ['Từ tháng 6 đến tháng 8/2024', '2024-08-31', '2024-06-01', 'Từ tháng 6/2024 đến tháng 8/2024'],
  ])('%s', (text, date, startDate, reason) => {
    const deadline = explicitDeadline(text, 2024);
    expect(deadline).toEqual({ date, kind: 'explicit', reason, ...(startDate ? { startDate } : {}) });
  });

  it.each(['Thường xuyên', 'Cả năm', 'Thời gian: thường xuyên'])('reads %s as ongoing work due by the plan year end, suggested', (text) => {
    expect(explicitDeadline(text, 2024)).toEqual({ date: '2024-12-31', kind: 'suggested', reason: 'Thường xuyên: cuối năm kế hoạch' });
    expect(unreadDeadlinePhrase(text, 2024)).toBeNull();
  });

  it('keeps working-day offsets and what they count from, for activation to resolve with the calendar', () => {
    expect(explicitDeadline('Báo cáo trong 5 ngày làm việc kể từ ngày ký', 2024)).toEqual({
      date: null,
      kind: 'explicit',
      workingDays: 5,
      relativeTo: 'kể từ ngày ký',
      reason: 'Trong 5 ngày làm việc kể từ ngày ký',
    });
    expect(explicitDeadline('trong vòng 10 ngày làm việc sau khi kết thúc đợt kiểm tra', 2024)).toMatchObject({
      date: null,
      workingDays: 10,
      relativeTo: 'sau khi kết thúc đợt kiểm tra',
    });
  });

  it.each([
    ['an impossible day', 'trước ngày 31/6/2024'],
    ['a reversed window', 'từ 31/8 đến 01/6'],
    ['no date at all', 'Tổ chức tuyên truyền trên loa truyền thanh'],
    ['a document number', 'theo Kế hoạch số 59/KH-UBND'],
  ])('reads nothing from %s', (_name, text) => {
    expect(explicitDeadline(text, 2024)?.date ?? null).toBeNull();
  });

  it('is linear on long hostile input', () => {
    const hostile = `trước ngày ${'1/'.repeat(40_000)} từ ${' '.repeat(40_000)}đến`;
    const started = Date.now();
    explicitDeadline(hostile, 2024);
    unreadDeadlinePhrase(hostile, 2024);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe('unreadDeadlinePhrase', () => {
  it('names a deadline phrase that no form reads', () => {
    expect(unreadDeadlinePhrase('Thời hạn: khi có hướng dẫn của Bộ; báo cáo kết quả.', 2024)).toBe('Thời hạn: khi có hướng dẫn của Bộ');
    expect(unreadDeadlinePhrase('Hoàn thành trước Tết Độc lập', 2024)).toBe('Hoàn thành trước Tết Độc lập');
    expect(unreadDeadlinePhrase('báo cáo trong 10 ngày kể từ khi nhận được', 2024)).toBe('trong 10 ngày kể từ khi nhận được');
  });

  it('is silent when the deadline is understood or absent', () => {
    expect(unreadDeadlinePhrase('Thời gian hoàn thành: Quý II/2024', 2024)).toBeNull();
    expect(unreadDeadlinePhrase('hoàn thành trước ngày 30/9/2024', 2024)).toBeNull();
    expect(unreadDeadlinePhrase('Tổ chức tuyên truyền', 2024)).toBeNull();
  });
});

describe('extractRecurrence', () => {
  it.each([
    ['Hằng tháng rà soát danh sách', ['monthly']],
    ['báo cáo hằng quý', ['quarterly']],
    ['định kỳ 6 tháng, năm', ['semiannual', 'annual']],
    ['Hàng tháng, quý kiểm tra', ['monthly', 'quarterly']],
    ['Tổ chức một lần', ['once']],
  ])('%s', (text, kinds) => {
    expect(extractRecurrence(text).kinds).toEqual(kinds);
  });
});

describe('unreadRecurrencePhrase', () => {
  it('names a periodic duty whose period is not written', () => {
    expect(unreadRecurrencePhrase('Định kỳ kiểm tra, đôn đốc các xã thực hiện')).toBe('Định kỳ kiểm tra');
    expect(unreadRecurrencePhrase('báo cáo định kỳ 6 tháng, năm')).toBeNull();
    expect(unreadRecurrencePhrase('Kiểm tra các xã')).toBeNull();
    expect(unreadRecurrencePhrase('xây dựng chuyên mục phát hằng tuần')).toBe('hằng tuần');
  });
});
