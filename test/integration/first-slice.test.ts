// The wiring end to end: HTTP → Temporal workflow → activity → PostgreSQL, with the real services.
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { type AppConfig } from '@app/config';
import { AssignmentEntity } from '@app/persistence';
import { eventually, http, type LoggedIn, type RunningApi, type SampleStack, startApiApp, startSampleStack } from '../support/harness';
import { anSonAssignmentBody } from '../support/assignment-start';

describe('first slice: an assignment started through the API reaches PostgreSQL', () => {
  let config: AppConfig;
  let stack: SampleStack;
  let api: RunningApi;
  let ds: DataSource;
  // The coordinator starts and reviews; the commune's officer does the work.
  let coordinator: LoggedIn;
  let officer: LoggedIn;

  beforeAll(async () => {
    stack = await startSampleStack();
    ({ config, api, ds } = stack);
    coordinator = await stack.loginAs('dieuphoi');
    officer = await stack.loginAs('xa-an-son.canbo');
  });
  afterAll(async () => {
    await stack?.close();
  });


  it('answers /health with every part up', async () => {
    const res = await eventually(() => http<{ status: string; checks: Record<string, { status: string }> }>(api.baseUrl, 'GET', '/health'), (r) => r.status === 200);
    expect(res.body.checks).toEqual({
      database: expect.objectContaining({ status: 'up' }),
      temporal: expect.objectContaining({ status: 'up' }),
      worker: expect.objectContaining({ status: 'up' }),
    });
  });

  it('starts the workflow, projects it, and takes an action through an Update', async () => {
    const planId = randomUUID();
    const started = await http<{ workflowId: string }>(api.baseUrl, 'POST', '/api/assignments', anSonAssignmentBody(planId), coordinator.headers);
    expect(started.status).toBe(201);
    expect(started.body.workflowId).toBe(`asg:${planId}:V.3.4:VQ-XA-AN-SON:once`);

    const row = await eventually(
      () => ds.getRepository(AssignmentEntity).findOne({ where: { workflowId: started.body.workflowId } }),
      (r) => r !== null,
    );
    expect(row).toMatchObject({ planId, unitCode: 'VQ-XA-AN-SON', status: 'assigned', lastSeq: 1 });

    const acked = await http<{ status: string; seq: number }>(api.baseUrl, 'POST', `/api/assignments/${started.body.workflowId}/actions`, {
      type: 'acknowledge',
      comment: 'Đã nhận',
    }, officer.headers);
    expect(acked.status).toBe(200);
    expect(acked.body).toMatchObject({ status: 'acknowledged', seq: 2 });
    // The Update returns only after the projection ran: the read model is already current.
    const detail = await http<{ assignment: { status: string }; events: { type: string; comment: string | null }[] }>(
      api.baseUrl,
      'GET',
      `/api/assignments/${encodeURIComponent(started.body.workflowId)}`,
      undefined,
      officer.headers,
    );
    expect(detail.body.assignment.status).toBe('acknowledged');
    expect(detail.body.events.map((e) => e.type)).toEqual(['assigned', 'acknowledged']);
    expect(detail.body.events[1].comment).toBe('Đã nhận');
    expect(detail.body.events[1]).toMatchObject({ actor: officer.user.id });
  });

  it('starting the same assignment twice gives one workflow and one row', async () => {
    const planId = randomUUID();
    const a = await http<{ workflowId: string }>(api.baseUrl, 'POST', '/api/assignments', anSonAssignmentBody(planId), coordinator.headers);
    const b = await http<{ workflowId: string }>(api.baseUrl, 'POST', '/api/assignments', anSonAssignmentBody(planId), coordinator.headers);
    expect(b.body.workflowId).toBe(a.body.workflowId);
    await eventually(() => ds.getRepository(AssignmentEntity).count({ where: { planId } }), (n) => n === 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(await ds.getRepository(AssignmentEntity).count({ where: { planId } })).toBe(1);
  });

  it('rejects an invalid transition with a clear error and changes nothing', async () => {
    const planId = randomUUID();
    const { body } = await http<{ workflowId: string }>(api.baseUrl, 'POST', '/api/assignments', anSonAssignmentBody(planId), coordinator.headers);
    const res = await http<{ error: { code: string; message: string } }>(api.baseUrl, 'POST', `/api/assignments/${body.workflowId}/actions`, {
      type: 'approve',
    }, coordinator.headers);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('INVALID_TRANSITION');
    const row = await eventually(() => ds.getRepository(AssignmentEntity).findOne({ where: { workflowId: body.workflowId } }), (r) => r !== null);
    expect(row?.status).toBe('assigned');
  });

  it('rejects a malformed request with field errors', async () => {
    const res = await http<{ error: { code: string; fields: Record<string, string[]> } }>(api.baseUrl, 'POST', '/api/assignments', {
      ...anSonAssignmentBody('not-a-uuid'),
      deadline: 'tomorrow',
    }, coordinator.headers);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(Object.keys(res.body.error.fields).sort()).toEqual(['deadline', 'planId']);
  });

  it('reports 503 naming Temporal and the worker when Temporal is unreachable', async () => {
    const broken = await startApiApp({ ...config, temporal: { ...config.temporal, address: '127.0.0.1:1' } });
    try {
      const res = await http<{ status: string; checks: Record<string, { status: string }> }>(broken.baseUrl, 'GET', '/health');
      expect(res.status).toBe(503);
      expect(res.body.checks.database.status).toBe('up');
      expect(res.body.checks.temporal.status).toBe('down');
      expect(res.body.checks.worker.status).toBe('down');
    } finally {
      await broken.close();
    }
  });
});
