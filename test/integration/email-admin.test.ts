// Email admin, letters, the demo mailbox and daily digests, through the real API and worker against
// PostgreSQL, the Temporal dev server and a real SMTP sink that stores what it catches on disk.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { type CaughtMessage, Mailer, type SmtpSink, startSmtpSink } from '@app/notifications';
import {
  defaultPreferences,
  type NotificationPreferences,
  NotificationPreferencesRepository,
  TypeormOrganisationRepository,
  TypeormOutboxRepository,
} from '@app/persistence';
import { TEST_SAMPLE_PASSWORD as SAMPLE_PASSWORD } from '../support/accounts';
import {
  type AssignmentInput,
  type AssignmentSnapshot,
  DAILY_DIGEST_WORKFLOW,
  type DailyDigestReport,
  type EscalationStepSpec,
  type NotificationRequest,
} from '@app/contracts/workflow';
import { DailyDigest } from '../../apps/worker/src/notifications/digest';
import { ensureDigestSchedule } from '../../apps/worker/src/notifications/notification.activities';
import { NotificationOutbox } from '../../apps/worker/src/notifications/notification-outbox';
import { eventually, http, type LoggedIn, login, type SampleStack, startApiApp, startSampleStack, testConfig } from '../support/harness';

const FROM = 'Dondoc <dondoc@vanquan.example.vn>';
const PUBLIC_URL = 'http://dondoc.test';
const REFUSED = 'chutich.tuxuyen@vanquan.example.vn';
const LADDER_UNIT = 'VQ-XA-TU-XUYEN';
const DIGEST_UNIT = 'VQ-XA-YEN-PHUC';
const DIGEST_ADDRESS = 'xa.yenphuc@vanquan.example.vn';
const LEADER = 'pct.trieuducdung@vanquan.example.vn';

interface OutboxItem {
  outboxKey: string;
  stepKey: string;
  kind: string;
  recipient: string | null;
  status: string;
  rejectedReason: string | null;
  coveredBy: string | null;
}
type Page<T> = { items: T[]; total: number; page: number; pageSize: number };

describe('email admin, letters, demo mailbox and digests', () => {
  let sink: SmtpSink;
  let mailDir: string;
  let stack: SampleStack;
  let connection: Connection;
  let client: Client;
  let coordinator: LoggedIn;
  let leader: LoggedIn;

  beforeAll(async () => {
    mailDir = await mkdtemp(join(tmpdir(), 'dondoc-mail-'));
    sink = await startSmtpSink({ storeDir: mailDir, rejectRecipients: (a) => (a === REFUSED ? '550 5.1.1 Mailbox does not exist' : null) });
    // Batched mail at any hour with a short quiet period, so the suite does not depend on when it runs.
    stack = await startSampleStack({
      SMTP_URL: sink.url,
      MAIL_FROM: FROM,
      PUBLIC_URL,
      SECRET_KEY: 'email-admin-secret-0123456789',
      CAUGHT_MAIL_DIR: mailDir,
      MAIL_QUIET_HOURS: 'off',
      MAIL_BATCH_QUIET_SECONDS: '2',
      MAIL_BATCH_MAX_SECONDS: '60',
    });
    connection = await Connection.connect({ address: stack.config.temporal.address });
    client = new Client({ connection, namespace: stack.config.temporal.namespace });
    coordinator = await stack.loginAs('dieuphoi');
    leader = await stack.loginAs('lanhdao');
  });

  afterAll(async () => {
    // Other suites share the database: leave every unit on immediate mails.
    await stack?.ds.query(`DELETE FROM notification_preferences WHERE unit_code = $1`, [DIGEST_UNIT]);
    await stack?.close();
    await connection?.close();
    await sink?.stop();
    await rm(mailDir, { recursive: true, force: true });
  });

  const api = <T>(as: LoggedIn, method: string, path: string, body?: unknown) => http<T>(stack.api.baseUrl, method, path, body, as.headers);
  const usernameOf = async (unitCode: string, role: 'unit_head' | 'unit_officer'): Promise<string> => {
    const rows: Array<{ username: string }> = await stack.ds.query(`SELECT username FROM users WHERE unit_code = $1 AND role = $2 ORDER BY username LIMIT 1`, [unitCode, role]);
    return rows[0]!.username;
  };
  const keyOf = (m: CaughtMessage): string => m.headers['x-dondoc-outbox-key'] ?? '';
  const planOf = (workflowId: string): string => workflowId.split(':')[1] ?? '';
  /** The key prefix of a recipient's batches of a plan: `new|<plan>|<address>|` or `day|<plan>|<address>|`. */
  const batchPrefix = (cls: 'new' | 'day', workflowId: string, address: string): string => `${cls}|${planOf(workflowId)}|${address}|`;

  function leadershipRequest(unitCode: string): NotificationRequest {
    const planId = randomUUID();
    const workflowId = `asg:${planId}:V.3.5:${unitCode}:once`;
    const deadline = new Date(Date.now() - 8 * 86_400_000).toISOString();
    const snapshot: AssignmentSnapshot = {
      workflowId,
      input: {
        planId, planNumber: '45/KH-UBND', planTitle: 'Kế hoạch công tác trẻ em năm 2024', itemKey: 'V.3.5', kind: 'responsibility',
        title: 'Báo cáo kết quả 6 tháng', role: 'lead', unitCode, leadUnitCode: 'VQ-LDTBXH', periodKey: 'once', periodLabel: '', deadline, escalation: [],
      },
      unitCode,
      status: 'assigned',
      progress: 0,
      progressNote: null,
      deadline,
      completedAt: null,
      submission: null,
      pendingExtension: null,
      firedSteps: ['leadership'],
      escalationLevel: 3,
      lastStepKey: 'leadership',
      seq: 2,
      recentEvents: [{ seq: 2, type: 'step_fired', actor: 'system', at: new Date().toISOString(), data: { step: 'leadership' } }],
    };
    return { workflowId, stepKey: 'leadership', kind: 'leadership', audience: ['leader'], snapshot };
  }

  async function startAssignment(unitCode: string, deadlineInMs: number, escalation: EscalationStepSpec[], title: string): Promise<string> {
    const planId = randomUUID();
    const input: AssignmentInput = {
      planId,
      planNumber: '45/KH-UBND',
      planTitle: 'Kế hoạch công tác trẻ em năm 2024',
      itemKey: 'V.3.4',
      kind: 'responsibility',
      title,
      role: 'lead',
      unitCode,
      leadUnitCode: 'VQ-LDTBXH',
      periodKey: 'once',
      periodLabel: '',
      deadline: new Date(Date.now() + deadlineInMs).toISOString(),
      escalation,
    };
    const workflowId = `asg:${planId}:V.3.4:${unitCode}:once`;
    await client.workflow.start('assignmentWorkflow', { workflowId, taskQueue: stack.config.temporal.taskQueue, args: [input] });
    return workflowId;
  }

  describe('an escalation ladder with a refused address', () => {
    let workflowId: string;

    beforeAll(async () => {
      workflowId = await startAssignment(
        LADDER_UNIT,
        2000,
        [
          { key: 'overdue', offset: 'PT0S', basis: 'calendar', audience: ['assignee', 'assignee_head'], kind: 'overdue' },
          { key: 'leadership', offset: 'PT1S', basis: 'calendar', audience: ['leader'], kind: 'leadership' },
        ],
        'Kiện toàn Ban chỉ đạo công tác trẻ em',
      );
      // The leadership notice reaches the leader inside the leader's daily batch for the plan.
      await sink.waitFor((m) => keyOf(m).startsWith(batchPrefix('day', workflowId, LEADER)), 30_000);
    });

    it('lists the refused address as failed with the server reason, for the coordinator only', async () => {
      const path = `/api/notifications?status=failed&workflowId=${encodeURIComponent(workflowId)}`;
      const page = await eventually(async () => (await api<Page<OutboxItem>>(coordinator, 'GET', path)).body, (p) => p.total === 1, 15_000);
      expect(page.items).toEqual([expect.objectContaining({ recipient: REFUSED, status: 'failed', rejectedReason: expect.stringContaining('Mailbox does not exist') })]);
      const all = await api<Page<OutboxItem>>(coordinator, 'GET', `/api/notifications?unitCode=${LADDER_UNIT}&workflowId=${encodeURIComponent(workflowId)}&pageSize=100`);
      expect(all.body.items.map((i) => `${i.stepKey}:${i.status}`).sort()).toEqual(['assigned:sent', 'leadership:sent', 'overdue:failed', 'overdue:sent']);
      expect((await api(coordinator, 'GET', '/api/notifications?status=bogus')).status).toBe(400);
      const officer = await stack.loginAs(await usernameOf(LADDER_UNIT, 'unit_officer'));
      expect((await api(officer, 'GET', '/api/notifications')).status).toBe(403);
    });

    it('lists a batch message together with the notices it carried', async () => {
      const summary = sink.messages().find((m) => keyOf(m).startsWith(batchPrefix('day', workflowId, LEADER)))!;
      const key = keyOf(summary);
      const page = await eventually(
        async () => (await api<Page<OutboxItem & { batchKey: string | null }>>(coordinator, 'GET', `/api/notifications?batchKey=${encodeURIComponent(key)}`)).body,
        (p) => p.items.every((i) => i.status === 'sent'),
        10_000,
      );
      expect(page.items.map((i) => [i.kind, i.outboxKey === key ? 'message' : i.coveredBy === key ? 'carried' : 'other', i.batchKey === key || i.outboxKey === key]).sort()).toEqual([
        ['batch_daily', 'message', true],
        ['leadership', 'carried', true],
      ]);
      expect((await api(leader, 'GET', `/api/notifications?batchKey=${encodeURIComponent(key)}`)).status).toBe(403);
    });

    it('serves the urging letter as a .docx to a leader and refuses a unit officer', async () => {
      const rows: Array<{ id: string; filename: string }> = await stack.ds.query(`SELECT id, filename FROM urging_letters WHERE workflow_id = $1`, [workflowId]);
      expect(rows).toHaveLength(1);
      const res = await fetch(`${stack.api.baseUrl}/api/letters/${rows[0]!.id}`, { headers: leader.headers });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('wordprocessingml');
      expect(res.headers.get('content-disposition')).toContain(`filename="${rows[0]!.filename}"`);
      expect(Buffer.from(await res.arrayBuffer()).subarray(0, 2).toString()).toBe('PK');
      const byAssignment = await fetch(`${stack.api.baseUrl}/api/assignments/${encodeURIComponent(workflowId)}/letter`, { headers: coordinator.headers });
      expect(byAssignment.status).toBe(200);
      expect(Buffer.from(await byAssignment.arrayBuffer()).subarray(0, 2).toString()).toBe('PK');

      const officer = await stack.loginAs(await usernameOf(LADDER_UNIT, 'unit_officer'));
      expect((await api(officer, 'GET', `/api/letters/${rows[0]!.id}`)).status).toBe(403);
      expect((await api(leader, 'GET', `/api/letters/${randomUUID()}`)).status).toBe(404);
      expect((await api(leader, 'GET', '/api/letters/not-a-uuid')).status).toBe(404);
    });

    it('lists caught mail newest first and serves its HTML under a strict CSP', async () => {
      const list = await api<Page<{ id: string; subject: string; outboxKey: string | null; receivedAt: string }>>(leader, 'GET', `/api/dev/mail?to=${LEADER}&pageSize=100`);
      expect(list.status).toBe(200);
      const mine = list.body.items.filter((m) => m.outboxKey?.startsWith(batchPrefix('day', workflowId, LEADER)));
      expect(mine).toHaveLength(1);
      const times = list.body.items.map((m) => m.receivedAt);
      expect([...times].sort().reverse()).toEqual(times);

      const one = await api<CaughtMessage>(coordinator, 'GET', `/api/dev/mail/${mine[0]!.id}`);
      expect(one.body).toMatchObject({ id: mine[0]!.id, subject: mine[0]!.subject, to: [expect.objectContaining({ address: LEADER })] });
      const html = await fetch(`${stack.api.baseUrl}/api/dev/mail/${mine[0]!.id}.html`, { headers: leader.headers });
      expect(html.status).toBe(200);
      expect(html.headers.get('content-type')).toContain('text/html');
      expect(html.headers.get('content-security-policy')).toBe("default-src 'none'; style-src 'unsafe-inline'; img-src data:");
      expect(await html.text()).toContain('<html');
      expect((await api(leader, 'GET', '/api/dev/mail/1700000000000-000000000000')).status).toBe(404);
      expect((await api(leader, 'GET', '/api/dev/mail/..%2F..%2Fetc%2Fpasswd')).status).toBe(404);
      const officer = await stack.loginAs(await usernameOf(LADDER_UNIT, 'unit_officer'));
      expect((await api(officer, 'GET', '/api/dev/mail')).status).toBe(403);
    });

    it('has no demo mailbox when the app runs without a local sink', async () => {
      const plain = await startApiApp(testConfig({ SMTP_URL: sink.url, MAIL_FROM: FROM }));
      try {
        const admin = await login(plain.baseUrl, 'admin', SAMPLE_PASSWORD);
        expect((await http(plain.baseUrl, 'GET', '/api/dev/mail', undefined, admin.headers)).status).toBe(404);
        expect((await http(plain.baseUrl, 'GET', '/api/dev/mail/1700000000000-000000000000.html', undefined, admin.headers)).status).toBe(404);
      } finally {
        await plain.close();
      }
    });
  });

  describe('daily digest', () => {
    const runDigest = (unitCodes: string[]): Promise<DailyDigestReport> =>
      client.workflow.execute(DAILY_DIGEST_WORKFLOW, { workflowId: `digest-test:${randomUUID()}`, taskQueue: stack.config.temporal.taskQueue, args: [{ unitCodes }] });

    it('lets the unit head (not others) choose a digest', async () => {
      const head = await stack.loginAs(await usernameOf(DIGEST_UNIT, 'unit_head'));
      const path = `/api/units/${DIGEST_UNIT}/notification-preferences`;
      expect((await api(head, 'GET', path)).body).toMatchObject({ unitCode: DIGEST_UNIT, mode: 'immediate', digestHour: 7, leaderSummary: false });
      const saved = await api(head, 'PUT', path, { mode: 'daily_digest', digestHour: 6 });
      expect(saved).toMatchObject({ status: 200, body: { mode: 'daily_digest', digestHour: 6, updatedBy: head.user.username } });
      expect((await api(head, 'PUT', path, { mode: 'weekly' })).status).toBe(400);
      expect((await api(head, 'PUT', path, { mode: 'daily_digest', leaderSummary: true })).status).toBe(400);
      const otherHead = await stack.loginAs(await usernameOf(LADDER_UNIT, 'unit_head'));
      expect((await api(otherHead, 'GET', path)).status).toBe(404);
      const officer = await stack.loginAs(await usernameOf(DIGEST_UNIT, 'unit_officer'));
      expect((await api(officer, 'PUT', path, { mode: 'immediate' })).status).toBe(403);
      expect((await api(coordinator, 'GET', path)).body).toMatchObject({ mode: 'daily_digest' });
    });

    it('holds reminders back and sends one digest per unit and day that lists the work', async () => {
      const title = `Tuyên truyền phòng chống đuối nước ${randomUUID().slice(0, 8)}`;
      const workflowId = await startAssignment(
        DIGEST_UNIT,
        3000,
        [
          { key: 'reminder', offset: '-PT2S', basis: 'calendar', audience: ['assignee'], kind: 'reminder' },
          { key: 'overdue', offset: 'PT0S', basis: 'calendar', audience: ['assignee', 'assignee_head'], kind: 'overdue' },
        ],
        title,
      );
      const held = await eventually(
        async () => (await api<Page<OutboxItem>>(coordinator, 'GET', `/api/notifications?status=digest_pending&workflowId=${encodeURIComponent(workflowId)}`)).body,
        (p) => p.total === 3,
        30_000,
      );
      expect(held.items.map((i) => i.stepKey).sort()).toEqual(['overdue', 'overdue', 'reminder']);
      // The assignment itself is still announced (in the new-work batch): only reminders and overdue notices wait.
      await sink.waitFor((m) => keyOf(m).startsWith(batchPrefix('new', workflowId, DIGEST_ADDRESS)), 15_000);

      const first = await runDigest([DIGEST_UNIT]);
      const key = `digest|${DIGEST_UNIT}|${first.date}`;
      expect(first.created).toEqual([key]);
      const digest = await sink.waitFor((m) => keyOf(m) === key, 30_000);
      expect(digest.to.map((a) => a.address)).toEqual([DIGEST_ADDRESS]);
      expect(digest.subject).toMatch(/^\[Tổng hợp\]/);
      expect(digest.text).toContain(title);
      expect(digest.html).toContain('<html');

      const covered = await api<Page<OutboxItem>>(coordinator, 'GET', `/api/notifications?workflowId=${encodeURIComponent(workflowId)}&status=covered`);
      expect(covered.body.items.map((i) => i.coveredBy)).toEqual([key, key, key]);
      const digestRow = await eventually(
        async () => (await api<Page<OutboxItem>>(coordinator, 'GET', `/api/notifications?unitCode=${DIGEST_UNIT}&status=sent&pageSize=100`)).body.items.filter((i) => i.outboxKey === key),
        (rows) => rows.length === 1,
        10_000,
      );
      expect(digestRow[0]).toMatchObject({ kind: 'digest', recipient: DIGEST_ADDRESS });

      const second = await runDigest([DIGEST_UNIT]);
      expect(second).toMatchObject({ created: [], existing: [key] });
      // Give a stray delivery the time to show a duplicate.
      await new Promise((r) => setTimeout(r, 2000));
      const own = sink.messages().filter((m) => keyOf(m).startsWith(`${workflowId}|`) || keyOf(m).includes(`|${planOf(workflowId)}|`) || keyOf(m) === key);
      expect(own.filter((m) => keyOf(m) === key)).toHaveLength(1);
      // Held notices are neither mailed alone nor put in a daily batch: the digest is their only mail.
      expect(own.filter((m) => /\|(reminder|overdue)\|/.test(keyOf(m)) || keyOf(m).startsWith('day|'))).toEqual([]);
    });

    it('sends the leader one daily summary instead of a mail per leadership escalation', async () => {
      // The leader's preference is global and other suites run in parallel expecting leadership mails,
      // so this one case wires the real outbox, digest, mailer and sink with an in-memory preference port.
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
      const settings = { publicUrl: PUBLIC_URL, secretKey: 'email-admin-secret-0123456789' };
      const outboxRepo = new TypeormOutboxRepository(stack.ds);
      const organisation = new TypeormOrganisationRepository(stack.ds);
      const outbox = new NotificationOutbox({ outbox: outboxRepo, organisation, dataSource: stack.ds, mailer, settings, preferences });
      const scheduler = { schedule: async (_: unknown, keys: string[]) => void (await outbox.deliver(keys)) };
      const sut = new DailyDigest({ dataSource: stack.ds, outbox: outboxRepo, organisation, preferences, mailer, scheduler, settings });
      try {
        const request = leadershipRequest(LADDER_UNIT);
        const { keys, held } = await outbox.recordRequest(request);
        expect(held).toBe(true);
        expect((await outboxRepo.findByKeys(keys)).map((r) => r.status)).toEqual(['digest_pending']);

        const asOf = new Date();
        const report = await sut.run({ asOf: asOf.toISOString(), unitCodes: ['VQ-UBND'] });
        const key = `leader-summary|${LEADER}|${report.date}`;
        expect(report.created).toEqual([key]);
        const summary = await sink.waitFor((m) => keyOf(m) === key, 15_000);
        expect(summary.to.map((a) => a.address)).toEqual([LEADER]);
        // The ladder above left its assignment overdue in the read model: the summary names it.
        expect(summary.text).toContain('Kiện toàn Ban chỉ đạo công tác trẻ em');
        expect((await outboxRepo.findByKeys(keys)).map((r) => [r.status, r.coveredBy])).toEqual([['covered', key]]);
        expect(sink.messages().filter((m) => keyOf(m).startsWith(`${request.workflowId}|`))).toEqual([]);
        expect(await sut.run({ asOf: new Date().toISOString(), unitCodes: ['VQ-UBND'] })).toMatchObject({ created: [], existing: [key] });
        expect(sink.messages().filter((m) => keyOf(m) === key)).toHaveLength(1);
      } finally {
        mailer.close();
      }
    });
  });

  it('creates the hourly schedule once and keeps it pointed at the worker task queue', async () => {
    const scheduleId = `digest-schedule-test-${randomUUID()}`;
    try {
      await ensureDigestSchedule(client, { taskQueue: 'queue-a', scheduleId });
      await ensureDigestSchedule(client, { taskQueue: 'queue-a', scheduleId });
      await ensureDigestSchedule(client, { taskQueue: 'queue-b', scheduleId });
      const described = await client.schedule.getHandle(scheduleId).describe();
      expect(described.action).toMatchObject({ type: 'startWorkflow', workflowType: DAILY_DIGEST_WORKFLOW, taskQueue: 'queue-b' });
      expect(described.spec.calendars?.[0]).toMatchObject({ minute: [{ start: 0, end: 0, step: 1 }] });
    } finally {
      await client.schedule.getHandle(scheduleId).delete().catch(() => undefined);
    }
  });
});
