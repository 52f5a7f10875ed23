import { renderBatchMessage, type BatchItemInput } from './batch';

const item = (over: Partial<BatchItemInput>): BatchItemInput => ({
  workflowId: 'asg:p:1:U1:once',
  kind: 'assigned',
  planNumber: '45/KH-UBND',
  planTitle: 'Kế hoạch công tác trẻ em năm 2024',
  responsibility: 'Rà soát khu vực đuối nước',
  unitCode: 'U1',
  unitName: 'UBND xã An Sơn',
  role: 'lead',
  deadline: new Date('2024-06-30T16:59:59.999Z'),
  link: 'http://dondoc.test/a/x?sig=1',
  ...over,
});
const now = new Date('2024-07-10T03:00:00Z');

describe('batch messages', () => {
  it('lists all new work of one activation in one message, grouped by unit', () => {
    const m = renderBatchMessage({
      batchClass: 'new',
      locale: 'vi',
      now,
      recipientName: 'Phòng LĐTBXH',
      link: 'http://dondoc.test/inbox',
      items: [
        item({}),
        item({ workflowId: 'w2', responsibility: 'Tuyên truyền phòng chống đuối nước', unitCode: 'U2', unitName: 'UBND xã Yên Phúc', role: 'coordinate' }),
        item({ workflowId: 'w3', responsibility: 'Báo cáo 6 tháng', deadline: new Date('2024-07-15T16:59:59.999Z') }),
      ],
    });
    expect(m.subject).toBe('[Giao việc] 45/KH-UBND: 3 nhiệm vụ được giao');
    expect(m.text).toContain('UBND xã An Sơn (2 nhiệm vụ):');
    expect(m.text).toContain('UBND xã Yên Phúc (1 nhiệm vụ):');
    expect(m.text).toContain('Rà soát khu vực đuối nước - Vai trò: chủ trì - Thời hạn: 30/06/2024');
    expect(m.text).toContain('Vai trò: phối hợp');
    expect(m.text.match(/http:\/\/dondoc\.test\/a\//g)).toHaveLength(3);
    expect(m.html).toContain('<html');
  });

  it('shows each late assignment once with its latest step and days late, and links the unit letters', () => {
    const m = renderBatchMessage({
      batchClass: 'daily',
      locale: 'vi',
      now,
      recipientName: 'Phó Chủ tịch Triệu Đức Dũng',
      link: 'http://dondoc.test/dashboard',
      items: [
        item({ kind: 'overdue', stepLabel: 'Thông báo quá hạn' }),
        item({ kind: 'leadership', stepLabel: 'Báo lãnh đạo phụ trách', escalationLevel: 3 }),
        item({ workflowId: 'w2', kind: 'leadership', stepLabel: 'Báo lãnh đạo phụ trách', unitCode: 'U2', unitName: 'UBND xã Yên Phúc' }),
      ],
      letters: [{ unitCode: 'U1', filename: 'van-ban-don-doc-U1.docx', url: 'http://dondoc.test/api/letters/l1' }],
    });
    expect(m.subject).toBe('[Đôn đốc] 45/KH-UBND: 2 nhiệm vụ cần xử lý, 2 quá hạn - 10/07/2024');
    expect(m.text).toContain('Bước: Báo lãnh đạo phụ trách - Thời hạn: 30/06/2024 - quá hạn 10 ngày');
    expect(m.text).not.toContain('Bước: Thông báo quá hạn');
    expect(m.text).toContain('Dự thảo văn bản đôn đốc: van-ban-don-doc-U1.docx');
    expect(m.text).toContain('http://dondoc.test/api/letters/l1');
  });

  it('speaks English to an English-speaking recipient and refuses a malformed notice', () => {
    const m = renderBatchMessage({ batchClass: 'daily', locale: 'en', now, recipientName: 'Office', link: 'http://dondoc.test/inbox', items: [item({ kind: 'reminder', deadline: new Date('2024-07-12T16:59:59.999Z') })] });
    expect(m.subject).toBe('[Reminder] 45/KH-UBND: 1 task needs attention - 10/07/2024');
    expect(m.text).toContain('2 days left');
    expect(() => renderBatchMessage({ batchClass: 'new', locale: 'vi', now, recipientName: 'x', link: 'http://dondoc.test', items: [item({ link: 'not a url' })] })).toThrow();
  });
});
