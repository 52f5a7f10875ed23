import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/**
 * requested: recorded without a mailer · pending → sent | failed: one mail to one recipient ·
 * digest_pending → covered: a notice held back for the unit's daily digest, then named by it ·
 * batched → covered → sent | failed: a notice waiting in an open batch, then carried by the batch's
 * message (covered_by), then sent or failed with that message.
 */
export const OUTBOX_STATUSES = ['requested', 'pending', 'sent', 'failed', 'digest_pending', 'covered', 'batched'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

/** What delivery needs to send one row again without resolving or rendering anything. */
export interface OutboxMessage {
  text: string;
  html: string;
  /** An urging letter stored in urging_letters, attached to the mail. */
  letterId?: string;
  /** Several letters (a leader's daily batch: one per late unit). */
  letterIds?: string[];
}

export interface NewOutboxRow {
  outboxKey: string;
  /** Null for a mail about many assignments (a digest). */
  workflowId: string | null;
  stepKey: string;
  kind: string;
  /** The audience role that produced the address (assignee, supervisor…). */
  audience: string;
  unitCode: string;
  recipient: string;
  recipientName: string;
  recipientKind: 'to' | 'cc';
  recipientLocale: string;
  subject: string;
  messageId: string;
  message: OutboxMessage;
  /** 'digest_pending' keeps the row for the unit's digest instead of mailing it; default 'pending'. */
  status?: 'pending' | 'digest_pending';
  /** What a batch message needs to list this notice (batched rows only). */
  item?: Record<string, unknown>;
}

/** Where a batched notice goes: the batch key and the earliest time that batch may be sent. */
export interface BatchSlot {
  batchClass: 'new' | 'daily';
  key: string;
  sendAfter: Date;
}

/** An open or closed batch: one message to one recipient. */
export interface BatchRecord {
  batchKey: string;
  batchClass: 'new' | 'daily';
  planId: string;
  recipient: string;
  recipientName: string;
  recipientLocale: string;
  status: 'open' | 'closing' | 'closed';
  firstItemAt: Date;
  /** Written when the batch closes (joining a batch never updates its row). */
  lastItemAt: Date;
  sendAfter: Date;
  itemCount: number;
  messageKey: string | null;
}

/** A batched notice as the batch's message needs it. */
export interface BatchItemRow extends OutboxRow {
  item: Record<string, unknown>;
}

/** Which held-back rows a digest names: one unit's notices, or every notice to one recipient (the leader). */
export interface DigestCover {
  kinds: readonly string[];
  unitCode?: string;
  recipient?: string;
  /** Rows recorded after this instant wait for the next digest. */
  upTo: Date;
}

export interface OutboxRow {
  id: string;
  outboxKey: string;
  workflowId: string | null;
  stepKey: string;
  kind: string;
  audience: string;
  unitCode: string | null;
  recipient: string | null;
  recipientName: string | null;
  recipientKind: 'to' | 'cc' | null;
  recipientLocale: string | null;
  status: OutboxStatus;
  messageId: string | null;
  subject: string | null;
  attempts: number;
  lastError: string | null;
  rejectedReason: string | null;
  /** The outbox key of the digest or batch message that named this notice. */
  coveredBy: string | null;
  /** The batch a notice waits in or went out with. */
  batchKey: string | null;
  createdAt: Date;
  sentAt: Date | null;
  lastAttemptAt: Date | null;
}

export interface OutboxPageQuery {
  status?: OutboxStatus;
  workflowId?: string;
  unitCode?: string;
  /** The rows of one batch: its message (key = batch key) and the notices it carried. */
  batchKey?: string;
  /** 1-based. */
  page?: number;
  pageSize?: number;
}

export interface OutboxPage {
  items: OutboxRow[];
  total: number;
  page: number;
  pageSize: number;
}

export interface StoredLetter {
  id: string;
  workflowId: string;
  stepKey: string;
  unitCode: string;
  filename: string;
  contentType: string;
  content: Buffer;
  createdAt: Date;
}

export type NewLetter = Omit<StoredLetter, 'id' | 'createdAt'>;

/** A letter drafted once per late unit, plan and day (key), covering every assignment it lists. */
export type NewUnitLetter = NewLetter & { letterKey: string; workflowIds: string[] };

/** Port: the notification outbox (one row per step and recipient) and the letters attached to it. */
/** A request that became no per-recipient row (no mailer configured, or nobody to address). */
export interface AudienceRequest {
  workflowId: string;
  stepKey: string;
  kind: string;
  audience: readonly string[];
  unitCode: string;
  payload: Record<string, unknown>;
  /** Why it cannot be mailed; null when it simply waits for a mailer ('requested'). */
  failure: string | null;
}

export abstract class OutboxRepository {
  /** One row per audience role, keyed `${workflowId}|${stepKey}|${audience}`, so the request stays visible. */
  abstract recordAudienceRequest(request: AudienceRequest): Promise<void>;
  /** Inserts rows that do not exist yet (by outbox key); existing rows, whatever their status, are left alone. */
  abstract insertPending(rows: NewOutboxRow[]): Promise<void>;
  abstract findByKeys(keys: string[]): Promise<OutboxRow[]>;
  /** The stored message of a row (bodies and attachment reference). */
  abstract messageOf(key: string): Promise<OutboxMessage | null>;
  /** Counts one send attempt before the message leaves, so a crash mid-send is still visible. */
  abstract markAttempt(key: string, at: Date): Promise<void>;
  /** pending → sent; false when the row was no longer pending. */
  abstract markSent(key: string, at: Date): Promise<boolean>;
  /** pending → failed with the server's reason: a permanent refusal is not retried. */
  abstract markFailed(key: string, reason: string): Promise<boolean>;
  /** Keeps the row pending and notes why this attempt did not go out. */
  abstract recordTransientError(key: string, error: string): Promise<void>;
  abstract list(query: OutboxPageQuery): Promise<OutboxPage>;
  /** Stores the letter once per (workflow, step) and returns the stored one, so retries reuse the first. */
  abstract saveLetter(letter: NewLetter): Promise<StoredLetter>;
  abstract findLetter(id: string): Promise<StoredLetter | null>;
  abstract findLetterForStep(workflowId: string, stepKey: string): Promise<StoredLetter | null>;
  /** The newest letter drafted for an assignment (its latest leadership step). */
  abstract findLatestLetterForWorkflow(workflowId: string): Promise<StoredLetter | null>;
  /**
   * Inserts a digest row (pending) unless its key exists, and in the same transaction marks the
   * held-back rows it names as covered. Returns false when the key existed: that digest was already made.
   */
  abstract insertDigest(row: NewOutboxRow, cover: DigestCover): Promise<boolean>;
  /** Held-back rows a digest would name now. */
  abstract countDigestPending(cover: DigestCover): Promise<number>;
  /**
   * Puts a notice into the open batch of `slot`, creating the batch if needed; a batch already closed
   * passes the notice on to `next(slot)`. The batch row is locked while the notice joins, so it lands
   * either before the batch closes (and is in its message) or in the next one. A notice already
   * recorded (a retried activity) is not added again: its existing batch is returned, or null when it
   * was recorded outside batching.
   */
  abstract enqueueBatchItem(row: NewOutboxRow, slot: BatchSlot, next: (slot: BatchSlot) => BatchSlot, planId: string): Promise<BatchRecord | null>;
  /**
   * Closes a batch once: locks it, hands its notices to `compose` for the message, stores the message
   * row (pending) and marks the notices covered by it, all in one transaction. A batch already closed
   * returns its message key unchanged; null when there was nothing to send.
   */
  abstract closeBatch(batchKey: string, compose: (batch: BatchRecord, items: BatchItemRow[]) => Promise<NewOutboxRow | null>): Promise<string | null>;
  abstract findBatch(batchKey: string): Promise<BatchRecord | null>;
  /** Stores the letter of a letter key unless it exists, adds the assignments it covers, returns the stored one. */
  abstract saveUnitLetter(letter: NewUnitLetter): Promise<StoredLetter>;
  abstract findLetterByKey(letterKey: string): Promise<StoredLetter | null>;
}

interface OutboxRowRecord {
  id: string;
  outbox_key: string;
  workflow_id: string | null;
  step_key: string;
  kind: string;
  audience: string;
  unit_code: string | null;
  recipient: string | null;
  recipient_name: string | null;
  recipient_kind: 'to' | 'cc' | null;
  recipient_locale: string | null;
  status: OutboxStatus;
  message_id: string | null;
  subject: string | null;
  attempts: number;
  last_error: string | null;
  rejected_reason: string | null;
  covered_by: string | null;
  batch_key: string | null;
  created_at: Date;
  sent_at: Date | null;
  last_attempt_at: Date | null;
}

interface BatchRecordRow {
  batch_key: string;
  class: 'new' | 'daily';
  plan_id: string;
  recipient: string;
  recipient_name: string;
  recipient_locale: string;
  status: 'open' | 'closing' | 'closed';
  first_item_at: Date;
  last_item_at: Date;
  send_after: Date;
  item_count: number;
  message_key: string | null;
}

const toBatch = (b: BatchRecordRow): BatchRecord => ({
  batchKey: b.batch_key,
  batchClass: b.class,
  planId: b.plan_id,
  recipient: b.recipient,
  recipientName: b.recipient_name,
  recipientLocale: b.recipient_locale,
  status: b.status,
  firstItemAt: new Date(b.first_item_at),
  lastItemAt: new Date(b.last_item_at),
  sendAfter: new Date(b.send_after),
  itemCount: b.item_count,
  messageKey: b.message_key,
});

interface LetterRecord {
  id: string;
  workflow_id: string;
  step_key: string;
  unit_code: string;
  filename: string;
  content_type: string;
  content: Buffer;
  created_at: Date;
}

const ROW_COLUMNS = `id, outbox_key, workflow_id, step_key, kind, audience, unit_code, recipient, recipient_name, recipient_kind,
  recipient_locale, status, message_id, subject, attempts, last_error, rejected_reason, covered_by, batch_key, created_at, sent_at, last_attempt_at`;

const toRow = (r: OutboxRowRecord): OutboxRow => ({
  id: r.id,
  outboxKey: r.outbox_key,
  workflowId: r.workflow_id,
  stepKey: r.step_key,
  kind: r.kind,
  audience: r.audience,
  unitCode: r.unit_code,
  recipient: r.recipient,
  recipientName: r.recipient_name,
  recipientKind: r.recipient_kind,
  recipientLocale: r.recipient_locale,
  status: r.status,
  messageId: r.message_id,
  subject: r.subject,
  attempts: r.attempts,
  lastError: r.last_error,
  rejectedReason: r.rejected_reason,
  coveredBy: r.covered_by,
  batchKey: r.batch_key,
  createdAt: r.created_at,
  sentAt: r.sent_at,
  lastAttemptAt: r.last_attempt_at,
});

const toLetter = (r: LetterRecord): StoredLetter => ({
  id: r.id,
  workflowId: r.workflow_id,
  stepKey: r.step_key,
  unitCode: r.unit_code,
  filename: r.filename,
  contentType: r.content_type,
  content: r.content,
  createdAt: r.created_at,
});

const MAX_PAGE_SIZE = 200;

const INSERT_ROW = `INSERT INTO notifications (outbox_key, workflow_id, step_key, kind, audience, unit_code, recipient, recipient_name,
                                    recipient_kind, recipient_locale, status, message_id, subject, payload)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
         ON CONFLICT (outbox_key) DO NOTHING`;

const insertParams = (r: NewOutboxRow): unknown[] => [
  r.outboxKey, r.workflowId, r.stepKey, r.kind, r.audience, r.unitCode, r.recipient, r.recipientName, r.recipientKind,
  r.recipientLocale, r.status ?? 'pending', r.messageId, r.subject, JSON.stringify({ message: r.message }),
];

/** The WHERE clause of the rows a digest covers, with its parameters starting at $offset+1. */
function coverClause(cover: DigestCover, offset: number): { sql: string; params: unknown[] } {
  const params: unknown[] = [cover.kinds, cover.upTo];
  const parts = [`status = 'digest_pending'`, `kind = ANY($${offset + 1})`, `created_at <= $${offset + 2}`];
  if (cover.unitCode !== undefined) {
    params.push(cover.unitCode);
    parts.push(`unit_code = $${offset + params.length}`);
  }
  if (cover.recipient !== undefined) {
    params.push(cover.recipient.toLowerCase());
    parts.push(`lower(recipient) = $${offset + params.length}`);
  }
  return { sql: parts.join(' AND '), params };
}

@Injectable()
export class TypeormOutboxRepository extends OutboxRepository {
  constructor(private readonly ds: DataSource) {
    super();
  }

  async recordAudienceRequest(r: AudienceRequest): Promise<void> {
    for (const audience of r.audience) {
      await this.ds.query(
        `INSERT INTO notifications (outbox_key, workflow_id, step_key, kind, audience, unit_code, status, payload, last_error)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (outbox_key) DO NOTHING`,
        [`${r.workflowId}|${r.stepKey}|${audience}`, r.workflowId, r.stepKey, r.kind, audience, r.unitCode,
          r.failure === null ? 'requested' : 'failed', JSON.stringify(r.payload), r.failure],
      );
    }
  }

  async insertPending(rows: NewOutboxRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.ds.transaction(async (tx) => {
      for (const r of rows) await tx.query(INSERT_ROW, insertParams(r));
    });
  }

  async findByKeys(keys: string[]): Promise<OutboxRow[]> {
    if (keys.length === 0) return [];
    const rows: OutboxRowRecord[] = await this.ds.query(
      `SELECT ${ROW_COLUMNS} FROM notifications WHERE outbox_key = ANY($1) ORDER BY created_at, outbox_key`,
      [keys],
    );
    return rows.map(toRow);
  }

  async messageOf(key: string): Promise<OutboxMessage | null> {
    const rows: Array<{ message: OutboxMessage | null }> = await this.ds.query(
      `SELECT payload->'message' AS message FROM notifications WHERE outbox_key = $1`,
      [key],
    );
    return rows[0]?.message ?? null;
  }

  async markAttempt(key: string, at: Date): Promise<void> {
    await this.ds.query(
      `UPDATE notifications SET attempts = attempts + 1, last_attempt_at = $2 WHERE outbox_key = $1 AND status = 'pending'`,
      [key, at],
    );
  }

  async markSent(key: string, at: Date): Promise<boolean> {
    return this.ds.transaction(async (tx) => {
      const [, count] = (await tx.query(
        `UPDATE notifications SET status = 'sent', sent_at = $2, last_error = NULL WHERE outbox_key = $1 AND status = 'pending'`,
        [key, at],
      )) as [unknown, number];
      // The notices a batch message carried were told exactly when the message was.
      if (count > 0) {
        await tx.query(`UPDATE notifications SET status = 'sent', sent_at = $2 WHERE covered_by = $1 AND batch_key IS NOT NULL AND status = 'covered'`, [key, at]);
      }
      return count > 0;
    });
  }

  async markFailed(key: string, reason: string): Promise<boolean> {
    return this.ds.transaction(async (tx) => {
      const [, count] = (await tx.query(
        `UPDATE notifications SET status = 'failed', rejected_reason = $2, last_error = $2 WHERE outbox_key = $1 AND status = 'pending'`,
        [key, reason],
      )) as [unknown, number];
      if (count > 0) {
        await tx.query(
          `UPDATE notifications SET status = 'failed', rejected_reason = $2, last_error = $2 WHERE covered_by = $1 AND batch_key IS NOT NULL AND status = 'covered'`,
          [key, reason],
        );
      }
      return count > 0;
    });
  }

  async recordTransientError(key: string, error: string): Promise<void> {
    await this.ds.query(`UPDATE notifications SET last_error = $2 WHERE outbox_key = $1 AND status = 'pending'`, [key, error]);
  }

  async list(query: OutboxPageQuery): Promise<OutboxPage> {
    const page = Math.max(1, Math.floor(query.page ?? 1));
    const pageSize = Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(query.pageSize ?? 50)));
    const where: string[] = [];
    const params: unknown[] = [];
    if (query.status) {
      params.push(query.status);
      where.push(`status = $${params.length}`);
    }
    if (query.workflowId) {
      params.push(query.workflowId);
      where.push(`workflow_id = $${params.length}`);
    }
    if (query.unitCode) {
      params.push(query.unitCode);
      where.push(`unit_code = $${params.length}`);
    }
    if (query.batchKey) {
      params.push(query.batchKey);
      where.push(`(batch_key = $${params.length} OR outbox_key = $${params.length})`);
    }
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const [{ total }] = (await this.ds.query(`SELECT count(*)::int AS total FROM notifications ${clause}`, params)) as [{ total: number }];
    const rows: OutboxRowRecord[] = await this.ds.query(
      `SELECT ${ROW_COLUMNS} FROM notifications ${clause}
       ORDER BY created_at DESC, outbox_key LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, pageSize, (page - 1) * pageSize],
    );
    return { items: rows.map(toRow), total, page, pageSize };
  }

  async saveLetter(letter: NewLetter): Promise<StoredLetter> {
    await this.ds.query(
      `INSERT INTO urging_letters (workflow_id, step_key, unit_code, filename, content_type, content)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (workflow_id, step_key) DO NOTHING`,
      [letter.workflowId, letter.stepKey, letter.unitCode, letter.filename, letter.contentType, letter.content],
    );
    const stored = await this.findLetterForStep(letter.workflowId, letter.stepKey);
    if (!stored) throw new Error(`Urging letter for ${letter.workflowId}/${letter.stepKey} vanished after insert`);
    return stored;
  }

  async findLetter(id: string): Promise<StoredLetter | null> {
    // Ids come from URLs: anything that is not a uuid cannot name a letter (and would make PostgreSQL throw).
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return null;
    const rows: LetterRecord[] = await this.ds.query(`SELECT * FROM urging_letters WHERE id = $1`, [id]);
    return rows[0] ? toLetter(rows[0]) : null;
  }

  async findLetterForStep(workflowId: string, stepKey: string): Promise<StoredLetter | null> {
    const rows: LetterRecord[] = await this.ds.query(`SELECT * FROM urging_letters WHERE workflow_id = $1 AND step_key = $2`, [
      workflowId,
      stepKey,
    ]);
    return rows[0] ? toLetter(rows[0]) : null;
  }

  async findLatestLetterForWorkflow(workflowId: string): Promise<StoredLetter | null> {
    // A unit's daily letter covers every overdue assignment it lists, not only the one that triggered it.
    const rows: LetterRecord[] = await this.ds.query(
      `SELECT * FROM urging_letters WHERE workflow_id = $1 OR workflow_ids @> ARRAY[$1]::text[] ORDER BY created_at DESC, step_key DESC LIMIT 1`,
      [workflowId],
    );
    return rows[0] ? toLetter(rows[0]) : null;
  }

  async saveUnitLetter(letter: NewUnitLetter): Promise<StoredLetter> {
    await this.ds.query(
      `INSERT INTO urging_letters (workflow_id, step_key, unit_code, filename, content_type, content, letter_key, workflow_ids)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (letter_key) WHERE letter_key IS NOT NULL
       DO UPDATE SET workflow_ids = ARRAY(SELECT DISTINCT unnest(urging_letters.workflow_ids || EXCLUDED.workflow_ids))`,
      [letter.workflowId, letter.stepKey, letter.unitCode, letter.filename, letter.contentType, letter.content, letter.letterKey, letter.workflowIds],
    );
    const stored = await this.findLetterByKey(letter.letterKey);
    if (!stored) throw new Error(`Urging letter ${letter.letterKey} vanished after insert`);
    return stored;
  }

  async findLetterByKey(letterKey: string): Promise<StoredLetter | null> {
    const rows: LetterRecord[] = await this.ds.query(`SELECT * FROM urging_letters WHERE letter_key = $1`, [letterKey]);
    return rows[0] ? toLetter(rows[0]) : null;
  }

  async enqueueBatchItem(row: NewOutboxRow, slot: BatchSlot, next: (slot: BatchSlot) => BatchSlot, planId: string): Promise<BatchRecord | null> {
    return this.ds.transaction(async (tx) => {
      const existing: Array<{ batch_key: string | null }> = await tx.query(`SELECT batch_key FROM notifications WHERE outbox_key = $1`, [row.outboxKey]);
      if (existing[0]) {
        if (!existing[0].batch_key) return null;
        const [b] = (await tx.query(`SELECT * FROM notification_batches WHERE batch_key = $1`, [existing[0].batch_key])) as BatchRecordRow[];
        return b ? toBatch(b) : null;
      }
      let target = slot;
      // Bounded only against a bug in `next`: a real chain ends at the first open batch.
      for (let hop = 0; hop < 1000; hop++) {
        await tx.query(
          `INSERT INTO notification_batches (batch_key, class, plan_id, recipient, recipient_name, recipient_locale, send_after)
           VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (batch_key) DO NOTHING`,
          [target.key, target.batchClass, planId, row.recipient.toLowerCase(), row.recipientName, row.recipientLocale, target.sendAfter],
        );
        // A shared lock: notices for one batch (the leader's, a lead unit's) join it side by side; only closing
        // takes the row exclusively, briefly, so a notice is either in before the batch closes or goes to the next.
        const [b] = (await tx.query(`SELECT * FROM notification_batches WHERE batch_key = $1 FOR SHARE`, [target.key])) as BatchRecordRow[];
        if (b && b.status === 'open') {
          await tx.query(
            `INSERT INTO notifications (outbox_key, workflow_id, step_key, kind, audience, unit_code, recipient, recipient_name,
                                        recipient_kind, recipient_locale, status, message_id, subject, payload, batch_key)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'batched', NULL, $11, $12, $13)`,
            [row.outboxKey, row.workflowId, row.stepKey, row.kind, row.audience, row.unitCode, row.recipient, row.recipientName, row.recipientKind,
              row.recipientLocale, row.subject, JSON.stringify({ message: row.message, item: row.item ?? {} }), target.key],
          );
          // item_count and last_item_at are written when the batch closes, so joining never updates the batch row.
          return toBatch(b);
        }
        target = next(target);
      }
      throw new Error(`No open batch found after ${slot.key}`);
    });
  }

  async findBatch(batchKey: string): Promise<BatchRecord | null> {
    const [b] = (await this.ds.query(`SELECT * FROM notification_batches WHERE batch_key = $1`, [batchKey])) as BatchRecordRow[];
    return b ? toBatch(b) : null;
  }

  /**
   * Closes a batch in two short transactions so that composing the message (the leader's batch drafts a
   * letter per late unit, which can take seconds) never holds the batch row while notices queue behind it:
   * first the batch stops taking notices ('closing': later notices go to the next batch), then the fixed set
   * of its notices is composed without a lock, then the message row and the covering are written at once.
   * A retry after a crash between the two finds 'closing' and composes again; the message key derives from
   * the batch key, so the message is inserted once whoever gets there first.
   */
  async closeBatch(batchKey: string, compose: (batch: BatchRecord, items: BatchItemRow[]) => Promise<NewOutboxRow | null>): Promise<string | null> {
    const closing = await this.ds.transaction(async (tx) => {
      const [b] = (await tx.query(`SELECT * FROM notification_batches WHERE batch_key = $1 FOR UPDATE`, [batchKey])) as BatchRecordRow[];
      if (b?.status === 'open') await tx.query(`UPDATE notification_batches SET status = 'closing' WHERE batch_key = $1`, [batchKey]);
      return b ? { ...b, status: b.status === 'open' ? ('closing' as const) : b.status } : null;
    });
    if (!closing) return null;
    if (closing.status === 'closed') return closing.message_key;
    const records: Array<OutboxRowRecord & { item: Record<string, unknown> | null }> = await this.ds.query(
      `SELECT ${ROW_COLUMNS}, payload->'item' AS item FROM notifications WHERE batch_key = $1 AND status = 'batched' ORDER BY created_at, outbox_key`,
      [batchKey],
    );
    const items = records.map((r) => ({ ...toRow(r), item: r.item ?? {} }));
    const message = items.length > 0 ? await compose(toBatch(closing), items) : null;
    return this.ds.transaction(async (tx) => {
      const [b] = (await tx.query(`SELECT * FROM notification_batches WHERE batch_key = $1 FOR UPDATE`, [batchKey])) as BatchRecordRow[];
      if (!b || b.status === 'closed') return b?.message_key ?? null;
      if (message) {
        await tx.query(INSERT_ROW, insertParams({ ...message, status: 'pending' }));
        await tx.query(`UPDATE notifications SET status = 'covered', covered_by = $2, message_id = $3 WHERE batch_key = $1 AND status = 'batched'`, [
          batchKey,
          message.outboxKey,
          message.messageId,
        ]);
      }
      await tx.query(
        `UPDATE notification_batches b SET status = 'closed', closed_at = now(), message_key = $2,
           item_count = (SELECT count(*) FROM notifications n WHERE n.batch_key = b.batch_key),
           last_item_at = COALESCE((SELECT max(created_at) FROM notifications n WHERE n.batch_key = b.batch_key), b.last_item_at)
         WHERE batch_key = $1`,
        [batchKey, message?.outboxKey ?? null],
      );
      return message?.outboxKey ?? null;
    });
  }

  async insertDigest(row: NewOutboxRow, cover: DigestCover): Promise<boolean> {
    return this.ds.transaction(async (tx) => {
      const inserted: Array<{ id: string }> = await tx.query(`${INSERT_ROW} RETURNING id`, insertParams(row));
      if (inserted.length === 0) return false;
      const where = coverClause(cover, 1);
      await tx.query(`UPDATE notifications SET status = 'covered', covered_by = $1 WHERE ${where.sql}`, [row.outboxKey, ...where.params]);
      return true;
    });
  }

  async countDigestPending(cover: DigestCover): Promise<number> {
    const where = coverClause(cover, 0);
    const [{ n }] = (await this.ds.query(`SELECT count(*)::int AS n FROM notifications WHERE ${where.sql}`, where.params)) as [{ n: number }];
    return n;
  }
}
