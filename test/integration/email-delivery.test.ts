// Notification requests become real emails exactly once: the worker app against PostgreSQL, the
// Temporal dev server and a real SMTP server on loopback, with deadlines a few seconds away. Ladder
// notices travel in batches (one message per recipient, docs/email.md); answers to a person's action go at once.
import { randomUUID } from 'node:crypto';
import { type Client } from '@temporalio/client';
import { DataSource } from 'typeorm';
import { type CaughtMessage, Mailer, messageIdFor, type SmtpSink, startSmtpSink, verifySignedLink } from '@app/notifications';
import {
  TypeormOrganisationRepository,
  TypeormOutboxRepository,
} from '@app/persistence';
import {
  type AssignmentInput,
  type AssignmentSnapshot,
  decideExtensionUpdate,
  type NotificationRequest,
  requestExtensionUpdate,
  returnUpdate,
  submitUpdate,
} from '@app/contracts/workflow';
import { NotificationOutbox, outboxKeyOf } from '../../apps/worker/src/notifications/notification-outbox';
import { eventually } from '../support/harness';
import { type MailWorker, startMailWorker } from '../support/mail-worker';

const SECRET = 'email-test-secret-0123456789';
const PUBLIC_URL = 'http://dondoc.test';
const FROM = 'Dondoc <dondoc@vanquan.example.vn>';
const UNIT = 'VQ-XA-AN-SON';
const ADDR = {
  assignee: 'xa.anson@vanquan.example.vn',
  head: 'chutich.anson@vanquan.example.vn',
  supervisor: 'ldtbxh@vanquan.example.vn',
  leader: 'pct.trieuducdung@vanquan.example.vn',
};

describe('email delivery of notification requests', () => {
  let ds: DataSource;
  let sink: SmtpSink;
  let client: Client;
  let taskQueue: string;

  let mail: MailWorker;

  beforeAll(async () => {
    // Mail at any hour; a quiet period longer than the gaps between the ladder's steps (1–2 s), so each
    // recipient's notices of the ladder land in one batch.
    mail = await startMailWorker({ MAIL_FROM: FROM, PUBLIC_URL, SECRET_KEY: SECRET, MAIL_QUIET_HOURS: 'off', MAIL_BATCH_QUIET_SECONDS: '3', MAIL_BATCH_MAX_SECONDS: '60' });
    ({ ds, sink, client, taskQueue } = mail);
    const units: Array<{ code: string; emails: string[]; head: { email: string } | null }> = await ds.query(
      `SELECT code, emails, head FROM units WHERE code = ANY($1)`,
      [[UNIT, 'VQ-LDTBXH']],
    );
    // The addresses below are the seed's; fail loudly if the seed changed rather than chase ghosts.
    expect(units.find((u) => u.code === UNIT)?.emails).toContain(ADDR.assignee);
  });

  afterAll(async () => {
    await mail?.close();
  });

  function input(deadline: Date): AssignmentInput {
    return {
      planId: randomUUID(),
      planNumber: '45/KH-UBND',
      planTitle: 'Kế hoạch công tác trẻ em năm 2024',
      itemKey: 'V.3.4',
      kind: 'responsibility',
      title: 'Rà soát các khu vực thường xuyên xảy ra tai nạn đuối nước',
      role: 'lead',
      unitCode: UNIT,
      leadUnitCode: 'VQ-LDTBXH',
      periodKey: 'once',
      periodLabel: '',
      deadline: deadline.toISOString(),
      escalation: [
        { key: 'reminder', offset: '-PT2S', basis: 'calendar', audience: ['assignee'], kind: 'reminder' },
        { key: 'overdue', offset: 'PT0S', basis: 'calendar', audience: ['assignee', 'assignee_head'], kind: 'overdue' },
        { key: 'escalate', offset: 'PT1S', basis: 'calendar', audience: ['supervisor', 'lead_unit'], kind: 'escalation' },
        { key: 'leadership', offset: 'PT2S', basis: 'calendar', audience: ['leader'], kind: 'leadership' },
      ],
    };
  }

  async function start(deadlineInMs: number): Promise<{ workflowId: string; input: AssignmentInput }> {
    const i = input(new Date(Date.now() + deadlineInMs));
    const workflowId = `asg:${i.planId}:V.3.4:${UNIT}:once`;
    await client.workflow.start('assignmentWorkflow', { workflowId, taskQueue, args: [i] });
    return { workflowId, input: i };
  }

  const keyOf = (m: CaughtMessage): string => m.headers['x-dondoc-outbox-key'] ?? '';
  /** A single message (`<workflowId>|<step>|<address>`) or a batch of the assignment's plan (`new|<planId>|…`, `day|<planId>|…`). */
  const mailsOf = (workflowId: string) => (m: CaughtMessage): boolean =>
    keyOf(m).startsWith(`${workflowId}|`) || keyOf(m).includes(`|${workflowId.split(':')[1]}|`);
  const stepOf = (m: CaughtMessage): string => keyOf(m).split('|')[1] ?? '';
  const batchOf = (ms: CaughtMessage[], cls: 'new' | 'day', address: string): CaughtMessage[] => ms.filter((m) => keyOf(m).startsWith(`${cls}|`) && keyOf(m).split('|')[2] === address);
  const rowsOf = async (workflowId: string): Promise<Array<{ step_key: string; recipient: string; status: string; message_id: string; covered_by: string | null }>> =>
    ds.query(`SELECT step_key, recipient, status, message_id, covered_by FROM notifications WHERE workflow_id = $1 ORDER BY step_key, recipient`, [workflowId]);

  function expectLink(m: CaughtMessage, workflowId: string): void {
    const link = /https?:\/\/dondoc\.test\/a\/[^\s"<>)]+/.exec(m.text)?.[0];
    expect(link).toBeDefined();
    const verified = verifySignedLink(link!, { secret: SECRET });
    expect(verified).toMatchObject({ ok: true, assignmentId: workflowId });
    expect(m.html).toContain('dondoc.test/a/');
  }

  it('sends every kind to the right recipients with both bodies and a verifiable link', async () => {
    const { workflowId } = await start(4000);
    const handle = client.workflow.getHandle(workflowId);
    const own = mailsOf(workflowId);
    // Six notices (assigned, reminder, overdue ×2, escalation to the supervisor = lead unit, leadership) in five
    // messages: the assignee's reminder and overdue notice share its daily batch.
    const ladder = await sink.waitForCount(5, own, 40_000);
    const to = (ms: CaughtMessage[]): string[] => ms.flatMap((m) => m.to.map((a) => a.address)).sort();
    const assigned = batchOf(ladder, 'new', ADDR.assignee);
    expect(to(assigned)).toEqual([ADDR.assignee]);
    expect(assigned[0]!.subject).toMatch(/^\[Giao việc\]/);
    const daily = batchOf(ladder, 'day', ADDR.assignee);
    expect(to(daily)).toEqual([ADDR.assignee]);
    // The most pressing notice inside names the message; the assignment is listed once, at its latest step.
    expect(daily[0]!.subject).toMatch(/^\[Quá hạn\]/);
    expect(daily[0]!.text).toContain('Bước: Thông báo quá hạn');
    expect(batchOf(ladder, 'day', ADDR.head)[0]!.subject).toMatch(/^\[Quá hạn\]/);
    expect(batchOf(ladder, 'day', ADDR.supervisor)[0]!.subject).toMatch(/^\[Đôn đốc\]/);
    const leadership = batchOf(ladder, 'day', ADDR.leader);
    expect(to(leadership)).toEqual([ADDR.leader]);
    expect(leadership[0]!.subject).toMatch(/^\[Đôn đốc\]/);
    expect(leadership[0]!.attachments).toEqual([expect.objectContaining({ filename: `van-ban-don-doc-${UNIT}.docx` })]);
    const letter = await new TypeormOutboxRepository(ds).findLatestLetterForWorkflow(workflowId);
    expect(letter?.content.subarray(0, 2).toString()).toBe('PK');
    expect(leadership[0]!.text).toContain(`/api/letters/${letter!.id}`);
    for (const m of ladder) {
      expect(m.text.length).toBeGreaterThan(50);
      expect(m.html).toContain('<html');
      expectLink(m, workflowId);
    }
    // Each notice keeps its own rendered message in the outbox, which tells who else was told.
    const overdueRow = outboxKeyOf(workflowId, 'overdue', ADDR.assignee);
    expect((await new TypeormOutboxRepository(ds).messageOf(overdueRow))!.text).toContain('Chủ tịch UBND xã');

    await handle.executeUpdate(submitUpdate, { args: [{ actor: 'officer', text: 'Đã rà soát' }] });
    await handle.executeUpdate(returnUpdate, { args: [{ actor: 'Nguyễn Văn Duyệt', comment: 'Thiếu số liệu biển cảnh báo' }] });
    const returned = await sink.waitFor((m) => own(m) && stepOf(m).startsWith('returned-'), 15_000);
    expect(returned.subject).toMatch(/^\[Trả lại\]/);
    expect(returned.text).toContain('Thiếu số liệu biển cảnh báo');

    const later = (days: number): string => new Date(Date.now() + days * 86_400_000).toISOString();
    await handle.executeUpdate(requestExtensionUpdate, { args: [{ actor: 'officer', newDeadline: later(10), reason: 'Mưa lũ' }] });
    await handle.executeUpdate(decideExtensionUpdate, { args: [{ actor: 'Trưởng phòng', grant: true }] });
    await handle.executeUpdate(requestExtensionUpdate, { args: [{ actor: 'officer', newDeadline: later(20), reason: 'Chưa xong' }] });
    await handle.executeUpdate(decideExtensionUpdate, { args: [{ actor: 'Trưởng phòng', grant: false }] });
    const granted = await sink.waitFor((m) => own(m) && m.subject.startsWith('[Gia hạn]'), 15_000);
    const refused = await sink.waitFor((m) => own(m) && m.subject.startsWith('[Không gia hạn]'), 15_000);
    for (const m of [returned, granted, refused]) {
      expect(m.to.map((a) => a.address)).toEqual([ADDR.assignee]);
      expectLink(m, workflowId);
    }
    // Every notice row ended sent (the row is marked just after the server accepts, so the last ones may
    // still be settling when the sink already holds the message); each was carried by exactly one message.
    const rows = await eventually(() => rowsOf(workflowId), (rs) => rs.every((r) => r.status === 'sent'), 15_000);
    expect(rows).toHaveLength(9);
    const carriers = new Set(rows.map((r) => r.covered_by ?? `${workflowId}|${r.step_key}|${r.recipient}`));
    expect(carriers.size).toBe(sink.messages().filter(own).length);
    const messageIds = new Map(sink.messages().filter(own).map((m) => [keyOf(m), m.messageId]));
    for (const r of rows) expect(r.message_id).toBe(messageIds.get(r.covered_by ?? `${workflowId}|${r.step_key}|${r.recipient}`));
  });

  it('delivers everything that came due while the mail server was down, once each', async () => {
    await sink.pause();
    let workflowId: string;
    try {
      ({ workflowId } = await start(4000));
      // Steps fire and are recorded while nobody can be reached; their batches close and wait, pending.
      await eventually(async () => (await rowsOf(workflowId)).length, (n) => n === 6, 30_000);
      await eventually(() => rowsOf(workflowId), (rs) => rs.every((r) => r.status === 'covered'), 30_000);
    } finally {
      await sink.resume();
    }
    const own = mailsOf(workflowId);
    await sink.waitForCount(5, own, 60_000);
    await eventually(async () => (await rowsOf(workflowId)).filter((r) => r.status === 'sent').length, (n) => n === 6, 20_000);
    // Give any stray retry the time to show a duplicate.
    await new Promise((r) => setTimeout(r, 3000));
    const caught = sink.messages().filter(own);
    expect(caught).toHaveLength(5);
    expect(new Set(caught.map((m) => m.messageId)).size).toBe(5);
    // Each batch went out under the Message-ID of its batch key.
    for (const m of caught) expect(m.messageId).toBe(messageIdFor(keyOf(m), 'vanquan.example.vn'));
  });

  describe('delivery activity on its own', () => {
    function request(stepKey: string, audience: NotificationRequest['audience']): NotificationRequest {
      const i = input(new Date(Date.now() - 86_400_000));
      const workflowId = `asg:${i.planId}:V.3.4:${UNIT}:once`;
      const snapshot: AssignmentSnapshot = {
        workflowId,
        input: i,
        unitCode: UNIT,
        status: 'assigned',
        progress: 0,
        progressNote: null,
        deadline: i.deadline,
        completedAt: null,
        submission: null,
        pendingExtension: null,
        firedSteps: [stepKey],
        escalationLevel: 1,
        lastStepKey: stepKey,
        seq: 2,
        recentEvents: [{ seq: 2, type: 'step_fired', actor: 'system', at: new Date().toISOString(), data: { step: stepKey } }],
      };
      return { workflowId, stepKey, kind: 'overdue', audience, snapshot };
    }

    function outboxWith(mailSink: SmtpSink): { sut: NotificationOutbox; mailer: Mailer } {
      const mailer = new Mailer({ smtpUrl: mailSink.url, from: FROM });
      const sut = new NotificationOutbox({
        outbox: new TypeormOutboxRepository(ds),
        organisation: new TypeormOrganisationRepository(ds),
        dataSource: ds,
        mailer,
        settings: { publicUrl: PUBLIC_URL, secretKey: SECRET },
      });
      return { sut, mailer };
    }

    it('resends once with the same Message-ID after a crash between acceptance and the sent mark', async () => {
      const { sut, mailer } = outboxWith(sink);
      const req = request('overdue', ['assignee']);
      const keys = await sut.record(req);
      expect(keys).toHaveLength(1);
      const [row] = await new TypeormOutboxRepository(ds).findByKeys(keys);
      // The crash: the server accepted the message, the process died before settle().
      const accepted = await sut.send(row!);
      expect(accepted.accepted).toEqual([ADDR.assignee]);
      expect((await rowsOf(req.workflowId))[0]!.status).toBe('pending');

      expect(await sut.deliver(keys)).toEqual({ sent: 1, failed: 0, skipped: 0 });
      expect(await sut.deliver(keys)).toEqual({ sent: 0, failed: 0, skipped: 1 });
      const caught = sink.messages().filter(mailsOf(req.workflowId));
      expect(caught).toHaveLength(2);
      expect(caught[0]!.messageId).toBe(row!.messageId);
      expect(caught[1]!.messageId).toBe(row!.messageId);
      // Recording again (a retried activity) neither adds rows nor re-opens the sent one.
      await sut.record(req);
      expect(await rowsOf(req.workflowId)).toEqual([expect.objectContaining({ status: 'sent', message_id: row!.messageId })]);
      mailer.close();
    });

    it('fails a permanently refused address with the server reason and still delivers to the others', async () => {
      const picky = await startSmtpSink({ rejectRecipients: (a) => (a === ADDR.head ? '550 5.1.1 Mailbox does not exist' : null) });
      const { sut, mailer } = outboxWith(picky);
      try {
        const req = request('overdue', ['assignee', 'assignee_head']);
        const keys = await sut.record(req);
        expect(await sut.deliver(keys)).toEqual({ sent: 1, failed: 1, skipped: 0 });
        const rows: Array<{ recipient: string; status: string; rejected_reason: string | null; attempts: number }> = await ds.query(
          `SELECT recipient, status, rejected_reason, attempts FROM notifications WHERE workflow_id = $1 ORDER BY recipient`,
          [req.workflowId],
        );
        expect(rows).toEqual([
          { recipient: ADDR.head, status: 'failed', rejected_reason: expect.stringContaining('Mailbox does not exist'), attempts: 1 },
          { recipient: ADDR.assignee, status: 'sent', rejected_reason: null, attempts: 1 },
        ]);
        expect(picky.messages().map((m) => m.to.map((a) => a.address))).toEqual([[ADDR.assignee]]);
        // A failed row is not retried.
        expect(await sut.deliver(keys)).toEqual({ sent: 0, failed: 0, skipped: 2 });
        const page = await new TypeormOutboxRepository(ds).list({ status: 'failed', workflowId: req.workflowId });
        expect(page).toMatchObject({ total: 1, items: [expect.objectContaining({ recipient: ADDR.head, rejectedReason: expect.stringContaining('550') })] });
      } finally {
        mailer.close();
        await picky.stop();
      }
    });
  });
});
