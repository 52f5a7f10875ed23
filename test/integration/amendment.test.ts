// Amending an active plan over HTTP: the coordinator previews, confirms, and the running work follows —
// new responsibilities start, removed ones are cancelled, moved deadlines re-arm (finished work and granted
// extensions are left alone); a resumed amendment does nothing twice; the plan's audit trail tells the story.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OrganisationRepository, PlanRepository } from '@app/persistence';
import { parsePlan } from '@app/plan-parser';
import { TemporalClientProvider } from '@app/temporal';
import { type AssignmentSnapshot, getStateQuery } from '@app/contracts/workflow';
import { eventually, http, type LoggedIn, type SampleStack, startSampleStack } from '../support/harness';

const SAMPLE = readFileSync(
  join(__dirname, '../../libs/plan-parser/fixtures/van-quan-2024-cong-tac-tre-em.md'),
  'utf8',
);
const COMMUNES = 17;
/** End of a local (UTC+7) day, as deadlines are stored. */
const endOf = (date: string): string => new Date(`${date}T16:59:59.999Z`).toISOString();

interface AmendmentView {
  id: string;
  status: string;
  fromRevision: number;
  toRevision: number;
  planned: Record<string, number>;
  result: Record<string, number> | null;
  workflowId: string;
}

describe('amending an active plan', () => {
  let stack: SampleStack;
  let base: string;
  let coordinator: LoggedIn;
  let officer: LoggedIn;
  let leader: LoggedIn;
  let planId: string;

  const get = <T>(who: LoggedIn, path: string) => http<T>(base, 'GET', path, undefined, who.headers);
  const post = <T>(who: LoggedIn, path: string, body: unknown) =>
    http<T>(base, 'POST', path, body, who.headers);
  const act = (who: LoggedIn, workflowId: string, body: unknown) =>
    post<{ status: string; deadline: string }>(
      who,
      `/api/assignments/${encodeURIComponent(workflowId)}/actions`,
      body,
    );
  const wf = (item: string, unit: string) => `asg:${planId}:${item}:${unit}:once`;
  const revision = async () =>
    (await get<{ revision: number }>(coordinator, `/api/plans/${planId}`)).body.revision;
  const rows = async (
    item: string,
  ): Promise<Array<{ unit_code: string; status: string; deadline: Date | null; title: string }>> =>
    stack.ds.query(
      `SELECT unit_code, status, deadline, title FROM assignments WHERE plan_id = $1 AND item_key = $2 ORDER BY unit_code`,
      [planId, item],
    );
  const finished = (amendmentId: string) =>
    eventually(
      async () =>
        (await get<AmendmentView>(coordinator, `/api/plans/${planId}/amendments/${amendmentId}`)).body,
      (a) => a.status !== 'running',
      120000,
    );

  beforeAll(async () => {
    // A dead SMTP port: notices stay pending in the outbox, where this file reads them.
    stack = await startSampleStack({ SMTP_URL: 'smtp://127.0.0.1:9' });
    base = stack.api.baseUrl;
    [coordinator, officer, leader] = await Promise.all(
      ['dieuphoi', 'xa-an-son.canbo', 'lanhdao'].map((u) => stack.loginAs(u)),
    );
    // Three duties of the sample plan, with deadlines still ahead so no escalation runs while the test acts:
    // V.1.2 and V.1.3 for the lead department, V.3.4 (the drowning-site survey) for the 17 communes.
    const org = await stack.api.app.get(OrganisationRepository).load();
    const parsed = parsePlan({ text: SAMPLE, format: 'markdown' }, org);
    const keep = new Set(['V.1.2', 'V.1.3', 'V.3.4']);
    const plan = {
      ...parsed.plan,
      responsibilities: parsed.plan.responsibilities
        .filter((r) => keep.has(r.key))
        .map((r) => ({
          ...r,
          deadline: { date: '2027-06-30', kind: 'explicit' as const, reason: 'Trước 30/6' },
        })),
      reportingRules: [],
    };
    planId = (
      await stack.api.app
        .get(PlanRepository)
        .createDraft({ plan, warnings: [], sourceText: SAMPLE, sourceName: 'sample.md' }, 'test')
    ).id;
    const activated = await post<{ workflowId: string; expected: number }>(
      coordinator,
      `/api/plans/${planId}/activate`,
      {},
    );
    expect(activated.body.expected).toBe(2 + COMMUNES);
    await stack.api.app
      .get(TemporalClientProvider)
      .client.workflow.getHandle(activated.body.workflowId)
      .result();
    await eventually(
      async () => (await rows('V.3.4')).length,
      (n) => n === COMMUNES,
      60000,
    );
  }, 240000);

  afterAll(async () => {
    await stack?.close();
  });

  it('previews, amends, and the running work follows: start, cancel, re-arm; finished work and extensions stay', async () => {
    // An Sơn finishes its survey before the amendment; Bình Phúc has an extension to 31/8/2027.
    expect(
      (await act(officer, wf('V.3.4', 'VQ-XA-AN-SON'), { type: 'submit', text: 'Đã rà soát 4 điểm' })).body
        .status,
    ).toBe('submitted');
    expect((await act(coordinator, wf('V.3.4', 'VQ-XA-AN-SON'), { type: 'approve' })).body.status).toBe(
      'done',
    );
    const binhPhuc = await stack.loginAs('xa-binh-phuc.canbo');
    await act(binhPhuc, wf('V.3.4', 'VQ-XA-BINH-PHUC'), {
      type: 'request-extension',
      newDeadline: endOf('2027-08-31'),
      reason: 'Chờ kinh phí',
    });
    expect(
      (await act(coordinator, wf('V.3.4', 'VQ-XA-BINH-PHUC'), { type: 'decide-extension', grant: true })).body
        .deadline,
    ).toBe(endOf('2027-08-31'));

    const plan = (
      await get<{ revision: number; plan: { responsibilities: Array<{ key: string }> } }>(
        coordinator,
        `/api/plans/${planId}`,
      )
    ).body;
    const v13 = plan.plan.responsibilities.find((r) => r.key === 'V.1.3')!;
    const changes = [
      // The survey must be done before summer: 31/3/2027 instead of 30/6.
      {
        path: 'responsibilities[V.3.4].deadline',
        value: { date: '2027-03-31', kind: 'explicit', reason: 'Trước mùa hè' },
      },
      // Appending is a set at index = length; changes apply in order, so before the removal.
      {
        path: `responsibilities.${plan.plan.responsibilities.length}`,
        value: {
          ...v13,
          key: 'V.1.9',
          text: 'Tổ chức tập huấn kỹ năng phòng, chống đuối nước cho giáo viên',
        },
      },
      { op: 'remove', path: 'responsibilities[V.1.2]' },
    ];

    const preview = await post<{
      counts: Record<string, number>;
      amend: Array<{ unitCode: string; deadlineBefore: string; deadlineAfter: string }>;
      start: unknown[];
      cancel: unknown[];
    }>(coordinator, `/api/plans/${planId}/amendment-preview`, { revision: plan.revision, changes });
    expect(preview.body).toMatchObject({ counts: expect.any(Object) });
    expect(preview.status).toBe(200);
    expect(preview.body.counts).toEqual({ start: 1, cancel: 1, amend: COMMUNES, unchanged: 1 });
    expect(preview.body.amend[0]).toMatchObject({
      deadlineBefore: endOf('2027-06-30'),
      deadlineAfter: endOf('2027-03-31'),
    });
    expect(await revision()).toBe(plan.revision); // a preview stores nothing

    // What it would mail: nothing is late, so one new-work email per address of the units whose work starts or
    // moves (the lead department's V.1.9, the communes' new date) and no daily email.
    type Notices = {
      scope: string;
      overdue: number;
      dueSoon: number;
      lateSteps: Record<string, number>;
      byKind: Record<string, { recipients: number; newWork: number; daily: number }>;
      total: { recipients: number; emails: number; maxPerRecipient: number };
      warning: { code: string; message: string } | null;
    };
    const org = await stack.api.app.get(OrganisationRepository).load();
    const addressesOf = (codes: string[]) => new Set(codes.flatMap((c) => org.unit(c)!.emails.map((e) => e.toLowerCase()))).size;
    const communeCodes = [...new Set((await rows('V.3.4')).map((r) => r.unit_code))];
    const leadCodes = [...new Set((await rows('V.1.3')).map((r) => r.unit_code))];
    const notices = (preview.body as unknown as { notices: Notices }).notices;
    expect(notices).toMatchObject({ scope: 'amendment', overdue: 0, dueSoon: 0, warning: null });
    expect(notices.lateSteps).toEqual({});
    expect(notices.byKind.assignee).toEqual({ recipients: addressesOf([...communeCodes, ...leadCodes]), newWork: addressesOf([...communeCodes, ...leadCodes]), daily: 0 });
    expect(notices.total).toMatchObject({ emails: notices.total.recipients, maxPerRecipient: 1 });

    // The same survey moved to four days ago instead: the communes' work is overdue at once, each re-armed at
    // its latest late step (+3 days, to the supervising and lead units), and the coordinator is warned.
    const today = new Date(Date.now() + 7 * 3_600_000);
    const fourDaysAgo = new Date(today.getTime() - 4 * 86_400_000).toISOString().slice(0, 10);
    const late = await post<{ notices: Notices }>(coordinator, `/api/plans/${planId}/amendment-preview`, {
      revision: plan.revision,
      changes: [{ path: 'responsibilities[V.3.4].deadline', value: { date: fourDaysAgo, kind: 'explicit', reason: 'Thử' } }],
    });
    expect(late.status).toBe(200);
    expect(late.body.notices).toMatchObject({ overdue: COMMUNES, lateSteps: { escalate_3d: COMMUNES }, warning: { code: 'ALL_DEADLINES_PASSED' } });
    expect(late.body.notices.warning!.message).toContain('Tất cả thời hạn sau điều chỉnh đã qua');
    expect(late.body.notices.byKind.assignee).toMatchObject({ newWork: addressesOf(communeCodes), daily: 0 });
    expect(late.body.notices.byKind.supervisor!.daily).toBeGreaterThan(0);
    expect(late.body.notices.byKind.leader!.recipients).toBe(0);
    expect(await revision()).toBe(plan.revision);

    // Who may amend, and what is refused without losing anything.
    expect(
      (
        await post(officer, `/api/plans/${planId}/amendments`, {
          revision: plan.revision,
          changes,
          reason: 'x',
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await post(leader, `/api/plans/${planId}/amendments`, {
          revision: plan.revision,
          changes,
          reason: 'x',
        })
      ).status,
    ).toBe(403);
    expect(
      (await post(coordinator, `/api/plans/${planId}/amendments`, { revision: plan.revision, changes }))
        .status,
    ).toBe(400);
    const stale = await post<{ error: { code: string } }>(coordinator, `/api/plans/${planId}/amendments`, {
      revision: plan.revision - 1,
      changes,
      reason: 'x',
    });
    expect(stale.status).toBe(409);
    const year = await post<{ error: { code: string; fields: Record<string, string[]> } }>(
      coordinator,
      `/api/plans/${planId}/amendments`,
      {
        revision: plan.revision,
        changes: [{ path: 'metadata.year', value: 2025 }],
        reason: 'x',
      },
    );
    expect(year.status).toBe(422);
    expect(year.body.error.fields['metadata.year']).toHaveLength(1);
    const unknownUnit = await post<{ error: { code: string } }>(
      coordinator,
      `/api/plans/${planId}/amendments`,
      {
        revision: plan.revision,
        changes: [{ path: 'responsibilities[V.3.4].unitRef.code', value: 'KHONG-CO' }],
        reason: 'x',
      },
    );
    expect(unknownUnit.status).toBe(422);
    expect(await revision()).toBe(plan.revision);

    const amended = await post<AmendmentView>(coordinator, `/api/plans/${planId}/amendments`, {
      revision: plan.revision,
      changes,
      reason: 'Đưa khảo sát lên trước mùa hè',
    });
    expect(amended.status).toBe(202);
    expect(amended.body).toMatchObject({
      status: 'running',
      fromRevision: plan.revision,
      toRevision: plan.revision + 1,
      planned: { start: 1, cancel: 1, amend: COMMUNES, unchanged: 1 },
    });
    const done = await finished(amended.body.id);
    // An Sơn's finished survey is closed and left alone; the other 16 take the new deadline (Bình Phúc keeps its later one).
    expect(done).toMatchObject({
      status: 'done',
      result: { started: 1, cancelled: 1, amended: COMMUNES - 1, skipped: 1, total: 2 + COMMUNES },
    });

    const survey = await rows('V.3.4');
    const deadlineOf = (unit: string) => survey.find((r) => r.unit_code === unit)!.deadline!.toISOString();
    expect(deadlineOf('VQ-XA-AN-SON')).toBe(endOf('2027-06-30'));
    expect(survey.find((r) => r.unit_code === 'VQ-XA-AN-SON')!.status).toBe('done');
    expect(deadlineOf('VQ-XA-BINH-PHUC')).toBe(endOf('2027-08-31'));
    expect(survey.filter((r) => r.deadline!.toISOString() === endOf('2027-03-31'))).toHaveLength(
      COMMUNES - 2,
    );
    expect((await rows('V.1.2')).map((r) => r.status)).toEqual(['cancelled']);
    await eventually(
      () => rows('V.1.9'),
      (r) => r.length === 1 && r[0].title.startsWith('Tổ chức tập huấn'),
      30000,
    );

    // The workflow itself re-armed: its state says the new deadline, and each moved unit was told once.
    const client = stack.api.app.get(TemporalClientProvider).client;
    const state: AssignmentSnapshot = await client.workflow
      .getHandle(wf('V.3.4', 'VQ-XA-TAN-DOAN'))
      .query(getStateQuery);
    expect(state).toMatchObject({
      deadline: endOf('2027-03-31'),
      lastAmendmentId: amended.body.id,
      firedSteps: [],
    });
    const told = await stack.ds.query(
      `SELECT count(DISTINCT workflow_id)::int AS n FROM notifications WHERE kind = 'deadline_changed' AND workflow_id LIKE $1`,
      [`asg:${planId}:V.3.4:%`],
    );
    expect(told[0].n).toBe(COMMUNES - 2);

    // A resumed amendment (a second run of its workflow) finds everything done and changes nothing.
    const events = async () =>
      Number(
        (
          await stack.ds.query(`SELECT count(*)::int AS n FROM assignment_events WHERE workflow_id LIKE $1`, [
            `asg:${planId}:%`,
          ])
        )[0].n,
      );
    const before = await events();
    const rerun = await client.workflow.execute('planAmendmentWorkflow', {
      workflowId: `${amended.body.workflowId}:rerun`,
      taskQueue: stack.config.temporal.taskQueue,
      args: [{ amendmentId: amended.body.id, planId, batchSize: 5 }],
    });
    expect(rerun).toEqual({
      started: 0,
      cancelled: 0,
      amended: 0,
      skipped: 2 + COMMUNES,
      total: 2 + COMMUNES,
    });
    expect(await events()).toBe(before);

    // The plan shows the amended document, and its audit trail the amendment and its outcome.
    const after = (
      await get<{ revision: number; plan: { responsibilities: Array<{ key: string }> } }>(
        coordinator,
        `/api/plans/${planId}`,
      )
    ).body;
    expect(after.revision).toBe(plan.revision + 1);
    expect(after.plan.responsibilities.map((r) => r.key)).toEqual(['V.1.3', 'V.3.4', 'V.1.9']);
    const edits = await get<{ items: Array<{ action: string; path: string | null }> }>(
      coordinator,
      `/api/plans/${planId}/edits?pageSize=100`,
    );
    expect(edits.body.items.filter((e) => e.action === 'amend').map((e) => e.path)).toHaveLength(3);
    expect(edits.body.items.filter((e) => e.action === 'amended')).toHaveLength(1);
    const list = await get<AmendmentView[]>(leader, `/api/plans/${planId}/amendments`);
    expect(list.body.map((a) => a.id)).toEqual([amended.body.id]);
  }, 300000);

  it('an amendment stored but never started (the API stopped) is resumed by the next request, which waits its turn', async () => {
    const current = await revision();
    const repo = stack.api.app.get(PlanRepository);
    // Stored exactly as the API stores it, without starting the workflow: what a crash in between leaves.
    const { amendment } = await repo.amend(
      planId,
      {
        revision: current,
        changes: [
          {
            path: 'responsibilities[V.1.3].text',
            value: 'Tăng cường chỉ đạo công tác phòng, chống đuối nước dịp hè',
          },
        ],
        reason: 'Sửa lời văn',
        planned: () => ({ amend: 1 }),
      },
      'test',
    );
    const next = [
      {
        path: 'responsibilities[V.1.9].deadline',
        value: { date: '2027-05-15', kind: 'explicit', reason: 'Trước hè' },
      },
    ];
    const busy = await post<{ error: { code: string } }>(coordinator, `/api/plans/${planId}/amendments`, {
      revision: current + 1,
      changes: next,
      reason: 'Tập huấn sớm hơn',
    });
    expect(busy.status).toBe(409);
    expect(await finished(amendment.id)).toMatchObject({ status: 'done', result: { amended: 1, total: 1 } });
    expect((await rows('V.1.3'))[0].title).toBe('Tăng cường chỉ đạo công tác phòng, chống đuối nước dịp hè');

    const ok = await post<AmendmentView>(coordinator, `/api/plans/${planId}/amendments`, {
      revision: current + 1,
      changes: next,
      reason: 'Tập huấn sớm hơn',
    });
    expect(ok.status).toBe(202);
    expect(await finished(ok.body.id)).toMatchObject({ status: 'done', result: { amended: 1 } });
    expect((await rows('V.1.9'))[0].deadline!.toISOString()).toBe(endOf('2027-05-15'));

    // Cancelling the plan afterwards ends the work the amendments started too.
    const cancelled = await post<{ workflowId: string }>(coordinator, `/api/plans/${planId}/cancel`, {
      reason: 'Kết thúc thử nghiệm',
    });
    const client = stack.api.app.get(TemporalClientProvider).client;
    await client.workflow.getHandle(cancelled.body.workflowId).result();
    await eventually(
      () => client.workflow.count(`DondocPlanId = '${planId}' AND ExecutionStatus = 'Running'`),
      (c) => c.count === 0,
      60000,
    );
    const late = await post<{ error: { code: string } }>(
      coordinator,
      `/api/plans/${planId}/amendment-preview`,
      { revision: current + 2, changes: next },
    );
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('INVALID_TRANSITION');
  }, 300000);
});
