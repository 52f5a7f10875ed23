// A whole deadline ladder, months of it, on the time-skipping test server with the real activities and
// PostgreSQL: reminders, overdue, escalations, each exactly once and in order; none after approval;
// an extension re-arms them; cancellation stops them.
import { randomUUID } from 'node:crypto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { DataSource } from 'typeorm';
import { DEFAULT_ESCALATION_POLICY } from '@app/domain';
import { dataSourceOptions, TypeormAssignmentReadModel, TypeormOutboxRepository } from '@app/persistence';
import {
  acknowledgeUpdate,
  amendUpdate,
  approveUpdate,
  type AssignmentInput,
  type AssignmentSnapshot,
  cancelUpdate,
  decideExtensionUpdate,
  getStateQuery,
  reassignUpdate,
  requestExtensionUpdate,
  SEARCH_ATTRIBUTES,
  submitUpdate,
} from '@app/contracts/workflow';
import { temporal } from '@temporalio/proto';
import { createAssignmentActivities } from '../../apps/worker/src/assignment.activities';

const DAY = 86_400_000;
const LADDER = ['reminder_7d', 'reminder_1d', 'overdue', 'escalate_3d', 'leadership_7d'];

describe('assignment workflow over months of simulated time', () => {
  let env: TestWorkflowEnvironment;
  let ds: DataSource;
  let worker: Worker;
  let running: Promise<void>;
  const taskQueue = `ladder-${randomUUID()}`;

  beforeAll(async () => {
    Runtime.install({ logger: new DefaultLogger('WARN') });
    const path = process.env.TEMPORAL_TEST_SERVER_PATH;
    env = await TestWorkflowEnvironment.createTimeSkipping(
      path ? { server: { executable: { type: 'existing-path', path } } } : undefined,
    );
    // The test server knows no custom search attributes until told, like a fresh cluster.
    await env.connection.operatorService.addSearchAttributes({
      namespace: env.namespace ?? 'default',
      searchAttributes: Object.fromEntries(
        Object.entries(SEARCH_ATTRIBUTES).map(([name, type]) => [name, type === 'Keyword' ? temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD : temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DATETIME]),
      ),
    });
    ds = await new DataSource(dataSourceOptions(process.env.DONDOC_TEST_DATABASE_URL!, 4)).initialize();
    worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: { codePath: process.env.WORKFLOW_BUNDLE_PATH! },
      activities: createAssignmentActivities({ readModel: new TypeormAssignmentReadModel(ds), outbox: new TypeormOutboxRepository(ds) }),
    });
    running = worker.run();
  });

  afterAll(async () => {
    worker?.shutdown();
    await running;
    await ds?.destroy();
    await env?.teardown();
  });

  async function start(deadlineInDays: number): Promise<{ workflowId: string; input: AssignmentInput }> {
    const now = await env.currentTimeMs();
    const planId = randomUUID();
    const input: AssignmentInput = {
      planId,
      planNumber: null,
      planTitle: 'Kế hoạch công tác trẻ em năm 2024',
      itemKey: 'V.3.4',
      kind: 'responsibility',
      title: 'Rà soát các khu vực thường xuyên xảy ra tai nạn đuối nước',
      role: 'lead',
      unitCode: 'VQ-XA-AN-SON',
      leadUnitCode: 'VQ-LDTBXH',
      periodKey: 'once',
      periodLabel: '',
      deadline: new Date(now + deadlineInDays * DAY).toISOString(),
      escalation: DEFAULT_ESCALATION_POLICY.map((s) => ({ ...s, audience: [...s.audience] })),
    };
    const workflowId = `asg:${planId}:V.3.4:VQ-XA-AN-SON:once`;
    await env.client.workflow.start('assignmentWorkflow', { workflowId, taskQueue, args: [input] });
    return { workflowId, input };
  }

  const eventuallyRecorded = async (workflowId: string, type: string): Promise<void> => {
    for (let i = 0; i < 200; i++) {
      const rows = await ds.query(`SELECT 1 FROM assignment_events WHERE workflow_id = $1 AND type = $2`, [workflowId, type]);
      if (rows.length > 0) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`${workflowId}: no '${type}' event recorded`);
  };

  const firedSteps = async (workflowId: string): Promise<string[]> =>
    (
      await ds.query(`SELECT data->>'step' AS step FROM assignment_events WHERE workflow_id = $1 AND type = 'step_fired' ORDER BY seq`, [
        workflowId,
      ])
    ).map((r: { step: string }) => r.step);

  const outbox = async (workflowId: string): Promise<string[]> =>
    (
      await ds.query(`SELECT step_key || '/' || audience AS k FROM notifications WHERE workflow_id = $1 ORDER BY created_at, step_key, audience`, [
        workflowId,
      ])
    ).map((r: { k: string }) => r.k);

  it('fires −7d, −1d, overdue, +3d and +7d in that order, once each', async () => {
    const { workflowId } = await start(60);
    const handle = env.client.workflow.getHandle(workflowId);
    await handle.executeUpdate(acknowledgeUpdate, { args: [{ actor: 'officer' }] });

    await env.sleep(52 * DAY); // 8 days before the deadline: nothing yet
    expect(await firedSteps(workflowId)).toEqual([]);
    await env.sleep(2 * DAY); // past −7d
    expect(await firedSteps(workflowId)).toEqual(['reminder_7d']);
    await env.sleep(6 * DAY + 3_600_000); // past −1d and the deadline itself
    expect(await firedSteps(workflowId)).toEqual(['reminder_7d', 'reminder_1d', 'overdue']);
    await env.sleep(10 * DAY); // past +3d and +7d
    expect(await firedSteps(workflowId)).toEqual(LADDER);
    await env.sleep(90 * DAY); // months later: nothing fires twice
    expect(await firedSteps(workflowId)).toEqual(LADDER);

    const state: AssignmentSnapshot = await handle.query(getStateQuery);
    expect(state.escalationLevel).toBe(3);
    expect(await outbox(workflowId)).toEqual(
      expect.arrayContaining(['assigned/assignee', 'reminder_7d/assignee', 'overdue/assignee_head', 'escalate_3d/supervisor', 'leadership_7d/leader']),
    );
    const row = (await ds.query(`SELECT status, escalation_level FROM assignments WHERE workflow_id = $1`, [workflowId]))[0];
    expect(row).toEqual({ status: 'acknowledged', escalation_level: 3 });
  });

  it('sends nothing after approval', async () => {
    const { workflowId } = await start(30);
    const handle = env.client.workflow.getHandle(workflowId);
    await env.sleep(24 * DAY); // −6d: first reminder fired
    await handle.executeUpdate(submitUpdate, { args: [{ actor: 'officer', text: 'Đã rà soát 12 điểm, lắp 8 biển cảnh báo' }] });
    await handle.executeUpdate(approveUpdate, { args: [{ actor: 'coordinator' }] });
    const result = await handle.result();
    expect(result.status).toBe('done');
    await env.sleep(60 * DAY);
    expect(await firedSteps(workflowId)).toEqual(['reminder_7d']);
  });

  it('re-arms the ladder when an extension moves the deadline', async () => {
    const { workflowId, input } = await start(20);
    const handle = env.client.workflow.getHandle(workflowId);
    await env.sleep(20 * DAY + 3_600_000); // deadline passed: reminders and overdue fired
    expect(await firedSteps(workflowId)).toEqual(['reminder_7d', 'reminder_1d', 'overdue']);
    const newDeadline = new Date(Date.parse(input.deadline!) + 30 * DAY).toISOString();
    await handle.executeUpdate(requestExtensionUpdate, { args: [{ actor: 'officer', newDeadline, reason: 'Mưa lũ, chưa tiếp cận được các điểm' }] });
    const granted = await handle.executeUpdate(decideExtensionUpdate, { args: [{ actor: 'coordinator', grant: true }] });
    expect(granted.deadline).toBe(newDeadline);
    expect(granted.escalationLevel).toBe(0);
    await env.sleep(40 * DAY); // through the new deadline and past +7d
    expect(await firedSteps(workflowId)).toEqual(['reminder_7d', 'reminder_1d', 'overdue', ...LADDER]);
  });

  it('re-arms the ladder when a plan amendment moves the deadline, once per amendment', async () => {
    const { workflowId, input } = await start(20);
    const handle = env.client.workflow.getHandle(workflowId);
    await env.sleep(14 * DAY); // −6d: the first reminder went out
    expect(await firedSteps(workflowId)).toEqual(['reminder_7d']);
    const later = new Date(Date.parse(input.deadline!) + 20 * DAY).toISOString();
    const change = { actor: 'coordinator', comment: 'Lùi hạn khảo sát', amendmentId: randomUUID(), input: { ...input, deadline: later }, previousDeadline: input.deadline, fields: ['deadline'] };
    const amended = await handle.executeUpdate(amendUpdate, { args: [change] });
    expect(amended.deadline).toBe(later);
    expect(amended.firedSteps).toEqual([]);
    // The amendment workflow resumes after a crash: the same amendment is refused the second time and changes nothing.
    await expect(handle.executeUpdate(amendUpdate, { args: [change] })).rejects.toMatchObject({ cause: expect.objectContaining({ type: 'ALREADY_AMENDED' }) });
    expect((await handle.query(getStateQuery)).seq).toBe(amended.seq);
    await env.sleep(10 * DAY); // the old deadline passes: nothing, the new −7d is still ahead
    expect(await firedSteps(workflowId)).toEqual(['reminder_7d']);
    await env.sleep(30 * DAY); // through the new deadline and past +7d
    expect(await firedSteps(workflowId)).toEqual(['reminder_7d', ...LADDER]);
    const events = await ds.query(`SELECT count(*)::int AS n FROM assignment_events WHERE workflow_id = $1 AND type = 'amended'`, [workflowId]);
    expect(events[0].n).toBe(1);
    expect(await outbox(workflowId)).toEqual(expect.arrayContaining([`amended-${amended.seq}/assignee`]));
    const row = (await ds.query(`SELECT deadline FROM assignments WHERE workflow_id = $1`, [workflowId]))[0];
    expect(new Date(row.deadline).toISOString()).toBe(later);
  });

  it('an amendment that brings the deadline into the past fires only the latest late step, and keeps a later extension', async () => {
    const { workflowId, input } = await start(40);
    const handle = env.client.workflow.getHandle(workflowId);
    const now = await env.currentTimeMs();
    // Amended to a deadline four days ago: −7d, −1d and overdue lie in the past; +3d is the latest late step.
    const past = new Date(now - 4 * DAY).toISOString();
    await handle.executeUpdate(amendUpdate, {
      args: [{ actor: 'coordinator', amendmentId: randomUUID(), input: { ...input, deadline: past }, previousDeadline: input.deadline, fields: ['deadline'] }],
    });
    await env.sleep(DAY);
    expect(await firedSteps(workflowId)).toEqual(['escalate_3d']);
    expect((await handle.query(getStateQuery)).escalationLevel).toBe(2);

    // The unit then obtains an extension; a later amendment with an earlier plan deadline does not take it away.
    const extended = new Date(now + 30 * DAY).toISOString();
    await handle.executeUpdate(requestExtensionUpdate, { args: [{ actor: 'officer', newDeadline: extended, reason: 'Chờ kinh phí làm biển báo' }] });
    await handle.executeUpdate(decideExtensionUpdate, { args: [{ actor: 'coordinator', grant: true }] });
    const kept = await handle.executeUpdate(amendUpdate, {
      args: [{ actor: 'coordinator', amendmentId: randomUUID(), input: { ...input, deadline: new Date(now + 10 * DAY).toISOString(), title: 'Rà soát, cắm biển cảnh báo' }, previousDeadline: past, fields: ['deadline', 'title'] }],
    });
    expect(kept.deadline).toBe(extended);
    expect(kept.input.title).toBe('Rà soát, cắm biển cảnh báo');
    expect(kept.recentEvents.at(-1)).toMatchObject({ type: 'amended', data: expect.objectContaining({ keptExtension: true }) });
    // An amendment for other work is refused and changes nothing.
    await expect(
      handle.executeUpdate(amendUpdate, { args: [{ actor: 'coordinator', amendmentId: randomUUID(), input: { ...input, unitCode: 'VQ-XA-BINH-PHUC' }, previousDeadline: null, fields: [] }] }),
    ).rejects.toMatchObject({ cause: expect.objectContaining({ type: 'INVALID_AMENDMENT' }) });
    // Finished work is closed: an amendment cannot reach it (the amendment activity counts it as skipped).
    await handle.executeUpdate(cancelUpdate, { args: [{ actor: 'coordinator', reason: 'dọn dẹp' }] });
    await expect(
      handle.executeUpdate(amendUpdate, { args: [{ actor: 'coordinator', amendmentId: randomUUID(), input, previousDeadline: null, fields: [] }] }),
    ).rejects.toThrow();
    expect((await handle.result()).deadline).toBe(extended);
  });

  it('work that starts late fires its latest late step once, to everyone the skipped steps would have told; later steps keep their timers', async () => {
    // Four days late at start: −7d, −1d, overdue and +3d lie behind; +7d is three days ahead.
    const { workflowId } = await start(-4);
    const handle = env.client.workflow.getHandle(workflowId);
    await env.sleep(3_600_000);
    expect(await firedSteps(workflowId)).toEqual(['escalate_3d']);
    const state = await handle.query(getStateQuery);
    expect(state).toMatchObject({ escalationLevel: 2, lastStepKey: 'escalate_3d', firedSteps: ['reminder_7d', 'reminder_1d', 'overdue', 'escalate_3d'] });
    expect((await outbox(workflowId)).filter((k) => k.startsWith('escalate_3d/')).sort()).toEqual(
      expect.arrayContaining(['escalate_3d/assignee', 'escalate_3d/assignee_head', 'escalate_3d/supervisor']),
    );
    expect(await outbox(workflowId)).not.toContain('overdue/assignee');
    await env.sleep(4 * DAY); // past +7d: the leader is told on time, once, as the ladder says
    expect(await firedSteps(workflowId)).toEqual(['escalate_3d', 'leadership_7d']);
    expect((await outbox(workflowId)).filter((k) => k.startsWith('leadership_7d/'))).toEqual(['leadership_7d/leader']);
    expect((await handle.query(getStateQuery)).escalationLevel).toBe(3);
    await handle.executeUpdate(cancelUpdate, { args: [{ actor: 'coordinator', reason: 'dọn dẹp' }] });
  });

  it('stops every timer on cancellation', async () => {
    const { workflowId } = await start(10);
    const handle = env.client.workflow.getHandle(workflowId);
    await handle.executeUpdate(cancelUpdate, { args: [{ actor: 'coordinator', reason: 'Kế hoạch điều chỉnh' }] });
    expect((await handle.result()).status).toBe('cancelled');
    await env.sleep(30 * DAY);
    expect(await firedSteps(workflowId)).toEqual([]);
  });

  it('after a reassignment, the old unit can no longer act on the work; the new unit can', async () => {
    const { workflowId } = await start(10);
    const handle = env.client.workflow.getHandle(workflowId);
    await handle.executeUpdate(reassignUpdate, { args: [{ actor: 'coordinator', unitCode: 'VQ-XA-BINH-PHUC' }] });
    await expect(handle.executeUpdate(acknowledgeUpdate, { args: [{ actor: 'an-son', unitCode: 'VQ-XA-AN-SON' }] })).rejects.toMatchObject({
      cause: expect.objectContaining({ type: 'NOT_ASSIGNEE' }),
    });
    await expect(handle.executeUpdate(submitUpdate, { args: [{ actor: 'an-son', unitCode: 'VQ-XA-AN-SON', text: 'x' }] })).rejects.toMatchObject({
      cause: expect.objectContaining({ type: 'NOT_ASSIGNEE' }),
    });
    expect((await handle.executeUpdate(acknowledgeUpdate, { args: [{ actor: 'binh-phuc', unitCode: 'VQ-XA-BINH-PHUC' }] })).status).toBe('acknowledged');
    await handle.executeUpdate(cancelUpdate, { args: [{ actor: 'coordinator', reason: 'dọn dẹp' }] });
  });

  it('records a repeated action once: copies queued behind the first are checked again and refused', async () => {
    // An officer whose request timed out asks again while the first is still waiting for the workflow's lock;
    // sent together, the copies are accepted in one workflow task, each validated while the work is still 'assigned'.
    const { workflowId } = await start(10);
    const handle = env.client.workflow.getHandle(workflowId);
    await eventuallyRecorded(workflowId, 'assigned');
    const outcomes = await Promise.allSettled(Array.from({ length: 5 }, () => handle.executeUpdate(acknowledgeUpdate, { args: [{ actor: 'officer' }] })));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    for (const o of outcomes.filter((x): x is PromiseRejectedResult => x.status === 'rejected')) {
      expect(o.reason).toMatchObject({ cause: expect.objectContaining({ type: 'INVALID_TRANSITION' }) });
    }
    const events = await ds.query(`SELECT type FROM assignment_events WHERE workflow_id = $1 AND type = 'acknowledged'`, [workflowId]);
    expect(events).toHaveLength(1);
    expect((await handle.query(getStateQuery)).recentEvents.filter((e) => e.type === 'acknowledged')).toHaveLength(1);
    await handle.executeUpdate(cancelUpdate, { args: [{ actor: 'coordinator', reason: 'dọn dẹp' }] });
    // The history replays, with the patch's marker when copies queued behind the lock (usually: they arrive in one
    // workflow task) or without it when each copy was refused on arrival.
    const history = await handle.fetchHistory();
    await expect(Worker.runReplayHistory({ workflowBundle: { codePath: process.env.WORKFLOW_BUNDLE_PATH! } }, history, workflowId)).resolves.toBeUndefined();
    // Recorded with the tracing interceptors, replayed by a worker with tracing off (the production default).
    await expect(Worker.runReplayHistory({ workflowBundle: { codePath: process.env.WORKFLOW_BUNDLE_PATH_UNTRACED! } }, history, workflowId)).resolves.toBeUndefined();
  });

  it('rejects an action the lifecycle does not allow, without changing the state', async () => {
    const { workflowId } = await start(10);
    const handle = env.client.workflow.getHandle(workflowId);
    await expect(handle.executeUpdate(approveUpdate, { args: [{ actor: 'coordinator' }] })).rejects.toMatchObject({
      cause: expect.objectContaining({ type: 'INVALID_TRANSITION' }),
    });
    expect((await handle.query(getStateQuery)).status).toBe('assigned');
    await handle.executeUpdate(cancelUpdate, { args: [{ actor: 'coordinator', reason: 'dọn dẹp' }] });
  });
});
