import { ZodError } from 'zod';
import { sampleContext } from '../testing/sample-contexts';
import { NOTIFICATION_KINDS, type NotificationKind } from './context';
import { SUBJECT_PREFIX } from './copy';
import { escapeHtml } from './layout';
import { renderNotification, renderNotificationContext } from './render';

const LINK = 'https://dondoc.vanquan.gov.vn/a/asg-1?exp=1&sig=x';

describe('renderNotification', () => {
  describe.each(['vi', 'en'] as const)('%s', (locale) => {
    it.each(NOTIFICATION_KINDS.map((k) => [k]))('%s renders subject, text and html with dd/MM/yyyy dates and the link', (kind: NotificationKind) => {
      const sut = renderNotificationContext(sampleContext(kind, locale, LINK));
      expect(sut.subject.startsWith(`${SUBJECT_PREFIX[locale][kind]} `)).toBe(true);
      expect(sut.subject).not.toMatch(/\n/);
      expect(sut.text).toContain('09/05/2024');
      expect(sut.html).toContain('09/05/2024');
      expect(sut.text).toContain(LINK);
      expect(sut.html).toContain(`href="${escapeHtml(LINK)}"`);
      expect(sut.html).toContain(`<html lang="${locale}">`);
      // No ISO or US style date leaks into what a person reads.
      expect(sut.text).not.toMatch(/2024-05-09|5\/9\/2024/);
    });
  });

  it('uses the Vietnamese prefixes the units filter on', () => {
    expect(SUBJECT_PREFIX.vi.reminder).toBe('[Nhắc việc]');
    expect(SUBJECT_PREFIX.vi.overdue).toBe('[Quá hạn]');
    expect(SUBJECT_PREFIX.vi.escalation).toBe('[Đôn đốc]');
    expect(SUBJECT_PREFIX.vi.leadership).toBe('[Đôn đốc]');
  });

  it('defaults to Vietnamese', () => {
    const { locale: _locale, ...ctx } = sampleContext('reminder', 'en', LINK) as { locale: string } & Record<string, unknown>;
    const sut = renderNotificationContext(ctx as unknown as Parameters<typeof renderNotificationContext>[0]);
    expect(sut.subject.startsWith('[Nhắc việc]')).toBe(true);
  });

  it('counts calendar days in Vietnam time: 7 days left, then 3 days late', () => {
    const reminder = renderNotification('reminder', {
      locale: 'vi',
      link: LINK,
      plan: { number: '45/KH-UBND', title: 'Công tác trẻ em' },
      responsibility: 'Rà soát',
      assigneeUnit: 'UBND xã An Sơn',
      deadline: new Date('2024-05-09T16:59:59Z'),
      now: new Date('2024-05-02T01:00:00Z'),
    });
    expect(reminder.text).toContain('còn 7 ngày');
    const late = renderNotification('escalation', {
      locale: 'en',
      link: LINK,
      plan: { number: '45/KH-UBND', title: 'Child protection' },
      responsibility: 'Survey',
      assigneeUnit: 'An Sơn commune',
      deadline: new Date('2024-05-09T16:59:59Z'),
      // 23:30 on 12 May in Vietnam is still 12 May, although it is the 12th in UTC too; 00:30 on the 13th is not.
      now: new Date('2024-05-12T16:30:00Z'),
      escalation: { level: 4, stepLabel: '3 days late' },
    });
    expect(late.subject).toContain('3 days overdue');
    expect(late.text).toContain('Level 4 - 3 days late');
  });

  it('shows the time as well when a deadline is not on a day boundary (second-scale demo deadlines)', () => {
    const sut = renderNotification('reminder', {
      link: LINK,
      plan: { number: '1/KH', title: 'Demo' },
      responsibility: 'Demo',
      assigneeUnit: 'UBND xã An Sơn',
      deadline: new Date('2024-05-09T03:15:00Z'),
      now: new Date('2024-05-09T03:14:00Z'),
    });
    expect(sut.text).toContain('10:15 09/05/2024');
    expect(sut.text).toContain('đến hạn trong hôm nay');
  });

  it('escapes HTML from plan data and comments', () => {
    const sut = renderNotification('returned', {
      link: LINK,
      plan: { number: '45/KH-UBND', title: 'A & B' },
      responsibility: '<script>alert("x")</script>',
      assigneeUnit: 'UBND "xã" An Sơn',
      deadline: new Date('2024-05-09T16:59:59Z'),
      now: new Date('2024-05-02T01:00:00Z'),
      reviewerName: 'Lan',
      comment: 'Thiếu <b>số liệu</b> & biểu mẫu',
    });
    expect(sut.html).not.toContain('<script>');
    expect(sut.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(sut.html).toContain('Thiếu &lt;b&gt;số liệu&lt;/b&gt; &amp; biểu mẫu');
    // The text body is not HTML and keeps the comment verbatim.
    expect(sut.text).toContain('> Thiếu <b>số liệu</b> & biểu mẫu');
  });

  it('mentions the attached urging letter in the leadership message', () => {
    const sut = renderNotificationContext(sampleContext('leadership', 'vi', LINK));
    expect(sut.text).toContain('van-ban-don-doc.docx');
    expect(sut.text).toContain('quá hạn 7 ngày');
    expect(sut.text).toContain('Phó Chủ tịch Triệu Đức Dũng');
  });

  it('lists every section of the digest with its count', () => {
    const sut = renderNotificationContext(sampleContext('digest', 'vi', LINK));
    expect(sut.subject).toBe('[Tổng hợp] Tình hình nhiệm vụ của UBND xã Tân Đoàn ngày 12/05/2024');
    expect(sut.text).toContain('Quá hạn (1):');
    expect(sut.text).toContain('Sắp đến hạn (1):');
    expect(sut.text).toContain('Bị trả lại (1):');
    expect(sut.text).toContain('quá hạn 3 ngày');
    expect(sut.text).toContain('Thiếu biểu mẫu');
  });

  it('summarises late units for a leader over the past week', () => {
    const sut = renderNotificationContext(sampleContext('leader_summary', 'en', LINK));
    expect(sut.subject).toBe('[Summary] 2 units behind schedule in the week from 11/05/2024 to 17/05/2024');
    expect(sut.text).toContain('UBND xã Hữu Lễ (1 overdue task)');
  });

  it('a plan without a number is named by its title, never by a placeholder', () => {
    const base = sampleContext('deadline_changed', 'vi', LINK) as { plan: { number?: string; title: string } } & Record<string, unknown>;
    const sut = renderNotificationContext({ ...base, plan: { title: base.plan.title } } as Parameters<typeof renderNotificationContext>[0]);
    expect(sut.subject).toMatch(/^\[Điều chỉnh hạn\] Rà soát các khu vực/);
    expect(sut.text).toContain(`Kế hoạch: ${base.plan.title}`);
    expect(sut.subject).not.toMatch(/\] …/);
    expect(sut.text).not.toContain('Kế hoạch số');
    expect(sut.text).toContain('thời hạn thực hiện nhiệm vụ dưới đây đổi từ 09/05/2024 thành 30/04/2024');
  });

  it('refuses a non-web link and an empty responsibility with a ZodError', () => {
    const base = sampleContext('reminder', 'vi', LINK);
    expect(() => renderNotificationContext({ ...base, link: 'javascript:alert(1)' })).toThrow(ZodError);
    expect(() => renderNotificationContext({ ...base, responsibility: '  ' } as typeof base)).toThrow(ZodError);
  });
});
