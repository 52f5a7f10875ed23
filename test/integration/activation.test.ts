// Activating the sample plan over HTTP starts exactly the expected assignment workflows, once, however often
// the coordinator presses the button.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { type AppConfig } from '@app/config';
import { OrganisationRepository, PlanRepository } from '@app/persistence';
import { parsePlan } from '@app/plan-parser';
import { TemporalClientProvider } from '@app/temporal';
import { eventually, http, type LoggedIn, type RunningApi, type SampleStack, startSampleStack } from '../support/harness';

const SAMPLE = readFileSync(join(__dirname, '../../libs/plan-parser/fixtures/van-quan-2024-cong-tac-tre-em.md'), 'utf8');
/** Counted by hand in libs/domain/src/activation.spec.ts: 24 + 17 partners of V.1.1 + 14 + 85 + 62. */
const EXPECTED = 202;

describe('plan activation', () => {
  let config: AppConfig;
  let stack: SampleStack;
  let api: RunningApi;
  let ds: DataSource;
  let coordinator: LoggedIn;
  let officer: LoggedIn;
  let partner: LoggedIn;
  let lead: LoggedIn;

  beforeAll(async () => {
    // A dead SMTP port: notifications stay pending in the outbox, which this file does not look at.
    stack = await startSampleStack({ SMTP_URL: 'smtp://127.0.0.1:9' });
    ({ config, api, ds } = stack);
    coordinator = await stack.loginAs('dieuphoi');
    officer = await stack.loginAs('xa-an-son.canbo');
    partner = await stack.loginAs('huyen-doan.canbo');
    lead = await stack.loginAs('ldtbxh.canbo');
  }, 120000);

  afterAll(async () => {
    await stack?.close();
  });

  /** With `withoutDeadlines`, one-off duties without deadlines and no reports: no escalation runs while the test acts. */
  async function newDraft(withoutDeadlines = false): Promise<string> {
    const org = await api.app.get(OrganisationRepository).load();
    const parsed = parsePlan({ text: SAMPLE, format: 'markdown' }, org);
    const warnings = parsed.warnings;
    const plan = withoutDeadlines
      ? {
          ...parsed.plan,
          responsibilities: parsed.plan.responsibilities.map((r) => ({ ...r, deadline: null, recurrence: { kinds: ['once' as const] } })),
          reportingRules: [],
        }
      : parsed.plan;
    const stored = await api.app.get(PlanRepository).createDraft({ plan, warnings, sourceText: SAMPLE, sourceName: 'sample.md' }, 'test');
    return stored.id;
  }

  const countRows = async (planId: string): Promise<number> =>
    Number((await ds.query('SELECT count(*)::int AS n FROM assignments WHERE plan_id = $1', [planId]))[0].n);

  it('previews, activates, and starts each assignment exactly once even when activated twice', async () => {
    const planId = await newDraft();
    type Notices = {
      overdue: number;
      dueSoon: number;
      lateSteps: Record<string, number>;
      byKind: Record<string, { recipients: number; newWork: number; daily: number }>;
      total: { recipients: number; emails: number; maxPerRecipient: number; medianPerRecipient: number };
      warning: { code: string; message: string; latestDeadline: string } | null;
    };
    const preview = await http<{ assignments: number; units: number; problems: unknown[]; notices: Notices }>(api.baseUrl, 'GET', `/api/plans/${planId}/activation-preview`, undefined, coordinator.headers);
    expect(preview.status).toBe(200);
    // 'đơn vị liên quan' among V.1.1's partners names nobody: listed for the coordinator, and not a block.
    expect(preview.body).toMatchObject({
      assignments: EXPECTED,
      units: 35,
      byRole: { lead: EXPECTED - 17 - 14, coordinate: 17 + 14 },
      problems: [{ itemKey: 'V.1.1', code: 'UNRESOLVED_COORDINATOR', text: 'đơn vị liên quan', blocking: false, message: expect.stringContaining('đơn vị liên quan') }],
      deadlines: [],
    });
    // Every 2024 deadline has passed: all of the work starts overdue, each at the leader's step (more than 7 days
    // late), and the coordinator is told before pressing the button.
    const notices = preview.body.notices;
    expect(notices).toMatchObject({ overdue: EXPECTED, dueSoon: 0, lateSteps: { leadership_7d: EXPECTED } });
    expect(notices.warning).toMatchObject({ code: 'ALL_DEADLINES_PASSED', message: expect.stringContaining('Tất cả thời hạn của kế hoạch đã qua') });
    // The latest deadline, shown dd/MM/yyyy in Vietnam time (UTC+7).
    const latest = new Date(Date.parse(notices.warning!.latestDeadline) + 7 * 3_600_000).toISOString().slice(0, 10);
    expect(latest < new Date().toISOString().slice(0, 10)).toBe(true);
    expect(notices.warning!.message).toContain(`hạn muộn nhất ${latest.split('-').reverse().join('/')}`);
    expect(notices.byKind.leader).toEqual({ recipients: 1, newWork: 0, daily: 1 });
    expect(notices.total.maxPerRecipient).toBe(2);
    expect(notices.total.emails).toBeLessThanOrEqual(2 * notices.total.recipients);

    const first = await http<{ workflowId: string; expected: number }>(api.baseUrl, 'POST', `/api/plans/${planId}/activate`, {}, coordinator.headers);
    expect(first.status).toBe(202);
    expect(first.body.expected).toBe(EXPECTED);
    const client = api.app.get(TemporalClientProvider).client;
    const totals = await client.workflow.getHandle(first.body.workflowId).result();
    expect(totals).toEqual({ started: EXPECTED, existing: 0, total: EXPECTED });

    // Pressing the button again finds the same activation; a fresh activation run would find every assignment.
    const second = await http<{ workflowId: string }>(api.baseUrl, 'POST', `/api/plans/${planId}/activate`, {}, coordinator.headers);
    expect(second.body.workflowId).toBe(first.body.workflowId);
    const rerun = await client.workflow.execute('planActivationWorkflow', {
      workflowId: `${first.body.workflowId}:rerun`,
      taskQueue: config.temporal.taskQueue,
      args: [{ planId, revision: 2, batchSize: 40 }],
    });
    expect(rerun).toEqual({ started: 0, existing: EXPECTED, total: EXPECTED });

    await eventually(() => countRows(planId), (n) => n === EXPECTED, 60000);
    // What the outbox holds once every assignment has told its people (an 'assigned' row and one catch-up step
    // row per assignment) is what the preview announced: one new-work and at most one daily email per address.
    type Row = { recipient: string; audience: string; new_work: boolean; workflow_id: string };
    const rows = await eventually(
      () =>
        ds.query<Row[]>(
          `SELECT recipient, audience, step_key = 'assigned' AS new_work, workflow_id FROM notifications WHERE workflow_id LIKE $1`,
          [`asg:${planId}:%`],
        ),
      (r) =>
        new Set(r.filter((x) => x.new_work).map((x) => x.workflow_id)).size === EXPECTED && new Set(r.filter((x) => !x.new_work).map((x) => x.workflow_id)).size === EXPECTED,
      120000,
    );
    const batches = new Map<string, Set<boolean>>();
    for (const r of rows) batches.set(r.recipient, (batches.get(r.recipient) ?? new Set<boolean>()).add(r.new_work));
    const perRecipient = [...batches.values()].map((b) => b.size);
    expect(notices.total).toMatchObject({ recipients: batches.size, emails: perRecipient.reduce((a, b) => a + b, 0) });
    for (const role of ['assignee', 'assignee_head', 'supervisor', 'leader']) {
      expect(notices.byKind[role]!.recipients).toBe(new Set(rows.filter((r) => r.audience === role).map((r) => r.recipient)).size);
    }
    const perUnit = await ds.query(
      `SELECT unit_code, count(*)::int AS n FROM assignments WHERE plan_id = $1 GROUP BY unit_code ORDER BY unit_code`,
      [planId],
    );
    expect(perUnit.find((r: { unit_code: string }) => r.unit_code === 'VQ-XA-AN-SON').n).toBe(7);
    expect(perUnit.find((r: { unit_code: string }) => r.unit_code === 'VQ-LDTBXH').n).toBe(24);
    const plan = await api.app.get(PlanRepository).get(planId);
    expect(plan?.status).toBe('active');
    expect(plan?.activatedAt).not.toBeNull();

    // Huyện đoàn is named as a partner ('tổ chức chính trị - xã hội') in V.1.1: the duty is in its inbox, as 'phối hợp'.
    type Item = { workflowId: string; itemKey: string; role: string; unitCode: string; deadline: string | null };
    const inbox = await http<{ items: Item[]; total: number }>(api.baseUrl, 'GET', `/api/inbox?planId=${planId}&pageSize=100`, undefined, partner.headers);
    expect(inbox.status).toBe(200);
    const shared = inbox.body.items.find((i) => i.itemKey === 'V.1.1');
    expect(shared).toMatchObject({ role: 'coordinate', unitCode: 'VQ-HUYEN-DOAN', deadline: '2024-12-31T16:59:59.999Z' });
    expect(inbox.body.items.map((i) => `${i.itemKey}/${i.role}`)).toEqual(['V.1.1/coordinate']);

    // The partner reports progress; the lead's own V.1.1 shows its 17 partners, Huyện đoàn with that progress.
    const act = (body: unknown) => http(api.baseUrl, 'POST', `/api/assignments/${encodeURIComponent(shared!.workflowId)}/actions`, body, partner.headers);
    expect((await act({ type: 'acknowledge' })).status).toBe(200);
    const progressed = await http(api.baseUrl, 'POST', `/api/assignments/${encodeURIComponent(shared!.workflowId)}/actions`, { type: 'progress', percent: 40, comment: 'Đã họp triển khai' }, partner.headers);
    expect(progressed.status).toBe(200);
    const leadWorkflow = `asg:${planId}:V.1.1:VQ-LDTBXH:once`;
    type Member = { unitCode: string; unitName: string; role: string; status: string; progress: number; progressNote: string | null; deadline: string | null };
    type Detail = { assignment: { role: string; leadUnitCode: string | null }; coordination: { leads: Member[]; coordinators: Member[] } | null };
    const leadView = await eventually(
      () => http<Detail>(api.baseUrl, 'GET', `/api/assignments/${encodeURIComponent(leadWorkflow)}`, undefined, lead.headers),
      (r) => r.body.coordination?.coordinators.find((m) => m.unitCode === 'VQ-HUYEN-DOAN')?.progress === 40,
      30000,
    );
    expect(leadView.body.assignment.role).toBe('lead');
    expect(leadView.body.coordination!.leads).toEqual([]);
    expect(leadView.body.coordination!.coordinators).toHaveLength(17);
    expect(leadView.body.coordination!.coordinators.find((m) => m.unitCode === 'VQ-HUYEN-DOAN')).toMatchObject({
      unitName: 'Huyện đoàn Văn Quan',
      role: 'coordinate',
      status: 'in_progress',
      progressNote: 'Đã họp triển khai',
      deadline: '2024-12-31T16:59:59.999Z',
    });
    // The partner sees the lead it works with; another unit cannot open the lead's assignment at all.
    const partnerView = await http<Detail>(api.baseUrl, 'GET', `/api/assignments/${encodeURIComponent(shared!.workflowId)}`, undefined, partner.headers);
    expect(partnerView.body.assignment).toMatchObject({ role: 'coordinate', leadUnitCode: 'VQ-LDTBXH' });
    expect(partnerView.body.coordination!.leads.map((m) => m.unitCode)).toEqual(['VQ-LDTBXH']);
    expect((await http(api.baseUrl, 'GET', `/api/assignments/${encodeURIComponent(leadWorkflow)}`, undefined, officer.headers)).status).toBe(404);
  }, 300000);

  it('starts every period of a quarterly report, each with its own deadline', async () => {
    const org = await api.app.get(OrganisationRepository).load();
    const parsed = parsePlan({ text: SAMPLE, format: 'markdown' }, org);
    const rule = parsed.plan.reportingRules[0];
    const plan = {
      ...parsed.plan,
      responsibilities: [],
      // 'Báo cáo quý trước ngày 20 của tháng đầu quý sau', as the Q1 date: 19/4.
      reportingRules: [
        { ...rule, period: 'quarterly' as const, reporterRefs: [{ kind: 'unit' as const, code: 'VQ-XA-AN-SON', text: 'UBND xã An Sơn' }], deadline: { date: '2024-04-19', kind: 'explicit' as const, reason: 'Trước ngày 20/4/2024' } },
      ],
    };
    const planId = (await api.app.get(PlanRepository).createDraft({ plan, warnings: [], sourceText: SAMPLE, sourceName: 'quy.md' }, 'test')).id;
    const activated = await http<{ workflowId: string; expected: number }>(api.baseUrl, 'POST', `/api/plans/${planId}/activate`, {}, coordinator.headers);
    expect(activated.body.expected).toBe(4);
    const client = api.app.get(TemporalClientProvider).client;
    expect(await client.workflow.getHandle(activated.body.workflowId).result()).toEqual({ started: 4, existing: 0, total: 4 });
    type Row = { period_key: string; period_label: string; deadline: Date };
    const rows = await eventually(
      () => ds.query<Row[]>(`SELECT period_key, period_label, deadline FROM assignments WHERE plan_id = $1 ORDER BY period_key`, [planId]),
      (r) => r.length === 4,
      60000,
    );
    expect(rows.map((r) => `${r.period_key} ${r.period_label} ${r.deadline.toISOString()}`)).toEqual([
      '2024-Q1 Quý I/2024 2024-04-19T16:59:59.999Z',
      '2024-Q2 Quý II/2024 2024-07-19T16:59:59.999Z',
      '2024-Q3 Quý III/2024 2024-10-19T16:59:59.999Z',
      '2024-Q4 Quý IV/2024 2025-01-19T16:59:59.999Z',
    ]);
  }, 300000);

  it('cancelling an active plan ends every assignment and its timers', async () => {
    // 8 + 14 + 5 × 17 one-off duties, and the 17 partners of V.1.1.
    const CANCELLED = 124;
    const planId = await newDraft(true);
    const activated = await http<{ workflowId: string }>(api.baseUrl, 'POST', `/api/plans/${planId}/activate`, {}, coordinator.headers);
    const client = api.app.get(TemporalClientProvider).client;
    await client.workflow.getHandle(activated.body.workflowId).result();

    const noReason = await http<{ error: { code: string } }>(api.baseUrl, 'POST', `/api/plans/${planId}/cancel`, {}, coordinator.headers);
    expect(noReason.status).toBe(400);
    const cancelled = await http<{ workflowId: string }>(api.baseUrl, 'POST', `/api/plans/${planId}/cancel`, { reason: 'Kế hoạch được thay thế' }, coordinator.headers);
    expect(cancelled.status).toBe(202);
    expect(await client.workflow.getHandle(cancelled.body.workflowId).result()).toEqual({ ended: CANCELLED });

    // Every assignment workflow has finished (no timer left to send anything) and the read model says so.
    await eventually(() => client.workflow.count(`DondocPlanId = '${planId}' AND ExecutionStatus = 'Running'`), (c) => c.count === 0, 60000);
    const byStatus = await ds.query(`SELECT status, count(*)::int AS n FROM assignments WHERE plan_id = $1 GROUP BY status`, [planId]);
    expect(byStatus).toEqual([{ status: 'cancelled', n: CANCELLED }]);
    expect((await api.app.get(PlanRepository).get(planId))?.status).toBe('cancelled');

    const again = await http<{ error: { code: string } }>(api.baseUrl, 'POST', `/api/plans/${planId}/close`, { reason: 'x' }, coordinator.headers);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('INVALID_TRANSITION');
  }, 300000);

  it('refuses activation to a unit officer', async () => {
    const planId = await newDraft();
    const res = await http<{ error: { code: string } }>(api.baseUrl, 'POST', `/api/plans/${planId}/activate`, {}, officer.headers);
    expect(res.status).toBe(403);
    expect(await countRows(planId)).toBe(0);
  });
});
