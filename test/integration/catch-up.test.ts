// Work that starts already late (a plan activated after its deadlines) begins at its current step with one
// notice: each assignment fires exactly one late step, never the ladder, and the activation preview's figures
// are what the outbox then holds (real API, worker, Temporal and PostgreSQL).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { addLocalDays, localDate, type Plan } from '@app/domain';
import { OrganisationRepository, PlanRepository } from '@app/persistence';
import { parsePlan } from '@app/plan-parser';
import { TemporalClientProvider } from '@app/temporal';
import { getStateQuery } from '@app/contracts/workflow';
import { eventually, http, type LoggedIn, type RunningApi, type SampleStack, startSampleStack } from '../support/harness';

const SAMPLE = readFileSync(join(__dirname, '../../libs/plan-parser/fixtures/van-quan-2024-cong-tac-tre-em.md'), 'utf8');

interface Forecast {
  assignments: number;
  overdue: number;
  dueSoon: number;
  lateSteps: Record<string, number>;
  byKind: Record<string, { recipients: number; newWork: number; daily: number }>;
  total: { recipients: number; emails: number; maxPerRecipient: number; medianPerRecipient: number };
  warning: { code: string; message: string } | null;
}

describe('catch-up: work that starts late', () => {
  let stack: SampleStack;
  let api: RunningApi;
  let ds: DataSource;
  let coordinator: LoggedIn;

  beforeAll(async () => {
    // A dead SMTP port: the outbox rows stay as recorded, which is what this file counts.
    stack = await startSampleStack({ SMTP_URL: 'smtp://127.0.0.1:9' });
    ({ api, ds } = stack);
    coordinator = await stack.loginAs('dieuphoi');
  }, 120000);

  afterAll(async () => {
    await stack?.close();
  });

  /** One duty of UBND xã An Sơn per deadline, the local date `days` from today (negative: in the past). */
  async function planWithDeadlines(days: number[]): Promise<string> {
    const org = await api.app.get(OrganisationRepository).load();
    const parsed = parsePlan({ text: SAMPLE, format: 'markdown' }, org);
    const template = parsed.plan.responsibilities[0]!;
    const today = localDate(new Date());
    const plan: Plan = {
      ...parsed.plan,
      responsibilities: days.map((d, i) => ({
        ...template,
        key: `V.3.${10 + i}`,
        text: `${template.text} (hạn ${d} ngày)`,
        unitRef: { kind: 'unit' as const, code: 'VQ-XA-AN-SON', text: 'UBND xã An Sơn' },
        role: 'lead' as const,
        leadUnitRefs: [],
        coordinatingUnitRefs: [],
        recurrence: { kinds: ['once' as const] },
        deadline: { date: addLocalDays(today, d), kind: 'explicit' as const, reason: 'Hạn thử nghiệm' },
      })),
      reportingRules: [],
    };
    return (await api.app.get(PlanRepository).createDraft({ plan, warnings: [], sourceText: SAMPLE, sourceName: 'catch-up.md' }, 'test')).id;
  }

  type Fired = { workflow_id: string; steps: string[] };
  const firedSteps = (planId: string): Promise<Fired[]> =>
    ds.query(
      `SELECT a.workflow_id, coalesce(array_agg(e.data->>'step' ORDER BY e.seq) FILTER (WHERE e.type = 'step_fired'), '{}') AS steps
         FROM assignments a LEFT JOIN assignment_events e ON e.workflow_id = a.workflow_id
        WHERE a.plan_id = $1 GROUP BY a.workflow_id ORDER BY a.workflow_id`,
      [planId],
    );

  it('fires only the latest late step, once, to everyone the skipped steps would have told; the preview said so', async () => {
    // −200 days: past +7d (leader); −4: past +3d; −1: just overdue; +2: due soon; +10: on time.
    const planId = await planWithDeadlines([-200, -4, -1, 2, 10]);
    const preview = await http<{ assignments: number; notices: Forecast }>(api.baseUrl, 'GET', `/api/plans/${planId}/activation-preview`, undefined, coordinator.headers);
    expect(preview.status).toBe(200);
    const forecast = preview.body.notices;
    expect(forecast).toMatchObject({ assignments: 5, overdue: 3, dueSoon: 1, lateSteps: { leadership_7d: 1, escalate_3d: 1, overdue: 1 } });
    expect(forecast.warning).toMatchObject({ code: 'SOME_DEADLINES_PASSED', message: expect.stringContaining('3/5 nhiệm vụ đã quá hạn') });

    const activated = await http<{ workflowId: string }>(api.baseUrl, 'POST', `/api/plans/${planId}/activate`, {}, coordinator.headers);
    expect(activated.status).toBe(202);
    const client = api.app.get(TemporalClientProvider).client;
    await client.workflow.getHandle(activated.body.workflowId).result();

    const byKey = (rows: Fired[]) => Object.fromEntries(rows.map((r) => [r.workflow_id.split(':')[2], r.steps]));
    const fired = await eventually(() => firedSteps(planId), (rows) => rows.length === 5 && rows.filter((r) => r.steps.length > 0).length === 3, 60000);
    // Time for a replayed ladder to show itself, had one been started.
    await new Promise((r) => setTimeout(r, 3000));
    expect(byKey(await firedSteps(planId))).toEqual(byKey(fired));
    expect(byKey(fired)).toEqual({ 'V.3.10': ['leadership_7d'], 'V.3.11': ['escalate_3d'], 'V.3.12': ['overdue'], 'V.3.13': [], 'V.3.14': [] });

    // The level each starts at is the level of that step; the earlier steps count as done, the later ones wait.
    const levels = await ds.query(`SELECT item_key, escalation_level FROM assignments WHERE plan_id = $1 ORDER BY item_key`, [planId]);
    expect(levels.map((r: { item_key: string; escalation_level: number }) => `${r.item_key}:${r.escalation_level}`)).toEqual(['V.3.10:3', 'V.3.11:2', 'V.3.12:1', 'V.3.13:0', 'V.3.14:0']);
    const state = await client.workflow.getHandle(`asg:${planId}:V.3.11:VQ-XA-AN-SON:once`).query(getStateQuery);
    expect(state.firedSteps).toEqual(['reminder_7d', 'reminder_1d', 'overdue', 'escalate_3d']);

    // The outbox: every assignment's 'assigned' row, plus one late step per late assignment, addressed to the
    // audience of every late step up to it (the +7d one reaches the unit, its head, the supervisor and the leader).
    type Row = { item: string; step_key: string; audience: string; recipient: string };
    const rows: Row[] = await eventually(
      () => ds.query(`SELECT split_part(workflow_id, ':', 3) AS item, step_key, audience, recipient FROM notifications WHERE workflow_id LIKE $1 ORDER BY 1, 2, 3`, [`asg:${planId}:%`]),
      (r: Row[]) => r.filter((x) => x.step_key === 'assigned').length === 5 && new Set(r.filter((x) => x.step_key !== 'assigned').map((x) => x.item)).size === 3,
      30000,
    );
    const steps = (item: string) => [...new Set(rows.filter((r) => r.item === item && r.step_key !== 'assigned').map((r) => `${r.step_key}/${r.audience}`))].sort();
    expect(steps('V.3.12')).toEqual(['overdue/assignee', 'overdue/assignee_head']);
    expect(steps('V.3.11')).toEqual(expect.arrayContaining(['escalate_3d/assignee', 'escalate_3d/assignee_head', 'escalate_3d/supervisor']));
    expect(steps('V.3.11').some((s) => s.endsWith('/leader'))).toBe(false);
    expect(steps('V.3.10')).toEqual(expect.arrayContaining(['leadership_7d/assignee', 'leadership_7d/assignee_head', 'leadership_7d/supervisor', 'leadership_7d/leader']));
    expect(steps('V.3.13')).toEqual([]);

    // Under the batching rules each address gets one new-work email if it had an 'assigned' row and one daily
    // email if it had any late-step row: exactly the preview's figures.
    const perAddress = new Map<string, Set<string>>();
    for (const r of rows) {
      const batches = perAddress.get(r.recipient) ?? new Set<string>();
      batches.add(r.step_key === 'assigned' ? 'new' : 'daily');
      perAddress.set(r.recipient, batches);
    }
    const counts = [...perAddress.values()].map((b) => b.size);
    expect(forecast.total).toMatchObject({ recipients: perAddress.size, emails: counts.reduce((s, n) => s + n, 0), maxPerRecipient: Math.max(...counts) });
    const reachedAs = (role: string) => new Set(rows.filter((r) => r.audience === role).map((r) => r.recipient)).size;
    for (const role of ['assignee', 'assignee_head', 'supervisor', 'leader']) expect(forecast.byKind[role]!.recipients).toBe(reachedAs(role));
  }, 180000);
});
