import { DEFAULT_DUE_SOON_WITHIN_MS, localDate, localTimeOfDayMs, type OrganisationDirectory } from '@app/domain';
import { type DigestItem, type Locale, type Mailer, renderNotification, signedLink } from '@app/notifications';
import {
  type DigestCover,
  type NewOutboxRow,
  type NotificationPreferencesRepository,
  type OrganisationRepository,
  type OutboxRepository,
} from '@app/persistence';
import { type DailyDigestInput, type DailyDigestReport } from '@app/contracts/workflow';
import { DataSource } from 'typeorm';
import { type ContentSettings, LINK_VALIDITY_MS } from './content';
import { type DeliveryScheduler } from './notification.activities';
import { DIGEST_KINDS, LEADER_SUMMARY_KINDS } from './notification-outbox';
import { districtCommittee, districtLeader } from './recipients';

export interface DailyDigestDeps {
  dataSource: DataSource;
  outbox: OutboxRepository;
  organisation: OrganisationRepository;
  preferences: NotificationPreferencesRepository;
  mailer: Pick<Mailer, 'messageIdFor'>;
  scheduler: DeliveryScheduler;
  settings: ContentSettings;
}

/** The local calendar date and hour of an instant in Asia/Ho_Chi_Minh (the domain's Vietnam-time helpers). */
export function localDateAndHour(at: Date): { date: string; hour: number } {
  return { date: localDate(at), hour: Math.floor(localTimeOfDayMs(at) / 3_600_000) };
}

/** One key per unit and local day: the Message-ID derives from it, so never change its shape. */
export const digestKeyOf = (unitCode: string, date: string): string => `digest|${unitCode}|${date}`;
export const leaderSummaryKeyOf = (address: string, date: string): string => `leader-summary|${address.toLowerCase()}|${date}`;

interface WorkRow {
  workflow_id: string;
  unit_code: string;
  title: string;
  status: string;
  deadline: Date | null;
  escalation_level: number;
  plan_number: string | null;
  plan_title: string | null;
  return_comment: string | null;
}

/** What "open work the unit must act on" means here: submitted work waits for the reviewer, not the unit. */
const ACTIONABLE = `a.status NOT IN ('done', 'cancelled', 'submitted')`;
const WORK_COLUMNS = `a.workflow_id, a.unit_code, a.title, a.status, a.deadline, a.escalation_level, p.number AS plan_number, p.title AS plan_title,
  (SELECT e.comment FROM assignment_events e WHERE e.workflow_id = a.workflow_id AND e.type = 'returned' ORDER BY e.seq DESC LIMIT 1) AS return_comment`;

/**
 * The hourly run behind the `dondoc-daily-digest` schedule. For each unit whose digest hour is now,
 * one mail per local day (key `digest|<unit>|<date>`) lists its due-soon, overdue and returned work
 * from the read model, and the reminders held back for it become 'covered'. The row is inserted
 * before delivery and only a pending row is sent, so a rerun the same day sends nothing.
 */
export class DailyDigest {
  constructor(private readonly deps: DailyDigestDeps) {}

  async run(input: DailyDigestInput & { asOf: string }): Promise<DailyDigestReport> {
    const asOf = new Date(input.asOf);
    const { date, hour } = localDateAndHour(asOf);
    const report: DailyDigestReport = { date, created: [], existing: [], skipped: [] };
    const explicit = input.unitCodes && input.unitCodes.length > 0 ? new Set(input.unitCodes) : null;
    const due = (await this.deps.preferences.findDigestRecipientsAt(explicit ? null : hour)).filter((p) => !explicit || explicit.has(p.unitCode));
    if (due.length === 0) return report;
    const directory = await this.deps.organisation.load();
    for (const pref of due) {
      if (pref.mode === 'daily_digest') await this.unitDigest(directory, pref.unitCode, asOf, date, report);
      // The leader's summary belongs to the leader's own unit (the district committee) choosing it.
      if (pref.leaderSummary && districtCommittee(directory)?.code === pref.unitCode) await this.leaderSummary(directory, asOf, date, report);
    }
    return report;
  }

  private async unitDigest(directory: OrganisationDirectory, unitCode: string, asOf: Date, date: string, report: DailyDigestReport): Promise<void> {
    const unit = directory.unit(unitCode);
    const address = unit ? unit.emails[0] ?? unit.head?.email : undefined;
    if (!unit || !address) {
      report.skipped.push(unitCode);
      return;
    }
    const rows: WorkRow[] = await this.deps.dataSource.query(
      `SELECT ${WORK_COLUMNS} FROM assignments a LEFT JOIN plans p ON p.id = a.plan_id
       WHERE a.unit_code = $1 AND ${ACTIONABLE} AND (a.status = 'returned' OR (a.deadline IS NOT NULL AND a.deadline <= $2))
       ORDER BY a.deadline NULLS LAST, a.workflow_id`,
      [unitCode, new Date(asOf.getTime() + DEFAULT_DUE_SOON_WITHIN_MS)],
    );
    const cover: DigestCover = { kinds: DIGEST_KINDS, unitCode, upTo: asOf };
    if (rows.length === 0 && (await this.deps.outbox.countDigestPending(cover)) === 0) {
      report.skipped.push(unitCode);
      return;
    }
    const item = (r: WorkRow): DigestItem => ({
      planNumber: r.plan_number ?? r.plan_title ?? '…',
      responsibility: r.title,
      // Returned work may have no deadline; the template still wants a date to print.
      deadline: r.deadline ? new Date(r.deadline) : asOf,
      link: this.link(r.workflow_id, address, asOf),
      ...(r.status === 'returned' && r.return_comment ? { comment: r.return_comment } : {}),
    });
    const returned = rows.filter((r) => r.status === 'returned');
    const open = rows.filter((r) => r.status !== 'returned' && r.deadline);
    const rendered = renderNotification('digest', {
      locale: unit.locale,
      now: asOf,
      link: `${this.publicUrl()}/inbox`,
      recipientName: unit.name,
      unitName: unit.name,
      overdue: open.filter((r) => new Date(r.deadline!) < asOf).map(item),
      dueSoon: open.filter((r) => new Date(r.deadline!) >= asOf).map(item),
      returned: returned.map(item),
    });
    const key = digestKeyOf(unitCode, date);
    await this.store(key, { kind: 'digest', audience: 'assignee', unitCode, address, name: unit.name, locale: unit.locale, rendered }, cover, date, report);
  }

  private async leaderSummary(directory: OrganisationDirectory, asOf: Date, date: string, report: DailyDigestReport): Promise<void> {
    const leader = districtLeader(directory);
    const committee = districtCommittee(directory);
    if (!leader?.email || !committee) {
      report.skipped.push(`leader-summary:${committee?.code ?? '?'}`);
      return;
    }
    // Every unit with work past its deadline now: lateness older than this week stays in the summary
    // until it is done, since that is exactly what the leader is asked to press on.
    const rows: WorkRow[] = await this.deps.dataSource.query(
      `SELECT ${WORK_COLUMNS} FROM assignments a LEFT JOIN plans p ON p.id = a.plan_id
       WHERE ${ACTIONABLE} AND a.deadline IS NOT NULL AND a.deadline < $1
       ORDER BY a.unit_code, a.deadline, a.workflow_id`,
      [asOf],
    );
    const cover: DigestCover = { kinds: LEADER_SUMMARY_KINDS, recipient: leader.email, upTo: asOf };
    if (rows.length === 0 && (await this.deps.outbox.countDigestPending(cover)) === 0) {
      report.skipped.push(`leader-summary:${committee.code}`);
      return;
    }
    const byUnit = new Map<string, WorkRow[]>();
    for (const r of rows) byUnit.set(r.unit_code, [...(byUnit.get(r.unit_code) ?? []), r]);
    const unitName = (code: string): string => directory.unit(code)?.name ?? code;
    const rendered = renderNotification('leader_summary', {
      locale: leader.locale,
      now: asOf,
      link: `${this.publicUrl()}/dashboard`,
      recipientName: leader.name,
      leaderName: leader.name,
      lateUnits: [...byUnit.entries()].map(([code, items]) => ({
        unitName: unitName(code),
        items: items.map((r) => ({
          planNumber: r.plan_number ?? r.plan_title ?? '…',
          responsibility: r.title,
          deadline: new Date(r.deadline!),
          escalationLevel: Math.max(0, r.escalation_level),
        })),
      })),
    });
    const key = leaderSummaryKeyOf(leader.email, date);
    await this.store(
      key,
      { kind: 'leader_summary', audience: 'leader', unitCode: committee.code, address: leader.email, name: leader.name, locale: leader.locale ?? 'vi', rendered },
      cover,
      date,
      report,
    );
  }

  /** Inserts the digest row (covering the held rows) and hands it to delivery while it is still pending. */
  private async store(
    key: string,
    mail: { kind: string; audience: string; unitCode: string; address: string; name: string; locale: Locale; rendered: { subject: string; text: string; html: string } },
    cover: DigestCover,
    date: string,
    report: DailyDigestReport,
  ): Promise<void> {
    const row: NewOutboxRow = {
      outboxKey: key,
      workflowId: null,
      stepKey: `${mail.kind}:${date}`,
      kind: mail.kind,
      audience: mail.audience,
      unitCode: mail.unitCode,
      recipient: mail.address,
      recipientName: mail.name,
      recipientKind: 'to',
      recipientLocale: mail.locale,
      subject: mail.rendered.subject,
      messageId: this.deps.mailer.messageIdFor(key),
      message: { text: mail.rendered.text, html: mail.rendered.html },
    };
    const created = await this.deps.outbox.insertDigest(row, cover);
    (created ? report.created : report.existing).push(key);
    // Also when it existed: a run that died between insert and scheduling must still get it delivered.
    const [stored] = await this.deps.outbox.findByKeys([key]);
    // Split so the delivery workflow id comes out as `mail:<key>`, like `mail:<workflowId>|<stepKey>` for one step.
    const [head = key, ...rest] = key.split('|');
    if (stored?.status === 'pending') await this.deps.scheduler.schedule({ workflowId: head, stepKey: rest.join('|') }, [key]);
  }

  private link(workflowId: string, address: string, asOf: Date): string {
    return signedLink({
      publicUrl: this.deps.settings.publicUrl,
      assignmentId: workflowId,
      secret: this.deps.settings.secretKey,
      expiresAt: new Date(asOf.getTime() + LINK_VALIDITY_MS),
      subject: address.toLowerCase(),
    });
  }

  private publicUrl(): string {
    return this.deps.settings.publicUrl.replace(/\/+$/, '');
  }
}
