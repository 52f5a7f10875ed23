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
/** Counted by hand in libs/domain/src/activation.spec.ts: 24 + 14 + 85 + 62. */
const EXPECTED = 185;

describe('plan activation', () => {
  let config: AppConfig;
  let stack: SampleStack;
  let api: RunningApi;
  let ds: DataSource;
  let coordinator: LoggedIn;
  let officer: LoggedIn;

  beforeAll(async () => {
    // A dead SMTP port: notifications stay pending in the outbox, which this file does not look at.
    stack = await startSampleStack({ SMTP_URL: 'smtp://127.0.0.1:9' });
    ({ config, api, ds } = stack);
    coordinator = await stack.loginAs('dieuphoi');
    officer = await stack.loginAs('xa-an-son.canbo');
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
    const preview = await http<{ assignments: number; units: number; problems: unknown[] }>(api.baseUrl, 'GET', `/api/plans/${planId}/activation-preview`, undefined, coordinator.headers);
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ assignments: EXPECTED, units: 32, problems: [] });

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
    const perUnit = await ds.query(
      `SELECT unit_code, count(*)::int AS n FROM assignments WHERE plan_id = $1 GROUP BY unit_code ORDER BY unit_code`,
      [planId],
    );
    expect(perUnit.find((r: { unit_code: string }) => r.unit_code === 'VQ-XA-AN-SON').n).toBe(7);
    expect(perUnit.find((r: { unit_code: string }) => r.unit_code === 'VQ-LDTBXH').n).toBe(24);
    const plan = await api.app.get(PlanRepository).get(planId);
    expect(plan?.status).toBe('active');
    expect(plan?.activatedAt).not.toBeNull();
  }, 300000);

  it('cancelling an active plan ends every assignment and its timers', async () => {
    // 8 + 14 + 5 × 17 one-off duties.
    const CANCELLED = 107;
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
