import { buildUrgingLetter, type LateRow } from '@app/documents';
import { type OrganisationDirectory } from '@app/domain';
import {
  type Mailer,
  MailError,
  MailTransientError,
  type OutgoingMail,
  type Recipient,
  renderNotificationContext,
  resolveRecipients,
  type SendResult,
} from '@app/notifications';
import { type NewOutboxRow, type NotificationPreferencesRepository, type OrganisationRepository, type OutboxRepository, type OutboxRow, type StoredLetter } from '@app/persistence';
import { type NotificationRequest } from '@app/workflows/contracts';
import { DataSource } from 'typeorm';
import { ZodError } from 'zod';
import { type ContentFacts, type ContentSettings, contextFor, NotificationContentError } from './content';
import { districtCommittee, districtLeader, recipientContextFor, RecipientResolutionError } from './recipients';

/** Notices that name who acted (the reviewer, who decided the extension, who amended the plan). */
const ACTOR_KINDS = ['returned', 'extension_granted', 'extension_refused', 'deadline_changed'] as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const DOCX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

export interface NotificationOutboxDeps {
  outbox: OutboxRepository;
  organisation: OrganisationRepository;
  dataSource: DataSource;
  mailer: Mailer;
  settings: ContentSettings;
  /** Units that chose a daily digest; without it every notice is mailed at once. */
  preferences?: NotificationPreferencesRepository;
  /** The wall clock for sent_at; injectable so tests can pin it. */
  clock?: () => Date;
}

export interface DeliveryReport {
  sent: number;
  failed: number;
  skipped: number;
}

/** The single key of a notification to one recipient; the Message-ID is derived from it, so never change its shape. */
/** Notices a unit in digest mode gets inside its daily digest instead of one by one. */
export const DIGEST_KINDS = ['reminder', 'overdue'] as const;
/** Notices a leader with a daily summary gets inside it instead of one by one. */
export const LEADER_SUMMARY_KINDS = ['leadership'] as const;

export interface RecordResult {
  keys: string[];
  /** True when the rows wait for a digest ('digest_pending'): there is nothing to deliver now. */
  held: boolean;
}

export const outboxKeyOf = (workflowId: string, stepKey: string, address: string): string => `${workflowId}|${stepKey}|${address.toLowerCase()}`;

/**
 * The two halves of "exactly once": `record` writes one pending row per recipient before anything is
 * sent (idempotent by key), `deliver` sends what is still pending and marks it sent after the server
 * accepted it. The only gap is a crash between the two; the resend carries the same Message-ID.
 */
export class NotificationOutbox {
  private readonly clock: () => Date;

  constructor(private readonly deps: NotificationOutboxDeps) {
    this.clock = deps.clock ?? (() => new Date());
  }

  /** Resolves recipients, renders each message and stores the rows; returns the keys recorded. */
  async record(request: NotificationRequest): Promise<string[]> {
    return (await this.recordRequest(request)).keys;
  }

  /**
   * Like record, and says whether the rows were held for a digest. Held rows are still rendered, so
   * the admin view shows what the unit would have received and the digest can link to them.
   */
  async recordRequest(request: NotificationRequest): Promise<RecordResult> {
    const directory = await this.deps.organisation.load();
    const ctx = recipientContextFor(directory, request.snapshot);
    const recipients = resolveRecipients(request.audience, ctx);
    if (recipients.length === 0) return { keys: [], held: false };
    const held = await this.heldForDigest(request, directory);
    const asOf = stepInstant(request);
    const letter = request.kind === 'leadership' ? await this.urgingLetter(request, directory, asOf) : undefined;
    const facts: ContentFacts = {
      request,
      asOf,
      actorNames: await this.actorNames(request),
      assigneeUnitName: ctx.assigneeUnit.name,
      ...(ctx.leadUnit ? { leadUnitName: ctx.leadUnit.name } : {}),
      ...(ctx.leader ? { leader: ctx.leader } : {}),
      recipients,
      ...(letter ? { letterFilename: letter.filename } : {}),
    };
    const rows = recipients.map((r) => ({ ...this.rowFor(request, r, facts, letter), status: held ? ('digest_pending' as const) : ('pending' as const) }));
    await this.deps.outbox.insertPending(rows);
    return { keys: rows.map((r) => r.outboxKey), held };
  }

  /**
   * People who acted (a reviewer, the coordinator who amended the plan) are user ids in the workflow;
   * a letter names them as people. An id that is no longer an account stays as it is.
   */
  private async actorNames(request: NotificationRequest): Promise<Record<string, string>> {
    // Only these notices name a person, and the person is the one who just acted: reminders and escalations
    // (most of the mail) need no lookup.
    if (!(ACTOR_KINDS as readonly string[]).includes(request.kind)) return {};
    const ids = [request.snapshot.recentEvents.at(-1)?.actor].filter((a): a is string => !!a && UUID.test(a));
    if (ids.length === 0) return {};
    const rows: Array<{ id: string; display_name: string }> = await this.deps.dataSource.query(
      'SELECT id, display_name FROM users WHERE id = ANY($1::uuid[])',
      [ids],
    );
    return Object.fromEntries(rows.map((r) => [r.id, r.display_name]));
  }

  /** Whether the unit (or, for leadership steps, the leader's unit) asked for one daily mail instead. */
  private async heldForDigest(request: NotificationRequest, directory: OrganisationDirectory): Promise<boolean> {
    const preferences = this.deps.preferences;
    if (!preferences) return false;
    if ((DIGEST_KINDS as readonly string[]).includes(request.kind)) {
      return (await preferences.forUnit(request.snapshot.unitCode)).mode === 'daily_digest';
    }
    if ((LEADER_SUMMARY_KINDS as readonly string[]).includes(request.kind)) {
      const committee = districtCommittee(directory);
      return committee ? (await preferences.forUnit(committee.code)).leaderSummary : false;
    }
    return false;
  }

  /**
   * Sends every row of `keys` that is still pending. Permanent refusals end the row as failed; a
   * transient fault leaves it pending and, after the other rows had their chance, throws so the
   * caller (a Temporal activity) retries the batch.
   */
  async deliver(keys: string[]): Promise<DeliveryReport> {
    const report: DeliveryReport = { sent: 0, failed: 0, skipped: 0 };
    let transient: MailTransientError | undefined;
    for (const row of await this.deps.outbox.findByKeys(keys)) {
      if (row.status !== 'pending') {
        report.skipped++;
        continue;
      }
      try {
        const result = await this.send(row);
        if (await this.settle(row, result)) report.sent++;
        else report.failed++;
      } catch (err) {
        if (err instanceof MailTransientError) {
          transient = err;
          await this.deps.outbox.recordTransientError(row.outboxKey, err.message);
        } else if (err instanceof MailError) {
          // Refused for the message itself (size, policy) or for our configuration: another try of
          // this message cannot succeed, and the reason is what the admin view must show.
          await this.deps.outbox.markFailed(row.outboxKey, err.message);
          report.failed++;
        } else {
          throw err;
        }
      }
    }
    if (transient) throw transient;
    return report;
  }

  /** First half of delivering one row: counts the attempt and hands the message to the SMTP server. */
  async send(row: OutboxRow): Promise<SendResult> {
    if (!row.recipient || !row.messageId || !row.subject) throw new Error(`Outbox row ${row.outboxKey} is not a deliverable row`);
    const message = await this.deps.outbox.messageOf(row.outboxKey);
    if (!message) throw new Error(`Outbox row ${row.outboxKey} has no stored message`);
    const letter = message.letterId ? await this.deps.outbox.findLetter(message.letterId) : null;
    const mail: OutgoingMail = {
      to: row.recipientKind === 'cc' ? [] : [row.recipient],
      cc: row.recipientKind === 'cc' ? [row.recipient] : [],
      subject: row.subject,
      text: message.text,
      html: message.html,
      messageId: row.messageId,
      headers: { 'X-Dondoc-Outbox-Key': row.outboxKey },
      ...(letter ? { attachments: [{ filename: letter.filename, content: letter.content, contentType: letter.contentType }] } : {}),
    };
    await this.deps.outbox.markAttempt(row.outboxKey, this.clock());
    return this.deps.mailer.send(mail);
  }

  /** Second half: records what the server said. Returns true when the row ended sent. */
  async settle(row: OutboxRow, result: SendResult): Promise<boolean> {
    const address = (row.recipient ?? '').toLowerCase();
    // One recipient per message, so "not accepted" can only mean this recipient was refused.
    if (!result.accepted.some((a) => a.toLowerCase() === address)) {
      const rejection = result.rejected.find((r) => r.address.toLowerCase() === address) ?? result.rejected[0];
      if (rejection) {
        await this.deps.outbox.markFailed(row.outboxKey, rejection.reason);
        return false;
      }
    }
    await this.deps.outbox.markSent(row.outboxKey, this.clock());
    return true;
  }

  private rowFor(request: NotificationRequest, recipient: Recipient, facts: ContentFacts, letter: StoredLetter | undefined): NewOutboxRow {
    const key = outboxKeyOf(request.workflowId, request.stepKey, recipient.address);
    const rendered = renderNotificationContext(contextFor(facts, recipient, this.deps.settings));
    return {
      outboxKey: key,
      workflowId: request.workflowId,
      stepKey: request.stepKey,
      kind: request.kind,
      audience: recipient.role,
      unitCode: request.snapshot.unitCode,
      recipient: recipient.address,
      recipientName: recipient.name,
      recipientKind: recipient.kind,
      recipientLocale: recipient.locale,
      subject: rendered.subject,
      messageId: this.deps.mailer.messageIdFor(key),
      message: { text: rendered.text, html: rendered.html, ...(letter ? { letterId: letter.id } : {}) },
    };
  }

  /** The draft urging letter for the late unit, built once per step from its overdue assignments in the plan. */
  private async urgingLetter(request: NotificationRequest, directory: OrganisationDirectory, asOf: Date): Promise<StoredLetter> {
    const existing = await this.deps.outbox.findLetterForStep(request.workflowId, request.stepKey);
    if (existing) return existing;
    const snapshot = request.snapshot;
    const unit = directory.unit(snapshot.unitCode);
    const unitName = unit?.name ?? snapshot.unitCode;
    const rows: Array<{ workflow_id: string; item_key: string; title: string; deadline: Date; escalation_level: number }> =
      await this.deps.dataSource.query(
        `SELECT workflow_id, item_key, title, deadline, escalation_level FROM assignments
         WHERE plan_id = $1 AND unit_code = $2 AND status NOT IN ('done', 'cancelled') AND deadline IS NOT NULL AND deadline < $3
         ORDER BY deadline, item_key`,
        [snapshot.input.planId, snapshot.unitCode, asOf],
      );
    const late: LateRow[] = rows.map((r) => lateRow(unitName, snapshot.unitCode, r.item_key, r.title, new Date(r.deadline), r.escalation_level, asOf));
    // The projection of this very step may lag behind the notification; the letter must still name it.
    if (!rows.some((r) => r.workflow_id === snapshot.workflowId) && snapshot.deadline) {
      late.unshift(lateRow(unitName, snapshot.unitCode, snapshot.input.itemKey, snapshot.input.title, new Date(snapshot.deadline), snapshot.escalationLevel, asOf));
    }
    const committee = districtCommittee(directory);
    const leader = districtLeader(directory);
    const content = await buildUrgingLetter({
      issuer: {
        name: (committee?.name ?? 'Ủy ban nhân dân').toUpperCase(),
        ...(committee ? { textName: committee.name } : {}),
        place: placeOf(committee?.name),
        numberSuffix: 'UBND',
      },
      plan: { number: snapshot.input.planNumber ?? '…', title: snapshot.input.planTitle },
      asOf,
      late,
      signer: { title: (leader?.title ?? 'Chủ tịch').toUpperCase(), name: leader?.name ?? '' },
    });
    return this.deps.outbox.saveLetter({
      workflowId: request.workflowId,
      stepKey: request.stepKey,
      unitCode: snapshot.unitCode,
      filename: `van-ban-don-doc-${snapshot.unitCode}.docx`,
      contentType: DOCX_CONTENT_TYPE,
      content,
    });
  }
}

const DAY_MS = 86_400_000;

function lateRow(unitName: string, unitCode: string, key: string, title: string, deadline: Date, level: number, asOf: Date): LateRow {
  return {
    unitCode,
    unitName,
    responsibilityKey: key,
    responsibility: title,
    deadline,
    daysLate: Math.max(0, Math.floor((asOf.getTime() - deadline.getTime()) / DAY_MS)),
    escalationLevel: Math.max(0, level),
  };
}

/** "Ủy ban nhân dân huyện Văn Quan" → "Văn Quan", the place name of the date line. */
function placeOf(committeeName: string | undefined): string {
  const match = /(?:huyện|thị xã|thành phố|quận)\s+(.+)$/i.exec(committeeName ?? '');
  return match?.[1]?.trim() ?? committeeName ?? '';
}

/** When the step happened in workflow time: the newest event of the snapshot, recorded just before the request. */
function stepInstant(request: NotificationRequest): Date {
  const at = request.snapshot.recentEvents.at(-1)?.at;
  return at && !Number.isNaN(Date.parse(at)) ? new Date(at) : new Date();
}

/** Why a request can never become an email (bad directory or content), or null for a fault worth retrying. */
export function undeliverableReason(err: unknown): string | null {
  if (err instanceof RecipientResolutionError || err instanceof NotificationContentError) return `${err.code}: ${err.message}`;
  if (err instanceof ZodError) return `INVALID_CONTENT: ${err.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`;
  return null;
}
