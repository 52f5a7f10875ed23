// Batched email (docs/email.md, "Batches"): many notices to one recipient become one message, while the
// outbox keeps one row per (assignment, step, recipient). Real PostgreSQL, Temporal dev server and SMTP sink.
import { randomUUID } from 'node:crypto';
import { type Client } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { DataSource } from 'typeorm';
import { type MailBatchingConfig } from '@app/config';
import { type CaughtMessage, Mailer, messageIdFor, type SmtpSink } from '@app/notifications';
import {
  defaultPreferences,
  type NotificationPreferences,
  NotificationPreferencesRepository,
  TypeormOrganisationRepository,
  TypeormOutboxRepository,
} from '@app/persistence';
import { type AssignmentInput, type AssignmentSnapshot, type NotificationRequest, mailBatchWorkflowId } from '@app/contracts/workflow';
import { BatchRules } from '../../apps/worker/src/notifications/batching';
import { createNotificationActivities, TemporalDeliveryScheduler, recordAndSchedule } from '../../apps/worker/src/notifications/notification.activities';
import { NotificationOutbox } from '../../apps/worker/src/notifications/notification-outbox';
import { eventually } from '../support/harness';
import { type MailWorker, startMailWorker } from '../support/mail-worker';

const SECRET = 'email-batching-secret-0123456789';
const PUBLIC_URL = 'http://dondoc.test';
const FROM = 'Dondoc <dondoc@vanquan.example.vn>';
const UNIT = 'VQ-XA-AN-SON';
const OTHER_UNIT = 'VQ-XA-YEN-PHUC';
const ASSIGNEE = 'xa.anson@vanquan.example.vn';
const LEADER = 'pct.trieuducdung@vanquan.example.vn';
const DAY_MS = 86_400_000;

interface ItemRow {
  outbox_key: string;
  step_key: string;
  recipient: string;
  status: string;
  batch_key: string | null;
  covered_by: string | null;
  message_id: string | null;
}

describe('batched email', () => {
  let ds: DataSource;
  let sink: SmtpSink;
  let client: Client;
  let taskQueue: string;
  const repo = (): TypeormOutboxRepository => new TypeormOutboxRepository(ds);

  let mail: MailWorker;

  beforeAll(async () => {
    // Mail at any hour and a short quiet period, so the suite does not depend on when it runs.
    mail = await startMailWorker(
      { MAIL_FROM: FROM, PUBLIC_URL, SECRET_KEY: SECRET, MAIL_QUIET_HOURS: 'off', MAIL_BATCH_QUIET_SECONDS: '3', MAIL_BATCH_MAX_SECONDS: '30' },
      8,
    );
    ({ ds, sink, client, taskQueue } = mail);
  });

  afterAll(async () => {
    await mail?.close();
  });

  const keyOf = (m: CaughtMessage): string => m.headers['x-dondoc-outbox-key'] ?? '';
  const itemsOf = (planId: string): Promise<ItemRow[]> =>
    ds.query(
      `SELECT outbox_key, step_key, recipient, status, batch_key, covered_by, message_id FROM notifications
       WHERE workflow_id LIKE $1 ORDER BY outbox_key`,
      [`asg:${planId}:%`],
    );

  function input(planId: string, itemKey: string, title: string, deadline: Date, unitCode = UNIT): AssignmentInput {
    return {
      planId,
      planNumber: '45/KH-UBND',
      planTitle: 'Kế hoạch công tác trẻ em năm 2024',
      itemKey,
      kind: 'responsibility',
      title,
      role: 'lead',
      unitCode,
      leadUnitCode: 'VQ-LDTBXH',
      periodKey: 'once',
      periodLabel: '',
      deadline: deadline.toISOString(),
      escalation: [],
    };
  }

  function request(planId: string, itemKey: string, kind: NotificationRequest['kind'], audience: NotificationRequest['audience'], unitCode = UNIT): NotificationRequest {
    const i = input(planId, itemKey, `Nhiệm vụ ${itemKey}`, new Date(Date.now() - 5 * DAY_MS), unitCode);
    const workflowId = `asg:${planId}:${itemKey}:${unitCode}:once`;
    const snapshot: AssignmentSnapshot = {
      workflowId,
      input: i,
      unitCode,
      status: 'assigned',
      progress: 0,
      progressNote: null,
      deadline: i.deadline,
      completedAt: null,
      submission: null,
      pendingExtension: null,
      firedSteps: [kind],
      escalationLevel: kind === 'leadership' ? 3 : 1,
      lastStepKey: kind,
      seq: 2,
      recentEvents: [{ seq: 2, type: 'step_fired', actor: 'system', at: new Date().toISOString(), data: { step: kind } }],
    };
    return { workflowId, stepKey: kind, kind, audience, snapshot };
  }

  /** The outbox as the worker wires it, with its own rules and clock; delivery is driven by the test. */
  function outboxWith(batching: MailBatchingConfig | null, clock?: () => Date): { sut: NotificationOutbox; mailer: Mailer } {
    const mailer = new Mailer({ smtpUrl: sink.url, from: FROM });
    const sut = new NotificationOutbox({
      outbox: repo(),
      organisation: new TypeormOrganisationRepository(ds),
      dataSource: ds,
      mailer,
      settings: { publicUrl: PUBLIC_URL, secretKey: SECRET },
      ...(batching ? { batching: new BatchRules(batching) } : {}),
      ...(clock ? { clock } : {}),
    });
    return { sut, mailer };
  }
  const anyHour: MailBatchingConfig = { quietSeconds: 1, maxSeconds: 10, quietHours: null, morning: { hour: 7, minute: 30 } };

  it('announces one activation to a unit in one message listing every new task, and keeps one outbox row per task', async () => {
    const planId = randomUUID();
    const titles = Array.from({ length: 6 }, (_, i) => `Nhiệm vụ mới số ${i + 1} ${planId.slice(0, 6)}`);
    await Promise.all(
      titles.map((title, i) =>
        client.workflow.start('assignmentWorkflow', {
          workflowId: `asg:${planId}:I.${i + 1}:${UNIT}:once`,
          taskQueue,
          args: [input(planId, `I.${i + 1}`, title, new Date(Date.now() + 30 * DAY_MS))],
        }),
      ),
    );
    const batchKey = `new|${planId}|${ASSIGNEE}|1`;
    const message = await sink.waitFor((m) => keyOf(m) === batchKey, 40_000);
    expect(message.to.map((a) => a.address)).toEqual([ASSIGNEE]);
    expect(message.subject).toBe('[Giao việc] 45/KH-UBND: 6 nhiệm vụ được giao');
    for (const t of titles) expect(message.text).toContain(t);
    expect(message.text.match(/http:\/\/dondoc\.test\/a\//g)).toHaveLength(6);

    const rows = await eventually(() => itemsOf(planId), (rs) => rs.length === 6 && rs.every((r) => r.status === 'sent'), 15_000);
    expect(new Set(rows.map((r) => r.step_key))).toEqual(new Set(['assigned']));
    expect(rows.every((r) => r.batch_key === batchKey && r.covered_by === batchKey && r.message_id === message.messageId)).toBe(true);
    // Give a stray batch the time to show up: this plan sent exactly one message.
    await new Promise((r) => setTimeout(r, 4000));
    expect(sink.messages().filter((m) => keyOf(m).includes(planId))).toHaveLength(1);
    expect(await repo().findBatch(batchKey)).toMatchObject({ status: 'closed', itemCount: 6, messageKey: batchKey });
  });

  it('holds a daily batch recorded in quiet hours until the working morning', async () => {
    const now = new Date();
    const hour = (now.getUTCHours() + 7) % 24;
    // Quiet hours that contain this very hour, and a morning just after them.
    const quiet: MailBatchingConfig = { quietSeconds: 1, maxSeconds: 10, quietHours: { start: hour, end: (hour + 2) % 24 }, morning: { hour: (hour + 2) % 24, minute: 0 } };
    const rules = new BatchRules(quiet);
    const { sut, mailer } = outboxWith(quiet);
    const scheduler = new TemporalDeliveryScheduler(client, taskQueue);
    const planId = randomUUID();
    try {
      await recordAndSchedule(sut, scheduler, request(planId, 'Q.1', 'overdue', ['assignee']));
      const [row] = await itemsOf(planId);
      const batch = await repo().findBatch(row!.batch_key!);
      const slot = rules.dailySlot(now);
      expect(slot.getTime()).toBeGreaterThan(now.getTime() + 55 * 60_000);
      expect(batch).toMatchObject({ batchClass: 'daily', status: 'open', sendAfter: slot });
      expect(batch!.batchKey).toBe(`day|${planId}|${ASSIGNEE}|${new Date(slot.getTime() + 7 * 3_600_000).toISOString().slice(0, 10)}`);
      // The batch workflow waits on a timer (well past the 1 s quiet period) and nothing is mailed.
      const handle = client.workflow.getHandle(mailBatchWorkflowId(batch!.batchKey));
      await new Promise((r) => setTimeout(r, 4000));
      expect((await handle.describe()).status.name).toBe('RUNNING');
      expect(sink.messages().filter((m) => keyOf(m).includes(planId))).toEqual([]);
      expect((await itemsOf(planId)).map((r) => r.status)).toEqual(['batched']);
      await handle.terminate('test over');
    } finally {
      mailer.close();
    }
  });

  it('puts a notice that comes after the day’s batch went into the next working day’s batch', async () => {
    const { sut, mailer } = outboxWith(anyHour);
    const planId = randomUUID();
    try {
      const first = await sut.recordRequest(request(planId, 'D.1', 'overdue', ['assignee']));
      const today = first.batches[0]!;
      expect(today.batchKey).toMatch(new RegExp(`^day\\|${planId}\\|${ASSIGNEE.replace(/\./g, '\\.')}\\|\\d{4}-\\d{2}-\\d{2}$`));
      const sentKey = await sut.closeBatch(today.batchKey);
      expect(sentKey).toBe(today.batchKey);
      expect(await sut.deliver([sentKey!])).toEqual({ sent: 1, failed: 0, skipped: 0 });

      const late = await sut.recordRequest(request(planId, 'D.2', 'overdue', ['assignee']));
      const tomorrow = late.batches[0]!;
      expect(tomorrow.batchKey).not.toBe(today.batchKey);
      const day = (k: string): string => k.split('|').pop()!;
      expect(day(tomorrow.batchKey) > day(today.batchKey)).toBe(true);
      // Its slot is that working day's morning (07:30 local).
      expect(tomorrow.sendAfter.toISOString()).toBe(new Date(`${day(tomorrow.batchKey)}T07:30:00+07:00`).toISOString());
      // Closing today's batch again changes nothing.
      expect(await sut.closeBatch(today.batchKey)).toBe(today.batchKey);
      const nextKey = await sut.closeBatch(tomorrow.batchKey);
      await sut.deliver([nextKey!]);
      const mails = sink.messages().filter((m) => keyOf(m).includes(planId));
      expect(mails.map(keyOf)).toEqual([today.batchKey, tomorrow.batchKey]);
      expect(mails[0]!.text).toContain('Nhiệm vụ D.1');
      expect(mails[0]!.text).not.toContain('Nhiệm vụ D.2');
      expect(mails[1]!.text).toContain('Nhiệm vụ D.2');
      expect((await itemsOf(planId)).map((r) => [r.step_key, r.status, r.covered_by])).toEqual([
        ['overdue', 'sent', today.batchKey],
        ['overdue', 'sent', tomorrow.batchKey],
      ]);
    } finally {
      mailer.close();
    }
  });

  it('loses no notice and covers none twice when notices race the batch closing', async () => {
    const { sut, mailer } = outboxWith(anyHour);
    const planId = randomUUID();
    try {
      const keys = Array.from({ length: 24 }, (_, i) => `R.${i + 1}`);
      const first = await sut.recordRequest(request(planId, 'R.0', 'reminder', ['assignee']));
      const batchKey = first.batches[0]!.batchKey;
      // Notices keep arriving while the batch closes.
      const [closed] = await Promise.all([
        new Promise<string | null>((resolve, reject) => setTimeout(() => sut.closeBatch(batchKey).then(resolve, reject), 15)),
        ...keys.map((k) => sut.recordRequest(request(planId, k, 'reminder', ['assignee']))),
      ]);
      expect(closed).toBe(batchKey);
      const rows = await itemsOf(planId);
      expect(rows).toHaveLength(25);
      const inFirst = rows.filter((r) => r.covered_by === batchKey);
      const waiting = rows.filter((r) => r.covered_by === null);
      // Every notice is either in the closed batch's message or waits in the next batch, never both.
      expect(inFirst.length + waiting.length).toBe(25);
      expect(inFirst.every((r) => r.status === 'covered')).toBe(true);
      expect(new Set(waiting.map((r) => r.batch_key)).size).toBeLessThanOrEqual(1);
      expect(waiting.every((r) => r.status === 'batched' && r.batch_key !== batchKey)).toBe(true);
      const [message] = await repo().findByKeys([batchKey]);
      const body = await repo().messageOf(batchKey);
      for (const r of inFirst) expect(body!.text).toContain(`Nhiệm vụ ${r.outbox_key.split(':')[2]}`);
      for (const r of waiting) expect(body!.text).not.toContain(`Nhiệm vụ ${r.outbox_key.split(':')[2]} `);
      expect(message).toMatchObject({ status: 'pending', kind: 'batch_daily' });
    } finally {
      mailer.close();
    }
  });

  it('resends a batch after a crash with the same Message-ID, and every notice in it ends sent', async () => {
    const { sut, mailer } = outboxWith(anyHour);
    const planId = randomUUID();
    try {
      const recorded = await Promise.all(['C.1', 'C.2', 'C.3'].map((k) => sut.recordRequest(request(planId, k, 'overdue', ['assignee', 'assignee_head']))));
      const batchKeys = [...new Set(recorded.flatMap((r) => r.batches.map((b) => b.batchKey)))].sort();
      expect(batchKeys).toHaveLength(2); // the commune's address and its chairman
      const key = batchKeys.find((k) => k.includes(ASSIGNEE))!;
      await sut.closeBatch(key);
      const [row] = await repo().findByKeys([key]);
      // The server accepted the message, the process died before settle().
      await sut.send(row!);
      expect((await itemsOf(planId)).filter((r) => r.batch_key === key).map((r) => r.status)).toEqual(['covered', 'covered', 'covered']);
      expect(await sut.deliver([key])).toEqual({ sent: 1, failed: 0, skipped: 0 });
      expect(await sut.deliver([key])).toEqual({ sent: 0, failed: 0, skipped: 1 });
      const caught = sink.messages().filter((m) => keyOf(m) === key);
      expect(caught).toHaveLength(2);
      expect(caught.map((m) => m.messageId)).toEqual([row!.messageId, row!.messageId]);
      expect(row!.messageId).toBe(mailer.messageIdFor(key));
      expect((await itemsOf(planId)).filter((r) => r.batch_key === key).map((r) => [r.status, r.message_id])).toEqual([
        ['sent', row!.messageId],
        ['sent', row!.messageId],
        ['sent', row!.messageId],
      ]);
      // A retried request neither adds rows nor reopens anything.
      await sut.recordRequest(request(planId, 'C.1', 'overdue', ['assignee', 'assignee_head']));
      expect(await itemsOf(planId)).toHaveLength(6);
    } finally {
      mailer.close();
    }
  });

  it('drafts one urging letter per late unit and day, lists it in the leader’s one summary, and serves it for each assignment', async () => {
    const { sut, mailer } = outboxWith(anyHour);
    const planId = randomUUID();
    try {
      const requests = [
        // A late start tells the unit of the leadership step too (catch-up): it gets no draft letter.
        request(planId, 'L.1', 'leadership', ['leader', 'assignee']),
        request(planId, 'L.2', 'leadership', ['leader']),
        request(planId, 'L.3', 'leadership', ['leader'], OTHER_UNIT),
      ];
      const recorded = await Promise.all(requests.map((r) => sut.recordRequest(r)));
      const keys = [...new Set(recorded.flatMap((r) => r.batches.map((b) => b.batchKey)))];
      expect(keys).toHaveLength(2);
      const key = keys.find((k) => k.startsWith(`day|${planId}|${LEADER}|`))!;
      const unitKey = keys.find((k) => k.startsWith(`day|${planId}|${ASSIGNEE}|`))!;
      for (const k of [unitKey, key]) {
        await sut.closeBatch(k);
        await sut.deliver([k]);
      }
      const unitMail = sink.messages().filter((m) => keyOf(m) === unitKey);
      expect(unitMail).toHaveLength(1);
      expect(unitMail[0]!.attachments).toEqual([]);
      expect(unitMail[0]!.text).not.toContain('/api/letters/');
      const letters: Array<{ id: string; unit_code: string; workflow_ids: string[]; letter_key: string }> = await ds.query(
        `SELECT id, unit_code, workflow_ids, letter_key FROM urging_letters WHERE letter_key LIKE $1 ORDER BY unit_code`,
        [`letter|${planId}|%`],
      );
      expect(letters.map((l) => l.unit_code)).toEqual([UNIT, OTHER_UNIT].sort());
      const forUnit = letters.find((l) => l.unit_code === UNIT)!;
      expect(forUnit.workflow_ids.sort()).toEqual([requests[0]!.workflowId, requests[1]!.workflowId].sort());
      const summary = sink.messages().filter((m) => keyOf(m) === key);
      expect(summary).toHaveLength(1);
      expect(summary[0]!.to.map((a) => a.address)).toEqual([LEADER]);
      expect(summary[0]!.subject).toMatch(/^\[Đôn đốc\] 45\/KH-UBND: 3 nhiệm vụ cần xử lý, 3 quá hạn/);
      expect(summary[0]!.attachments.map((a) => a.filename).sort()).toEqual([`van-ban-don-doc-${UNIT}.docx`, `van-ban-don-doc-${OTHER_UNIT}.docx`].sort());
      for (const l of letters) expect(summary[0]!.text).toContain(`${PUBLIC_URL}/api/letters/${l.id}`);
      // The newest letter covering an assignment is the unit's letter, also for the second assignment.
      expect((await repo().findLatestLetterForWorkflow(requests[1]!.workflowId))?.id).toBe(forUnit.id);
      const stored = await repo().findLetter(forUnit.id);
      expect(stored?.content.subarray(0, 2).toString()).toBe('PK');

      // Today's summary went out, so a later leadership notice waits for the next working day: a new letter for that day.
      const again = await sut.recordRequest(request(planId, 'L.4', 'leadership', ['leader']));
      const nextKey = again.batches[0]!.batchKey;
      expect(nextKey.split('|').pop()! > key.split('|').pop()!).toBe(true);
      await sut.closeBatch(nextKey);
      const after: Array<{ letter_key: string }> = await ds.query(`SELECT letter_key FROM urging_letters WHERE letter_key LIKE $1 ORDER BY letter_key`, [`letter|${planId}|${UNIT}|%`]);
      expect(after.map((l) => l.letter_key.split('|').pop())).toEqual([key.split('|').pop(), nextKey.split('|').pop()]);
    } finally {
      mailer.close();
    }
  });

  it('drafts the same one letter per unit and day when the leader takes a daily summary instead', async () => {
    // The leader's preference is global and other suites expect leadership mail: an in-memory preference port here.
    const preferences = new (class extends NotificationPreferencesRepository {
      forUnit(unitCode: string): Promise<NotificationPreferences> {
        return Promise.resolve({ ...defaultPreferences(unitCode), leaderSummary: unitCode === 'VQ-UBND' });
      }
      save(): Promise<NotificationPreferences> {
        throw new Error('not used');
      }
      findDigestRecipientsAt(): Promise<NotificationPreferences[]> {
        return this.forUnit('VQ-UBND').then((p) => [p]);
      }
    })();
    const mailer = new Mailer({ smtpUrl: sink.url, from: FROM });
    const sut = new NotificationOutbox({
      outbox: repo(),
      organisation: new TypeormOrganisationRepository(ds),
      dataSource: ds,
      mailer,
      settings: { publicUrl: PUBLIC_URL, secretKey: SECRET },
      batching: new BatchRules(anyHour),
      preferences,
    });
    const planId = randomUUID();
    try {
      const requests = [request(planId, 'H.1', 'leadership', ['leader']), request(planId, 'H.2', 'leadership', ['leader'])];
      for (const r of requests) expect(await sut.recordRequest(r)).toMatchObject({ held: true, batches: [] });
      const letters: Array<{ id: string; workflow_ids: string[] }> = await ds.query(`SELECT id, workflow_ids FROM urging_letters WHERE letter_key LIKE $1`, [`letter|${planId}|${UNIT}|%`]);
      expect(letters).toHaveLength(1);
      expect(letters[0]!.workflow_ids.sort()).toEqual(requests.map((r) => r.workflowId).sort());
      expect((await itemsOf(planId)).map((r) => r.status)).toEqual(['digest_pending', 'digest_pending']);
    } finally {
      mailer.close();
    }
  });

  it('delivers a batch that came due while the mail server was down once, with its batch Message-ID', async () => {
    const planId = randomUUID();
    await sink.pause();
    try {
      await Promise.all(
        ['S.1', 'S.2', 'S.3'].map((k) =>
          client.workflow.start('assignmentWorkflow', {
            workflowId: `asg:${planId}:${k}:${UNIT}:once`,
            taskQueue,
            args: [input(planId, k, `Nhiệm vụ trong lúc mất thư ${k}`, new Date(Date.now() + 30 * DAY_MS))],
          }),
        ),
      );
      const batchKey = `new|${planId}|${ASSIGNEE}|1`;
      // The batch closes during the outage: its message waits, pending, with the error noted.
      await eventually(async () => (await repo().findByKeys([batchKey]))[0], (row) => !!row && row.attempts > 0 && row.lastError !== null, 40_000);
      expect((await itemsOf(planId)).map((r) => r.status)).toEqual(['covered', 'covered', 'covered']);
    } finally {
      await sink.resume();
    }
    const batchKey = `new|${planId}|${ASSIGNEE}|1`;
    const mail = await sink.waitFor((m) => keyOf(m) === batchKey, 60_000);
    await eventually(() => itemsOf(planId), (rs) => rs.every((r) => r.status === 'sent'), 20_000);
    await new Promise((r) => setTimeout(r, 3000));
    const mine = sink.messages().filter((m) => keyOf(m).includes(planId));
    expect(mine).toHaveLength(1);
    expect(mail.messageId).toBe(messageIdFor(batchKey, 'vanquan.example.vn'));
    for (const k of ['S.1', 'S.2', 'S.3']) expect(mail.text).toContain(`Nhiệm vụ trong lúc mất thư ${k}`);
  }, 120_000);

  describe('on the time-skipping test server', () => {
    let env: TestWorkflowEnvironment;
    let worker: Worker;
    let running: Promise<void>;
    const skippingQueue = `batch-skip-${randomUUID()}`;
    const now = new Date();
    const hour = (now.getUTCHours() + 7) % 24;
    // Quiet hours that contain this very hour; the working morning right after them.
    const quiet: MailBatchingConfig = { quietSeconds: 60, maxSeconds: 600, quietHours: { start: hour, end: (hour + 2) % 24 }, morning: { hour: (hour + 2) % 24, minute: 0 } };
    let outbox: { sut: NotificationOutbox; mailer: Mailer };

    beforeAll(async () => {
      const path = process.env.TEMPORAL_TEST_SERVER_PATH;
      env = await TestWorkflowEnvironment.createTimeSkipping(path ? { server: { executable: { type: 'existing-path', path } } } : undefined);
      outbox = outboxWith(quiet);
      worker = await Worker.create({
        connection: env.nativeConnection,
        taskQueue: skippingQueue,
        workflowBundle: { codePath: process.env.WORKFLOW_BUNDLE_PATH! },
        activities: createNotificationActivities(outbox.sut),
      });
      running = worker.run();
    }, 60_000);

    afterAll(async () => {
      worker?.shutdown();
      await running;
      outbox?.mailer.close();
      await env?.teardown();
    });

    it('sends a daily batch recorded in quiet hours at the working morning, once, on a durable timer', async () => {
      const planId = randomUUID();
      const startedAt = await env.currentTimeMs();
      await recordAndSchedule(outbox.sut, new TemporalDeliveryScheduler(env.client, skippingQueue), request(planId, 'T.1', 'overdue', ['assignee']));
      await recordAndSchedule(outbox.sut, new TemporalDeliveryScheduler(env.client, skippingQueue), request(planId, 'T.2', 'reminder', ['assignee']));
      const [row] = await itemsOf(planId);
      const batch = (await repo().findBatch(row!.batch_key!))!;
      expect(batch.sendAfter.getTime()).toBeGreaterThan(startedAt + 55 * 60_000);
      // Waiting for the result lets the test server jump over the hours until the morning slot.
      const result = await env.client.workflow.getHandle(mailBatchWorkflowId(batch.batchKey)).result();
      expect(result).toEqual({ messageKey: batch.batchKey, sent: 1, failed: 0, skipped: 0 });
      expect(await env.currentTimeMs()).toBeGreaterThanOrEqual(batch.sendAfter.getTime());
      const mails = sink.messages().filter((m) => keyOf(m).includes(planId));
      expect(mails).toHaveLength(1);
      expect(mails[0]!.text).toContain('Nhiệm vụ T.1');
      expect(mails[0]!.text).toContain('Nhiệm vụ T.2');
      expect((await itemsOf(planId)).map((r) => r.status)).toEqual(['sent', 'sent']);
    }, 120_000);
  });
});
