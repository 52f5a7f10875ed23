import { type Locale, type NotificationContextInputAny, type NotificationKind } from '../templates/context';

/**
 * One realistic context per kind, from the Văn Quan child-protection plan. Shared by the specs here
 * and usable by the worker's tests, so every kind is exercised with data shaped like production's.
 */
// End of 9 May 2024 in Vietnam ("trước ngày 10/5"), as the design defines such deadlines.
export const SAMPLE_DEADLINE = new Date('2024-05-09T16:59:59.000Z');
export const SAMPLE_PLAN = { number: '45/KH-UBND', title: 'Triển khai thực hiện công tác trẻ em năm 2024 trên địa bàn huyện Văn Quan' };
export const SAMPLE_RESPONSIBILITY =
  'Rà soát các khu vực thường xuyên xảy ra tai nạn đuối nước để có biện pháp chủ động phòng ngừa kịp thời trong dịp nghỉ hè';

const at = (iso: string): Date => new Date(iso);

export function sampleContext(kind: NotificationKind, locale: Locale, link: string): NotificationContextInputAny {
  const assignment = {
    locale,
    link,
    plan: SAMPLE_PLAN,
    responsibility: SAMPLE_RESPONSIBILITY,
    assigneeUnit: 'UBND xã Tân Đoàn',
    deadline: SAMPLE_DEADLINE,
    recipientName: 'UBND xã Tân Đoàn',
  };
  switch (kind) {
    case 'assigned':
      return { kind, ...assignment, now: at('2024-04-01T02:00:00Z'), role: 'coordinate', leadUnit: 'Phòng Lao động, Thương binh, Xã hội - Dân tộc', recurrenceLabel: 'Một lần' };
    case 'reminder':
      // 08:00 on 2 May in Vietnam: seven calendar days before the 9 May deadline.
      return { kind, ...assignment, now: at('2024-05-02T01:00:00Z'), escalation: { level: 1, stepLabel: 'Nhắc trước 7 ngày' } };
    case 'overdue':
      return { kind, ...assignment, now: at('2024-05-10T01:00:00Z'), informed: ['Chủ tịch UBND xã Tân Đoàn'], escalation: { level: 3, stepLabel: 'Quá hạn' } };
    case 'escalation':
      return {
        kind,
        ...assignment,
        recipientName: 'Phòng Lao động, Thương binh, Xã hội - Dân tộc',
        now: at('2024-05-12T03:00:00Z'),
        escalation: { level: 4, stepLabel: 'Quá hạn 3 ngày - báo phòng chủ trì' },
        informed: ['UBND xã Tân Đoàn'],
      };
    case 'leadership':
      return {
        kind,
        ...assignment,
        recipientName: 'Phó Chủ tịch UBND huyện Triệu Đức Dũng',
        now: at('2024-05-16T03:00:00Z'),
        escalation: { level: 5, stepLabel: 'Quá hạn 7 ngày - báo lãnh đạo phụ trách' },
        leaderName: 'Triệu Đức Dũng',
        leaderTitle: 'Phó Chủ tịch',
        attachmentName: 'van-ban-don-doc.docx',
      };
    case 'returned':
      return {
        kind,
        ...assignment,
        now: at('2024-05-05T03:00:00Z'),
        reviewerName: 'Hoàng Thị Lan',
        reviewerUnit: 'Phòng Lao động, Thương binh, Xã hội - Dân tộc',
        comment: 'Báo cáo thiếu số liệu về số điểm có biển cảnh báo. Đề nghị bổ sung <bảng> số liệu & gửi lại.',
      };
    case 'extension_granted':
      return {
        kind,
        ...assignment,
        deadline: at('2024-05-20T16:59:59Z'),
        previousDeadline: SAMPLE_DEADLINE,
        now: at('2024-05-08T03:00:00Z'),
        decidedBy: 'Phòng Lao động, Thương binh, Xã hội - Dân tộc',
        comment: 'Đồng ý do địa phương chịu ảnh hưởng mưa lũ.',
      };
    case 'deadline_changed':
      return {
        kind,
        ...assignment,
        deadline: at('2024-04-30T16:59:59Z'),
        previousDeadline: SAMPLE_DEADLINE,
        now: at('2024-04-10T03:00:00Z'),
        changedBy: 'Phòng Lao động, Thương binh, Xã hội - Dân tộc',
        comment: 'Đưa hạn khảo sát điểm đuối nước lên trước kỳ nghỉ hè.',
      };
    case 'extension_refused':
      return {
        kind,
        ...assignment,
        requestedDeadline: at('2024-05-31T16:59:59Z'),
        now: at('2024-05-08T03:00:00Z'),
        decidedBy: 'Phòng Lao động, Thương binh, Xã hội - Dân tộc',
        comment: 'Thời hạn báo cáo cấp trên không thể lùi.',
      };
    case 'digest':
      return {
        kind,
        locale,
        link,
        now: at('2024-05-12T00:30:00Z'),
        unitName: 'UBND xã Tân Đoàn',
        dueSoon: [{ planNumber: '45/KH-UBND', responsibility: 'Rà soát kiện toàn Ban Bảo vệ trẻ em cấp xã', deadline: at('2024-05-15T16:59:59Z') }],
        overdue: [{ planNumber: '45/KH-UBND', responsibility: SAMPLE_RESPONSIBILITY, deadline: SAMPLE_DEADLINE, link }],
        returned: [{ planNumber: '45/KH-UBND', responsibility: 'Báo cáo 6 tháng', deadline: at('2024-05-20T16:59:59Z'), comment: 'Thiếu biểu mẫu' }],
      };
    case 'leader_summary':
      return {
        kind,
        locale,
        link,
        now: at('2024-05-17T00:30:00Z'),
        leaderName: 'Triệu Đức Dũng',
        lateUnits: [
          { unitName: 'UBND xã Tân Đoàn', items: [{ planNumber: '45/KH-UBND', responsibility: SAMPLE_RESPONSIBILITY, deadline: SAMPLE_DEADLINE, escalationLevel: 5 }] },
          { unitName: 'UBND xã Hữu Lễ', items: [{ planNumber: '45/KH-UBND', responsibility: 'Báo cáo 6 tháng', deadline: SAMPLE_DEADLINE }] },
        ],
      };
  }
}
