// Who works on a duty and what activation will carry: the role badge (chủ trì / phối hợp), the lead's view of its
// partners' state, and the activation preview's warnings. Strings live here, in both languages, so the pages that
// show them need no change to the shared dictionary.
import { Alert, Card, List, Progress, Space, Table, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import type { AssignmentListItem, AssignmentStatus, Timeliness } from '../api/types';
import { assignmentPath } from '../components/AssignmentList';
import { formatDate, formatDateTime } from '../format';
import { type Lang, useI18n } from '../i18n';
import { StatusTag, TimelinessTag } from '../timeliness';

export type DutyRole = 'lead' | 'coordinate';

/** docs/api-contract.md `GET /api/assignments/:workflowId` → coordination. */
export interface TeamMember {
  workflowId: string;
  unitCode: string;
  unitName: string;
  role: DutyRole;
  status: AssignmentStatus;
  timeliness: Timeliness | null;
  progress: number;
  progressNote: string | null;
  deadline: string | null;
  daysLeft: number | null;
  updatedAt: string;
}

export interface Coordination {
  leads: TeamMember[];
  coordinators: TeamMember[];
}

/** docs/api-contract.md `GET /api/plans/:id/activation-preview`. */
export interface ActivationProblemView {
  itemKey: string;
  code: string;
  text: string;
  blocking?: boolean;
  message?: string;
}

export interface ResolvedDeadlineView {
  itemKey: string;
  text: string;
  workingDays: number;
  basis: 'issue_date' | 'period_end';
  from: string;
  date: string;
}

export type RecipientKind = 'assignee' | 'assignee_head' | 'supervisor' | 'lead_unit' | 'leader';

/** docs/api-contract.md: `notices` of the activation and amendment previews (docs/activation.md "Preview figures"). */
export interface NoticeForecastView {
  scope?: 'activation' | 'amendment';
  asOf: string;
  assignments: number;
  overdue: number;
  dueSoon: number;
  dueSoonDays?: number;
  lateSteps: Record<string, number>;
  byKind: Record<RecipientKind, { recipients: number; newWork: number; daily: number }>;
  total: { recipients: number; emails: number; maxPerRecipient: number; medianPerRecipient: number };
  warning: { code: 'ALL_DEADLINES_PASSED' | 'SOME_DEADLINES_PASSED'; message: string; latestDeadline: string | null } | null;
}

export interface ActivationPreviewView {
  assignments: number;
  units: number;
  byRole?: Record<DutyRole, number>;
  problems: ActivationProblemView[];
  deadlines?: ResolvedDeadlineView[];
  notices?: NoticeForecastView;
}

const TEXT = {
  vi: {
    lead: 'Chủ trì',
    coordinate: 'Phối hợp',
    role: 'Vai trò',
    partners: 'Đơn vị phối hợp ({n})',
    leads: 'Đơn vị chủ trì',
    otherPartners: 'Các đơn vị phối hợp khác ({n})',
    lastNote: 'Ghi chú gần nhất',
    updated: 'Cập nhật {at}',
    deadline: 'Hạn {d}',
    noDeadline: 'Không có hạn',
    confirm: 'Kích hoạt kế hoạch sẽ bắt đầu {n} nhiệm vụ cho {units} đơn vị ({lead} chủ trì, {coordinate} phối hợp). Tiếp tục?',
    blocking: 'Chưa thể kích hoạt: {n} nhiệm vụ chưa có đơn vị nhận',
    warnings: 'Không được chuyển thành việc ({n}) — kiểm tra trước khi kích hoạt',
    resolved: 'Hạn tính theo ngày làm việc',
    resolvedLine: '{key}: "{text}" → {date} ({n} ngày làm việc sau {from})',
    fromIssue: 'ngày ban hành {d}',
    fromPeriod: 'ngày kết thúc kỳ {d} (kỳ đầu)',
    allPassed: 'Tất cả thời hạn của kế hoạch đã qua (hạn muộn nhất {latest}): {overdue} nhiệm vụ sẽ quá hạn ngay khi bắt đầu',
    allPassedAmended: 'Tất cả thời hạn sau điều chỉnh đã qua (hạn muộn nhất {latest}): {overdue} nhiệm vụ được giao mới hoặc điều chỉnh sẽ quá hạn ngay',
    somePassed: '{overdue}/{n} nhiệm vụ đã quá hạn ngay khi bắt đầu',
    checkYear: 'Hãy kiểm tra lại năm của kế hoạch hoặc điều chỉnh thời hạn trước khi tiếp tục.',
    catchUp: 'Mỗi nhiệm vụ quá hạn chỉ gửi một thông báo ở mức đôn đốc hiện tại, không gửi lại từng bước nhắc việc, đôn đốc đã qua.',
    timing: 'Thời hạn: {overdue} quá hạn, {dueSoon} sắp đến hạn (trong {days} ngày), {rest} còn hạn hoặc không có hạn.',
    mailTitle: 'Thư điện tử sẽ gửi',
    mailKind: 'Người nhận',
    mailRecipients: 'Số địa chỉ',
    mailNewWork: 'Thư giao việc',
    mailDaily: 'Thư tổng hợp trong ngày',
    mailTotal: 'Tổng cộng {emails} thư tới {recipients} địa chỉ; mỗi địa chỉ nhận nhiều nhất {max} thư (một thư giao việc gộp mọi nhiệm vụ, một thư tổng hợp trong ngày).',
    kind_assignee: 'Đơn vị thực hiện',
    kind_assignee_head: 'Thủ trưởng đơn vị',
    kind_supervisor: 'Cơ quan quản lý',
    kind_lead_unit: 'Đơn vị chủ trì',
    kind_leader: 'Lãnh đạo phụ trách',
  },
  en: {
    lead: 'Lead',
    coordinate: 'Partner',
    role: 'Role',
    partners: 'Partner units ({n})',
    leads: 'Lead unit',
    otherPartners: 'Other partner units ({n})',
    lastNote: 'Last note',
    updated: 'Updated {at}',
    deadline: 'Due {d}',
    noDeadline: 'No deadline',
    confirm: 'Activating the plan starts {n} assignments for {units} units ({lead} as lead, {coordinate} as partner). Continue?',
    blocking: 'Cannot activate yet: {n} duties have no unit to receive them',
    warnings: 'Not carried into work ({n}) — check before activating',
    resolved: 'Working-day deadlines',
    resolvedLine: '{key}: "{text}" → {date} ({n} working days after {from})',
    fromIssue: 'the issue date {d}',
    fromPeriod: 'the end of the period {d} (first period)',
    allPassed: 'Every deadline of the plan has passed (the latest was {latest}): {overdue} assignments will be overdue as soon as they start',
    allPassedAmended: 'Every deadline after the amendment has passed (the latest is {latest}): {overdue} started or changed assignments will be overdue at once',
    somePassed: '{overdue} of {n} assignments are overdue as soon as they start',
    checkYear: "Check the plan's year, or amend the deadlines, before going on.",
    catchUp: 'Each overdue assignment sends one notice at its current escalation level; the reminders and escalations already past are not replayed.',
    timing: 'Deadlines: {overdue} overdue, {dueSoon} due soon (within {days} days), {rest} on time or without a deadline.',
    mailTitle: 'Emails this will send',
    mailKind: 'Recipient',
    mailRecipients: 'Addresses',
    mailNewWork: 'New-work email',
    mailDaily: 'Daily email',
    mailTotal: '{emails} emails to {recipients} addresses in all; no address gets more than {max} (one new-work email listing all of it, one daily email).',
    kind_assignee: 'Responsible units',
    kind_assignee_head: 'Unit heads',
    kind_supervisor: 'Supervising units',
    kind_lead_unit: 'Lead units',
    kind_leader: 'Leader in charge',
  },
} satisfies Record<Lang, Record<string, string>>;

type Key = keyof (typeof TEXT)['vi'];

function useText(): (key: Key, params?: Record<string, string | number>) => string {
  const { lang } = useI18n();
  return (key, params) => TEXT[lang][key].replace(/\{(\w+)\}/g, (m, name: string) => (params && name in params ? String(params[name]) : m));
}

/** 'Chủ trì' or 'Phối hợp'; work without a role (older rows) is the lead's. */
export function RoleTag({ role }: { role?: DutyRole | string | null }) {
  const tx = useText();
  const value: DutyRole = role === 'coordinate' ? 'coordinate' : 'lead';
  return <Tag color={value === 'lead' ? 'geekblue' : 'gold'}>{tx(value)}</Tag>;
}

export function useRoleColumn(): { title: string; render(item: AssignmentListItem): ReactNode } {
  const tx = useText();
  // The list type predates roles; the API sends one on every item (docs/api-contract.md).
  return { title: tx('role'), render: (item) => <RoleTag role={(item as AssignmentListItem & { role?: string }).role} /> };
}

function MemberList({ members, linkable }: { members: TeamMember[]; linkable: boolean }) {
  const tx = useText();
  return (
    <List
      size="small"
      dataSource={members}
      renderItem={(m) => (
        <List.Item key={m.workflowId}>
          <div style={{ width: '100%' }}>
            <Space wrap size={4}>
              {linkable ? <Link to={assignmentPath(m.workflowId)}>{m.unitName}</Link> : <Typography.Text strong>{m.unitName}</Typography.Text>}
              <RoleTag role={m.role} />
              <StatusTag value={m.status} />
              <TimelinessTag value={m.timeliness} />
            </Space>
            <div style={{ display: 'flex', gap: 12, alignItems: 'center', flexWrap: 'wrap', marginTop: 4 }}>
              <Progress percent={m.progress} size="small" style={{ width: 160, margin: 0 }} aria-label={`${m.unitName} ${m.progress}%`} />
              <Typography.Text type="secondary">{m.deadline ? tx('deadline', { d: formatDate(m.deadline) }) : tx('noDeadline')}</Typography.Text>
              <Typography.Text type="secondary">{tx('updated', { at: formatDateTime(m.updatedAt) })}</Typography.Text>
            </div>
            {m.progressNote && (
              <Typography.Paragraph type="secondary" style={{ margin: '4px 0 0' }}>
                {tx('lastNote')}: {m.progressNote}
              </Typography.Paragraph>
            )}
          </div>
        </List.Item>
      )}
    />
  );
}

/**
 * On a lead assignment, its partners' state; on a partner's, the lead and the other partners. Links only for
 * district-wide roles: a unit user cannot open another unit's assignment.
 */
export function CoordinationCard({ role, coordination, linkable }: { role?: string; coordination?: Coordination | null; linkable: boolean }) {
  const tx = useText();
  if (!coordination) return null;
  const { leads, coordinators } = coordination;
  if (role !== 'coordinate') {
    // Most duties have no partners: nothing to show rather than an empty card on every page.
    if (coordinators.length === 0) return null;
    return (
      <Card size="small" style={{ marginTop: 12 }} title={<h2 style={{ fontSize: 16, margin: 0 }}>{tx('partners', { n: coordinators.length })}</h2>}>
        <MemberList members={coordinators} linkable={linkable} />
      </Card>
    );
  }
  if (leads.length === 0 && coordinators.length === 0) return null;
  return (
    <Card size="small" style={{ marginTop: 12 }} title={<h2 style={{ fontSize: 16, margin: 0 }}>{tx('leads')}</h2>}>
      {leads.length > 0 && <MemberList members={leads} linkable={linkable} />}
      {coordinators.length > 0 && (
        <>
          <Typography.Text strong>{tx('otherPartners', { n: coordinators.length })}</Typography.Text>
          <MemberList members={coordinators} linkable={linkable} />
        </>
      )}
    </Card>
  );
}

/** The activation confirmation: counts by role, what blocks, what only warns, and the working-day dates. */
export function ActivationPreviewContent({ preview }: { preview: ActivationPreviewView }) {
  const tx = useText();
  const blocking = preview.problems.filter((p) => p.blocking !== false);
  const warnings = preview.problems.filter((p) => p.blocking === false);
  const line = (p: ActivationProblemView) => p.message ?? `${p.itemKey}: ${p.code} — ${p.text}`;
  return (
    <div>
      <p>
        {tx('confirm', {
          n: preview.assignments,
          units: preview.units,
          lead: preview.byRole?.lead ?? preview.assignments,
          coordinate: preview.byRole?.coordinate ?? 0,
        })}
      </p>
      {blocking.length > 0 && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 8 }}
          message={tx('blocking', { n: blocking.length })}
          description={<ul style={{ margin: 0, paddingLeft: 18 }}>{blocking.map((p, i) => <li key={i}>{line(p)}</li>)}</ul>}
        />
      )}
      {warnings.length > 0 && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 8 }}
          message={tx('warnings', { n: warnings.length })}
          description={<ul style={{ margin: 0, paddingLeft: 18, maxHeight: 240, overflowY: 'auto' }}>{warnings.map((p, i) => <li key={i}>{line(p)}</li>)}</ul>}
        />
      )}
      {preview.notices && <NoticeForecastContent notices={preview.notices} />}
      {(preview.deadlines?.length ?? 0) > 0 && (
        <Alert
          type="info"
          showIcon
          message={tx('resolved')}
          description={
            <ul style={{ margin: 0, paddingLeft: 18 }}>
              {preview.deadlines!.map((d) => (
                <li key={d.itemKey}>
                  {tx('resolvedLine', {
                    key: d.itemKey,
                    text: d.text,
                    date: formatDate(d.date),
                    n: d.workingDays,
                    from: tx(d.basis === 'issue_date' ? 'fromIssue' : 'fromPeriod', { d: formatDate(d.from) }),
                  })}
                </li>
              ))}
            </ul>
          }
        />
      )}
    </div>
  );
}

const KINDS: RecipientKind[] = ['assignee', 'assignee_head', 'supervisor', 'lead_unit', 'leader'];

/** The `notices` of a preview response, when the API sent them (the shared response types predate them). */
export function noticesOf(preview: object): NoticeForecastView | undefined {
  return (preview as { notices?: NoticeForecastView }).notices;
}

/**
 * What starting the work will mail, under the batching rules: how much of it is already late, and per kind of
 * recipient how many addresses get the new-work email and the daily email. Work that starts late is said so first.
 */
export function NoticeForecastContent({ notices }: { notices: NoticeForecastView }) {
  const tx = useText();
  const { overdue, dueSoon, assignments, warning, total } = notices;
  const rows = KINDS.filter((k) => notices.byKind[k]?.recipients > 0).map((k) => ({ key: k, kind: tx(`kind_${k}`), ...notices.byKind[k] }));
  return (
    <div style={{ marginBottom: 8 }}>
      {warning && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 8 }}
          message={
            warning.code === 'ALL_DEADLINES_PASSED'
              ? tx(notices.scope === 'amendment' ? 'allPassedAmended' : 'allPassed', { latest: formatDate(warning.latestDeadline), overdue })
              : tx('somePassed', { overdue, n: assignments })
          }
          description={`${warning.code === 'ALL_DEADLINES_PASSED' ? `${tx('checkYear')} ` : ''}${tx('catchUp')}`}
        />
      )}
      <p style={{ margin: '0 0 8px' }}>{tx('timing', { overdue, dueSoon, days: notices.dueSoonDays ?? 3, rest: assignments - overdue - dueSoon })}</p>
      {rows.length > 0 && (
        <Table
          size="small"
          pagination={false}
          aria-label={tx('mailTitle')}
          title={() => <Typography.Text strong>{tx('mailTitle')}</Typography.Text>}
          dataSource={rows}
          columns={[
            { title: tx('mailKind'), dataIndex: 'kind' },
            { title: tx('mailRecipients'), dataIndex: 'recipients', align: 'right' },
            { title: tx('mailNewWork'), dataIndex: 'newWork', align: 'right' },
            { title: tx('mailDaily'), dataIndex: 'daily', align: 'right' },
          ]}
          footer={() => tx('mailTotal', { emails: total.emails, recipients: total.recipients, max: total.maxPerRecipient })}
        />
      )}
    </div>
  );
}
