import { buildUrgingLetter, type LateRow } from '@app/documents';
import { type OrganisationDirectory } from '@app/domain';
import {
  type Mailer,
  MailError,
  MailTransientError,
  type OutgoingMail,
  type BatchItem,
  type BatchItemInput,
  batchItemSchema,
  type Recipient,
  renderBatchMessage,
  renderNotificationContext,
  resolveRecipients,
  type SendResult,
} from '@app/notifications';
import {
  type BatchRecord,
  type NewOutboxRow,
  type NotificationPreferencesRepository,
  type OrganisationRepository,
  type OutboxRepository,
  type OutboxRow,
  type StoredLetter,
} from '@app/persistence';
import { type BatchTiming, type NotificationRequest } from '@app/contracts/workflow';
import { DataSource } from 'typeorm';
import { ZodError } from 'zod';
import { batchClassOf, batchDateOf, type BatchRules, localDateOf } from './batching';
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
  /**
   * Batching rules (quiet period, quiet hours, working morning). Without them every notice is its own
   * message, as before batching: hosts and tests that drive `record`/`deliver` by hand.
   */
  batching?: BatchRules;
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
  /** The batches the rows joined: each needs its batch workflow told (signal-with-start). */
  batches: BatchRecord[];
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
    if (recipients.length === 0) return { keys: [], held: false, batches: [] };
    const held = await this.heldForDigest(request, directory);
    const asOf = stepInstant(request);
    const batchClass = this.deps.batching && !held ? batchClassOf(request.kind) : 'immediate';
    // A batched leadership notice gets its unit's letter of the day when the batch closes (closeBatch); one held
    // for the leader's digest gets that same letter now; without batching, one letter per step as before.
    const letter =
      request.kind !== 'leadership' || batchClass !== 'immediate'
        ? undefined
        : this.deps.batching
          ? await this.heldLeadershipLetter(request, directory, asOf)
          : await this.urgingLetter(request, directory, asOf);
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
    if (batchClass === 'immediate') {
      await this.deps.outbox.insertPending(rows);
      return { keys: rows.map((r) => r.outboxKey), held, batches: [] };
    }
    const rules = this.deps.batching!;
    const now = this.clock();
    const batches: BatchRecord[] = [];
    // One transaction per recipient: each locks only its own batch row, so concurrent steps never deadlock.
    for (const [i, row] of rows.entries()) {
      const recipient = recipients[i]!;
      // Checked now, so a notice that could never be listed fails here (recorded as failed by the caller)
      // instead of blocking its whole batch when it closes.
      const item = batchItemSchema.parse(this.itemFor(request, recipient, facts));
      const first = rules.first(batchClass, request.snapshot.input.planId, recipient.address, now);
      const batch = await this.deps.outbox.enqueueBatchItem({ ...row, item }, first, (slot) => rules.next(slot, this.clock()), request.snapshot.input.planId);
      if (batch) batches.push(batch);
    }
    return { keys: rows.map((r) => r.outboxKey), held: false, batches };
  }

  /** What the batch message says about this notice; stored with the row, so closing a batch needs no workflow state. */
  private itemFor(request: NotificationRequest, recipient: Recipient, facts: ContentFacts): BatchItemInput {
    const snapshot = request.snapshot;
    const ctx = contextFor(facts, recipient, this.deps.settings);
    const kind = request.kind as BatchItem['kind'];
    const amended = request.kind === 'deadline_changed' ? [...snapshot.recentEvents].reverse().find((e) => e.type === 'amended') : undefined;
    const from = amended?.data?.from;
    return {
      workflowId: request.workflowId,
      kind,
      ...('escalation' in ctx && ctx.escalation ? { stepLabel: ctx.escalation.stepLabel, escalationLevel: ctx.escalation.level } : {}),
      ...(snapshot.input.planNumber ? { planNumber: snapshot.input.planNumber } : {}),
      planTitle: snapshot.input.planTitle,
      responsibility: snapshot.input.title,
      unitCode: snapshot.unitCode,
      unitName: facts.assigneeUnitName,
      ...(snapshot.input.role === 'lead' || snapshot.input.role === 'coordinate' ? { role: snapshot.input.role } : {}),
      ...(snapshot.input.periodLabel ? { periodLabel: snapshot.input.periodLabel } : {}),
      deadline: new Date(snapshot.deadline!),
      ...(typeof from === 'string' ? { previousDeadline: new Date(from) } : {}),
      link: ctx.link,
    };
  }

  /** The waiting rules a batch workflow needs, from the batch row and the configuration. */
  timingOf(batch: BatchRecord): BatchTiming {
    const config = this.deps.batching?.config;
    return {
      sendAfter: batch.sendAfter.toISOString(),
      quietMs: (config?.quietSeconds ?? 0) * 1000,
      maxMs: (config?.maxSeconds ?? 0) * 1000,
    };
  }

  /**
   * Closes a batch and stores its one message (pending), covering its notices; the body of the
   * closeBatch activity. Returns the message's outbox key for delivery, or null when nothing is left.
   */
  async closeBatch(batchKey: string): Promise<string | null> {
    return this.deps.outbox.closeBatch(batchKey, async (batch, rows) => {
      const now = this.clock();
      const items = rows.map((r) => batchItemSchema.parse(r.item));
      // The draft letter is for the leader to sign: only the leader's batch drafts and carries it, even when a
      // late start tells the unit and its supervisor of the same leadership step.
      const forLeader = items.filter((_, i) => rows[i]!.audience === 'leader');
      const letters = batch.batchClass === 'daily' ? await this.unitLetters(batch.planId, batchDateOf(batch.batchKey), forLeader, now) : [];
      const publicUrl = this.deps.settings.publicUrl.replace(/\/+$/, '');
      const rendered = renderBatchMessage({
        batchClass: batch.batchClass,
        locale: batch.recipientLocale === 'en' ? 'en' : 'vi',
        now,
        recipientName: batch.recipientName,
        items,
        link: letters.length > 0 ? `${publicUrl}/dashboard` : `${publicUrl}/inbox`,
        letters: letters.map((l) => ({ unitCode: l.unitCode, filename: l.filename, url: `${publicUrl}/api/letters/${l.id}` })),
      });
      // "to" unless the recipient was only ever copied.
      const kind = rows.every((r) => r.recipientKind === 'cc') ? 'cc' : 'to';
      return {
        outboxKey: batch.batchKey,
        workflowId: null,
        stepKey: batch.batchClass === 'new' ? 'batch:new' : `batch:daily`,
        kind: batch.batchClass === 'new' ? 'batch_new' : 'batch_daily',
        audience: rows[0]!.audience,
        unitCode: rows[0]!.unitCode ?? items[0]!.unitCode,
        recipient: rows[0]!.recipient ?? batch.recipient,
        recipientName: batch.recipientName,
        recipientKind: kind,
        recipientLocale: batch.recipientLocale,
        subject: rendered.subject,
        messageId: this.deps.mailer.messageIdFor(batch.batchKey),
        message: { text: rendered.text, html: rendered.html, ...(letters.length > 0 ? { letterIds: letters.map((l) => l.id) } : {}) },
      };
    });
  }

  /**
   * The leader's batch: one letter per late unit of the plan and day (letter key), listing all of the
   * unit's overdue assignments; a letter drafted earlier that day is reused and extended to cover
   * the batch's assignments.
   */
  private async unitLetters(planId: string, date: string, items: BatchItem[], now: Date): Promise<StoredLetter[]> {
    const leadership = items.filter((i) => i.kind === 'leadership');
    if (leadership.length === 0) return [];
    const directory = await this.deps.organisation.load();
    const letters: StoredLetter[] = [];
    for (const unitCode of [...new Set(leadership.map((i) => i.unitCode))].sort()) {
      const mine = leadership.filter((i) => i.unitCode === unitCode);
      const letterKey = `letter|${planId}|${unitCode}|${date}`;
      const existing = await this.deps.outbox.findLetterByKey(letterKey);
      const late = existing ? [] : await this.lateRowsOf(planId, unitCode, directory, now, mine);
      letters.push(
        await this.deps.outbox.saveUnitLetter({
          letterKey,
          workflowId: mine[0]!.workflowId,
          stepKey: `letter:${date}`,
          unitCode,
          filename: `van-ban-don-doc-${unitCode}.docx`,
          contentType: DOCX_CONTENT_TYPE,
          content: existing ? existing.content : await this.letterContent(directory, mine[0]!, late, now),
          workflowIds: [...new Set([...mine.map((i) => i.workflowId), ...late.map((l) => l.workflowId)])],
        }),
      );
    }
    return letters;
  }

  /** The unit's letter of the day for a leadership notice held for the leader's digest (drafted once, then extended). */
  private async heldLeadershipLetter(request: NotificationRequest, directory: OrganisationDirectory, asOf: Date): Promise<StoredLetter> {
    if (!request.snapshot.deadline) throw new NotificationContentError('NO_DEADLINE', `Assignment ${request.workflowId} has no deadline to write about`);
    const item = batchItemSchema.parse({
      workflowId: request.workflowId,
      kind: 'leadership',
      escalationLevel: Math.max(0, request.snapshot.escalationLevel),
      ...(request.snapshot.input.planNumber ? { planNumber: request.snapshot.input.planNumber } : {}),
      planTitle: request.snapshot.input.planTitle,
      responsibility: request.snapshot.input.title,
      unitCode: request.snapshot.unitCode,
      unitName: directory.unit(request.snapshot.unitCode)?.name ?? request.snapshot.unitCode,
      deadline: request.snapshot.deadline,
      link: this.deps.settings.publicUrl,
    });
    const [letter] = await this.unitLetters(request.snapshot.input.planId, localDateOf(asOf), [item], asOf);
    return letter!;
  }

  /** Every overdue assignment of the unit in the plan, plus the batch's own (the read model may lag). */
  private async lateRowsOf(planId: string, unitCode: string, directory: OrganisationDirectory, asOf: Date, mine: BatchItem[]): Promise<Array<LateRow & { workflowId: string }>> {
    const unitName = directory.unit(unitCode)?.name ?? unitCode;
    const rows: Array<{ workflow_id: string; item_key: string; title: string; deadline: Date; escalation_level: number }> = await this.deps.dataSource.query(
      `SELECT workflow_id, item_key, title, deadline, escalation_level FROM assignments
       WHERE plan_id = $1 AND unit_code = $2 AND status NOT IN ('done', 'cancelled') AND deadline IS NOT NULL AND deadline < $3
       ORDER BY deadline, item_key`,
      [planId, unitCode, asOf],
    );
    const late = rows.map((r) => ({ ...lateRow(unitName, unitCode, r.item_key, r.title, new Date(r.deadline), r.escalation_level, asOf), workflowId: r.workflow_id }));
    for (const i of mine) {
      if (!late.some((l) => l.workflowId === i.workflowId)) {
        late.push({ ...lateRow(unitName, unitCode, i.workflowId, i.responsibility, i.deadline, i.escalationLevel, asOf), workflowId: i.workflowId });
      }
    }
    return late;
  }

  private async letterContent(directory: OrganisationDirectory, item: BatchItem, late: LateRow[], asOf: Date): Promise<Buffer> {
    const committee = districtCommittee(directory);
    const leader = districtLeader(directory);
    return buildUrgingLetter({
      issuer: {
        name: (committee?.name ?? 'Ủy ban nhân dân').toUpperCase(),
        ...(committee ? { textName: committee.name } : {}),
        place: placeOf(committee?.name),
        numberSuffix: 'UBND',
      },
      plan: { number: item.planNumber ?? '…', title: item.planTitle },
      asOf,
      late,
      signer: { title: (leader?.title ?? 'Chủ tịch').toUpperCase(), name: leader?.name ?? '' },
    });
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
    const letterIds = [...(message.letterId ? [message.letterId] : []), ...(message.letterIds ?? [])];
    const letters = (await Promise.all(letterIds.map((id) => this.deps.outbox.findLetter(id)))).filter((l): l is StoredLetter => l !== null);
    const mail: OutgoingMail = {
      to: row.recipientKind === 'cc' ? [] : [row.recipient],
      cc: row.recipientKind === 'cc' ? [row.recipient] : [],
      subject: row.subject,
      text: message.text,
      html: message.html,
      messageId: row.messageId,
      headers: { 'X-Dondoc-Outbox-Key': row.outboxKey },
      ...(letters.length > 0 ? { attachments: letters.map((l) => ({ filename: l.filename, content: l.content, contentType: l.contentType })) } : {}),
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
