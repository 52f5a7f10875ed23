import { type NotificationKind } from './context';

/** Subject prefixes. Mail filters and the people reading an inbox key on these, so they are part of the contract. */
export const SUBJECT_PREFIX: Record<'vi' | 'en', Record<NotificationKind, string>> = {
  vi: {
    assigned: '[Giao việc]',
    reminder: '[Nhắc việc]',
    overdue: '[Quá hạn]',
    escalation: '[Đôn đốc]',
    leadership: '[Đôn đốc]',
    returned: '[Trả lại]',
    extension_granted: '[Gia hạn]',
    extension_refused: '[Không gia hạn]',
    deadline_changed: '[Điều chỉnh hạn]',
    digest: '[Tổng hợp]',
    leader_summary: '[Tổng hợp]',
  },
  en: {
    assigned: '[Assigned]',
    reminder: '[Reminder]',
    overdue: '[Overdue]',
    escalation: '[Escalation]',
    leadership: '[Escalation]',
    returned: '[Returned]',
    extension_granted: '[Extension granted]',
    extension_refused: '[Extension refused]',
    deadline_changed: '[Deadline changed]',
    digest: '[Daily digest]',
    leader_summary: '[Summary]',
  },
};

/** The sentences of one language. Structure (which facts, which sections) lives in render.ts. */
export interface Copy {
  greeting(name: string | undefined): string;
  footer: string;
  label: {
    plan: string;
    responsibility: string;
    assignee: string;
    period: string;
    deadline: string;
    daysLeft: string;
    daysLate: string;
    escalation: string;
    informed: string;
    role: string;
    leadUnit: string;
    recurrence: string;
    previousDeadline: string;
    requestedDeadline: string;
    decidedBy: string;
    changedBy: string;
    reviewer: string;
    comment: string;
    reason: string;
  };
  action: { open: string; acknowledge: string; inbox: string; dashboard: string; review: string };
  role(role: 'lead' | 'coordinate'): string;
  plan(number: string | undefined, title: string): string;
  daysLeft(n: number): string;
  /** A bare count for a fact whose label already says left/overdue. */
  dayCount(n: number): string;
  daysLate(n: number): string;
  escalation(level: number, stepLabel: string): string;
  subjectDue(deadline: string): string;
  assigned(unit: string, role: 'lead' | 'coordinate', plan: string): string;
  assignedLead(leadUnit: string): string;
  reminder(deadline: string, days: number): string;
  overdue(deadline: string, days: number): string;
  escalationBody(unit: string, deadline: string, days: number): string;
  leadership(leader: string, unit: string, deadline: string, days: number, attachment: string): string;
  returned(reviewer: string): string;
  returnedAfter(deadline: string): string;
  extensionGranted(decidedBy: string, deadline: string, previous: string): string;
  extensionRefused(decidedBy: string, requested: string, deadline: string): string;
  /** `previous` is null when there was no deadline before. */
  deadlineChanged(deadline: string, previous: string | null): string;
  digestSubject(unit: string, date: string): string;
  digestIntro(unit: string, date: string, dueSoon: number, overdue: number, returned: number): string;
  digestSections: { dueSoon: string; overdue: string; returned: string; empty: string };
  digestItem(planNumber: string, responsibility: string, deadline: string, status: string): string;
  leaderSummarySubject(period: string, units: number): string;
  leaderSummaryIntro(leader: string, period: string, units: number, items: number): string;
  leaderSummaryNone: string;
  leaderSummaryUnit(unit: string, count: number): string;
  week(from: string, to: string): string;
}

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

export const COPY: Record<'vi' | 'en', Copy> = {
  vi: {
    greeting: (name) => (name ? `Kính gửi: ${name}.` : 'Kính gửi: Quý cơ quan, đơn vị.'),
    footer: 'Thư được gửi tự động từ hệ thống Dondoc theo dõi, đôn đốc thực hiện nhiệm vụ.',
    label: {
      plan: 'Kế hoạch',
      responsibility: 'Nhiệm vụ',
      assignee: 'Đơn vị thực hiện',
      period: 'Kỳ',
      deadline: 'Thời hạn',
      daysLeft: 'Thời gian còn lại',
      daysLate: 'Số ngày quá hạn',
      escalation: 'Mức đôn đốc',
      informed: 'Đồng gửi',
      role: 'Vai trò',
      leadUnit: 'Đơn vị chủ trì',
      recurrence: 'Định kỳ',
      previousDeadline: 'Thời hạn cũ',
      requestedDeadline: 'Thời hạn đề nghị',
      decidedBy: 'Người quyết định',
      changedBy: 'Người điều chỉnh',
      reviewer: 'Người duyệt',
      comment: 'Ý kiến của người duyệt',
      reason: 'Lý do',
    },
    action: {
      open: 'Mở nhiệm vụ',
      acknowledge: 'Xem và xác nhận nhiệm vụ',
      inbox: 'Mở danh sách nhiệm vụ',
      dashboard: 'Xem bảng theo dõi',
      review: 'Xem và chỉnh sửa báo cáo',
    },
    role: (role) => (role === 'lead' ? 'Chủ trì' : 'Phối hợp'),
    plan: (number, title) => (number ? `Kế hoạch số ${number} - ${title}` : `Kế hoạch: ${title}`),
    daysLeft: (n) => (n === 0 ? 'đến hạn trong hôm nay' : `còn ${n} ngày`),
    dayCount: (n) => `${n} ngày`,
    daysLate: (n) => (n === 0 ? 'đã quá hạn (chưa đủ 1 ngày)' : `quá hạn ${n} ngày`),
    escalation: (level, stepLabel) => `Mức ${level} - ${stepLabel}`,
    subjectDue: (deadline) => `hạn ${deadline}`,
    assigned: (unit, role, plan) =>
      `${unit} được giao ${role === 'lead' ? 'chủ trì' : 'phối hợp'} thực hiện nhiệm vụ dưới đây theo ${plan}. Đề nghị đơn vị xác nhận đã nhận nhiệm vụ và tổ chức thực hiện đúng thời hạn.`,
    assignedLead: (leadUnit) => `Đơn vị chủ trì: ${leadUnit}.`,
    reminder: (deadline, days) =>
      `Nhiệm vụ dưới đây có thời hạn hoàn thành ${deadline} (${days === 0 ? 'đến hạn trong hôm nay' : `còn ${days} ngày`}). Đề nghị đơn vị khẩn trương hoàn thành và cập nhật kết quả trên hệ thống.`,
    overdue: (deadline, days) =>
      `Nhiệm vụ dưới đây đã ${days === 0 ? 'quá hạn' : `quá hạn ${days} ngày`} (thời hạn ${deadline}) nhưng đơn vị chưa báo cáo kết quả. Đề nghị đơn vị khẩn trương hoàn thành và báo cáo ngay.`,
    escalationBody: (unit, deadline, days) =>
      `${unit} chưa hoàn thành nhiệm vụ dưới đây, đã ${days === 0 ? 'quá hạn' : `quá hạn ${days} ngày`} (thời hạn ${deadline}). Đề nghị Quý cơ quan đôn đốc, chỉ đạo đơn vị khẩn trương thực hiện và báo cáo kết quả.`,
    leadership: (leader, unit, deadline, days, attachment) =>
      `Kính báo cáo đồng chí ${leader}: ${unit} chưa hoàn thành nhiệm vụ dưới đây, đã ${days === 0 ? 'quá hạn' : `quá hạn ${days} ngày`} (thời hạn ${deadline}) dù đã được nhắc và đôn đốc. Kèm theo thư này là dự thảo văn bản đôn đốc (tệp đính kèm "${attachment}") để đồng chí xem xét, ký ban hành.`,
    returned: (reviewer) =>
      `Báo cáo kết quả thực hiện nhiệm vụ dưới đây đã được ${reviewer} trả lại để bổ sung, hoàn thiện.`,
    returnedAfter: (deadline) => `Đề nghị đơn vị chỉnh sửa theo ý kiến trên và gửi lại trước thời hạn ${deadline}.`,
    extensionGranted: (decidedBy, deadline, previous) =>
      `Đề nghị gia hạn của đơn vị đã được ${decidedBy} chấp thuận. Thời hạn mới là ${deadline} (thời hạn cũ ${previous}).`,
    extensionRefused: (decidedBy, requested, deadline) =>
      `Đề nghị gia hạn đến ${requested} của đơn vị không được ${decidedBy} chấp thuận. Thời hạn hoàn thành vẫn là ${deadline}.`,
    deadlineChanged: (deadline, previous) =>
      previous
        ? `Kế hoạch đã được điều chỉnh: thời hạn thực hiện nhiệm vụ dưới đây đổi từ ${previous} thành ${deadline}. Đề nghị đơn vị bố trí thực hiện theo thời hạn mới.`
        : `Kế hoạch đã được điều chỉnh: nhiệm vụ dưới đây nay có thời hạn ${deadline}. Đề nghị đơn vị bố trí thực hiện đúng hạn.`,
    digestSubject: (unit, date) => `Tình hình nhiệm vụ của ${unit} ngày ${date}`,
    digestIntro: (unit, date, dueSoon, overdue, returned) =>
      `Tình hình nhiệm vụ của ${unit} đến ngày ${date}: ${dueSoon} nhiệm vụ sắp đến hạn, ${overdue} nhiệm vụ quá hạn, ${returned} báo cáo bị trả lại.`,
    digestSections: { dueSoon: 'Sắp đến hạn', overdue: 'Quá hạn', returned: 'Bị trả lại', empty: 'Không có.' },
    digestItem: (planNumber, responsibility, deadline, status) => `[${planNumber}] ${responsibility} - hạn ${deadline} (${status})`,
    leaderSummarySubject: (period, units) => `${units} đơn vị chậm tiến độ ${period}`,
    leaderSummaryIntro: (leader, period, units, items) =>
      units === 0
        ? `Kính báo cáo đồng chí ${leader}: ${period}, không có đơn vị nào chậm tiến độ.`
        : `Kính báo cáo đồng chí ${leader}: ${period}, có ${units} đơn vị chậm tiến độ với tổng số ${items} nhiệm vụ quá hạn, cụ thể như sau.`,
    leaderSummaryNone: 'Không có đơn vị chậm tiến độ.',
    leaderSummaryUnit: (unit, count) => `${unit} (${count} nhiệm vụ quá hạn)`,
    week: (from, to) => `trong tuần từ ${from} đến ${to}`,
  },
  en: {
    greeting: (name) => (name ? `Dear ${name},` : 'Dear colleagues,'),
    footer: 'This message was sent automatically by Dondoc, the task follow-up system.',
    label: {
      plan: 'Plan',
      responsibility: 'Task',
      assignee: 'Responsible unit',
      period: 'Period',
      deadline: 'Deadline',
      daysLeft: 'Time left',
      daysLate: 'Days overdue',
      escalation: 'Escalation level',
      informed: 'Also sent to',
      role: 'Role',
      leadUnit: 'Lead unit',
      recurrence: 'Recurrence',
      previousDeadline: 'Previous deadline',
      requestedDeadline: 'Requested deadline',
      decidedBy: 'Decided by',
      changedBy: 'Amended by',
      reviewer: 'Reviewer',
      comment: "Reviewer's comment",
      reason: 'Reason',
    },
    action: {
      open: 'Open the task',
      acknowledge: 'View and acknowledge the task',
      inbox: 'Open your task list',
      dashboard: 'Open the dashboard',
      review: 'View and revise the report',
    },
    role: (role) => (role === 'lead' ? 'Lead' : 'Coordinating'),
    plan: (number, title) => (number ? `Plan No. ${number} - ${title}` : `Plan: ${title}`),
    daysLeft: (n) => (n === 0 ? 'due today' : `${plural(n, 'day', 'days')} left`),
    dayCount: (n) => plural(n, 'day', 'days'),
    daysLate: (n) => (n === 0 ? 'overdue (less than a day)' : `${plural(n, 'day', 'days')} overdue`),
    escalation: (level, stepLabel) => `Level ${level} - ${stepLabel}`,
    subjectDue: (deadline) => `due ${deadline}`,
    assigned: (unit, role, plan) =>
      `${unit} has been assigned the task below as the ${role === 'lead' ? 'lead' : 'coordinating'} unit under ${plan}. Please acknowledge it and complete it on time.`,
    assignedLead: (leadUnit) => `Lead unit: ${leadUnit}.`,
    reminder: (deadline, days) =>
      `The task below is due on ${deadline} (${days === 0 ? 'today' : `${plural(days, 'day', 'days')} left`}). Please complete it and record the result in the system.`,
    overdue: (deadline, days) =>
      `The task below is ${days === 0 ? 'overdue' : `${plural(days, 'day', 'days')} overdue`} (deadline ${deadline}) and no result has been reported. Please complete and report it immediately.`,
    escalationBody: (unit, deadline, days) =>
      `${unit} has not completed the task below, which is ${days === 0 ? 'overdue' : `${plural(days, 'day', 'days')} overdue`} (deadline ${deadline}). Please follow up with the unit and have it report its result.`,
    leadership: (leader, unit, deadline, days, attachment) =>
      `For the attention of ${leader}: ${unit} has not completed the task below, which is ${days === 0 ? 'overdue' : `${plural(days, 'day', 'days')} overdue`} (deadline ${deadline}) despite reminders. A draft urging letter is attached ("${attachment}") for your review and signature.`,
    returned: (reviewer) => `The report on the task below was returned by ${reviewer} for revision.`,
    returnedAfter: (deadline) => `Please revise it as requested and resubmit before ${deadline}.`,
    extensionGranted: (decidedBy, deadline, previous) =>
      `Your extension request was granted by ${decidedBy}. The new deadline is ${deadline} (previously ${previous}).`,
    extensionRefused: (decidedBy, requested, deadline) =>
      `Your request to extend the deadline to ${requested} was refused by ${decidedBy}. The deadline remains ${deadline}.`,
    deadlineChanged: (deadline, previous) =>
      previous
        ? `The plan has been amended: the deadline of the task below has moved from ${previous} to ${deadline}. Please plan your work for the new deadline.`
        : `The plan has been amended: the task below now has a deadline, ${deadline}. Please complete it on time.`,
    digestSubject: (unit, date) => `Tasks of ${unit} on ${date}`,
    digestIntro: (unit, date, dueSoon, overdue, returned) =>
      `Status of the tasks of ${unit} as of ${date}: ${dueSoon} due soon, ${overdue} overdue, ${returned} returned for revision.`,
    digestSections: { dueSoon: 'Due soon', overdue: 'Overdue', returned: 'Returned for revision', empty: 'None.' },
    digestItem: (planNumber, responsibility, deadline, status) => `[${planNumber}] ${responsibility} - due ${deadline} (${status})`,
    leaderSummarySubject: (period, units) => `${plural(units, 'unit', 'units')} behind schedule ${period}`,
    leaderSummaryIntro: (leader, period, units, items) =>
      units === 0
        ? `For the attention of ${leader}: no unit fell behind schedule ${period}.`
        : `For the attention of ${leader}: ${plural(units, 'unit is', 'units are')} behind schedule ${period}, with ${plural(items, 'overdue task', 'overdue tasks')} in total.`,
    leaderSummaryNone: 'No unit is behind schedule.',
    leaderSummaryUnit: (unit, count) => `${unit} (${plural(count, 'overdue task', 'overdue tasks')})`,
    week: (from, to) => `in the week from ${from} to ${to}`,
  },
};
