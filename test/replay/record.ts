// `npm run record-histories`: runs the current workflows through representative scenarios on the
// time-skipping server (real activities, real PostgreSQL) and writes their histories to test/replay/histories/.
// Commit the files: test/replay/replay.test.ts replays them against every later build, so a change that would
// break running workflows fails CI. Re-record only for a deliberate, patched change.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { WORKFLOW_INTERCEPTOR_MODULES, workerTracingOptions } from '@app/observability';
import { DataSource } from 'typeorm';
import { DEFAULT_ESCALATION_POLICY, loadOrganisationDirectory } from '@app/domain';
import {
  dataSourceOptions,
  runMigrations,
  TypeormAssignmentReadModel,
  TypeormOrganisationRepository,
  TypeormOutboxRepository,
  TypeormPlanRepository,
} from '@app/persistence';
import { parsePlan } from '@app/plan-parser';
import {
  acknowledgeUpdate,
  amendUpdate,
  approveUpdate,
  type AssignmentInput,
  decideExtensionUpdate,
  requestExtensionUpdate,
  returnUpdate,
  SEARCH_ATTRIBUTES,
  submitUpdate,
  updateProgressUpdate,
  cancelUpdate,
} from '@app/contracts/workflow';
import { createActivationActivities } from '../../apps/worker/src/activation/activation.activities';
import { createAmendmentActivities } from '../../apps/worker/src/plan-control/amendment.activities';
import { createPlanControlActivities } from '../../apps/worker/src/plan-control/plan-control.activities';
import { createAssignmentActivities } from '../../apps/worker/src/assignment.activities';
import { BatchRules } from '../../apps/worker/src/notifications/batching';
import { createNotificationActivities, recordAndSchedule, TemporalDeliveryScheduler } from '../../apps/worker/src/notifications/notification.activities';
import { NotificationOutbox } from '../../apps/worker/src/notifications/notification-outbox';
import { Mailer, startSmtpSink } from '@app/notifications';
import { mailBatchWorkflowId, type NotificationRequest } from '@app/contracts/workflow';
import { freePort, startPostgres } from '../../deploy/local/stack';
import { historyToPlainObject } from './history-json';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { resolveBinary } = require('../../deploy/local/binaries.js') as typeof import('../../deploy/local/binaries');

const ROOT = join(__dirname, '..', '..');
const OUT = process.env.RECORD_OUT ?? join(__dirname, 'histories');
const DAY = 86_400_000;
const QUEUE = 'replay-recording';

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const pg = await startPostgres({
    databaseUrl: process.env.DATABASE_URL,
    dataDir: join('/tmp', `dondoc-record-${process.pid}`),
    port: await freePort(),
    database: 'dondoc_record',
    log: () => undefined,
    persistent: false,
  });
  await runMigrations(pg.url);
  const ds = await new DataSource(dataSourceOptions(pg.url, 4)).initialize();
  const testServer = resolveBinary('testServer');
  const env = await TestWorkflowEnvironment.createTimeSkipping(
    testServer.path ? { server: { executable: { type: 'existing-path', path: testServer.path } } } : undefined,
  );
  await env.connection.operatorService.addSearchAttributes({
    namespace: 'default',
    searchAttributes: Object.fromEntries(
      Object.entries(SEARCH_ATTRIBUTES).map(([name, type]) => [
        name,
        type === 'Keyword' ? temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD : temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
      ]),
    ),
  });

  const organisation = new TypeormOrganisationRepository(ds);
  const directory = loadOrganisationDirectory(readFileSync(join(ROOT, 'deploy/seed/van-quan/organisation.yaml'), 'utf8'));
  await organisation.seedIfEmpty(directory.file);
  const plans = new TypeormPlanRepository(ds);
  const sample = readFileSync(join(ROOT, 'libs/plan-parser/fixtures/van-quan-2024-cong-tac-tre-em.md'), 'utf8');
  const parsed = parsePlan({ text: sample, format: 'markdown' }, directory);
  const stored = await plans.createDraft({ plan: parsed.plan, warnings: parsed.warnings, sourceText: sample, sourceName: 'sample.md' }, 'recorder');

  // Batched mail (mailBatchWorkflow) goes to a local SMTP sink, at any hour.
  const sink = await startSmtpSink();
  const mailer = new Mailer({ smtpUrl: sink.url, from: 'Dondoc <dondoc@vanquan.example.vn>' });
  // The batch rules read the recorder's clock; it follows the test server's (skipped) time.
  let serverNow = Date.now();
  const mail = new NotificationOutbox({
    clock: () => new Date(serverNow),
    outbox: new TypeormOutboxRepository(ds),
    organisation,
    dataSource: ds,
    mailer,
    settings: { publicUrl: 'http://dondoc.test', secretKey: 'replay-recording-secret-0123456789' },
    batching: new BatchRules({ quietSeconds: 60, maxSeconds: 600, quietHours: null, morning: { hour: 7, minute: 30 } }),
  });

  // The same interceptors as every production bundle (deploy/scripts/build-workflow-bundle.ts), with their sink.
  const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows'), workflowInterceptorModules: WORKFLOW_INTERCEPTOR_MODULES });
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: QUEUE,
    workflowBundle: { code },
    sinks: workerTracingOptions(true).sinks,
    activities: {
      ...createAssignmentActivities({ readModel: new TypeormAssignmentReadModel(ds), outbox: new TypeormOutboxRepository(ds) }),
      ...createActivationActivities({ plans, organisation, client: env.client, taskQueue: QUEUE }),
      ...createAmendmentActivities({ plans, organisation, client: env.client, taskQueue: QUEUE }),
      ...createPlanControlActivities({ plans, organisation, readModel: new TypeormAssignmentReadModel(ds), client: env.client }),
      ...createNotificationActivities(mail),
    },
  });
  mkdirSync(OUT, { recursive: true });

  await worker.runUntil(async () => {
    const now = await env.currentTimeMs();
    const input = (itemKey: string, deadlineInDays: number): AssignmentInput => ({
      planId: stored.id,
      planNumber: null,
      planTitle: stored.document.metadata.title,
      itemKey,
      kind: 'responsibility',
      title: 'Rà soát các khu vực thường xuyên xảy ra tai nạn đuối nước',
      role: 'lead',
      unitCode: 'VQ-XA-AN-SON',
      leadUnitCode: 'VQ-LDTBXH',
      periodKey: 'once',
      periodLabel: 'Năm 2024 (một lần)',
      deadline: new Date(now + deadlineInDays * DAY).toISOString(),
      escalation: [...DEFAULT_ESCALATION_POLICY],
    });
    const save = async (name: string, workflowId: string): Promise<void> => {
      const history = await env.client.workflow.getHandle(workflowId).fetchHistory();
      writeFileSync(join(OUT, `${name}.json`), `${JSON.stringify(historyToPlainObject(history), null, 1)}\n`);
      process.stdout.write(`recorded ${name}: ${history.events?.length ?? 0} events\n`);
    };

    // 1. The whole ladder, then a review round trip to approval.
    const ladder = await env.client.workflow.start('assignmentWorkflow', { workflowId: 'replay-ladder', taskQueue: QUEUE, args: [input('V.3.4', 20)] });
    await ladder.executeUpdate(acknowledgeUpdate, { args: [{ actor: 'officer' }] });
    await ladder.executeUpdate(updateProgressUpdate, { args: [{ actor: 'officer', percent: 40, comment: 'Đã khảo sát 5 điểm' }] });
    await env.sleep(30 * DAY);
    await ladder.executeUpdate(submitUpdate, { args: [{ actor: 'officer', text: 'Đã rà soát 12 điểm', attachments: [{ id: 'a1', name: 'bien-ban.pdf', size: 1200 }] }] });
    await ladder.executeUpdate(returnUpdate, { args: [{ actor: 'coordinator', comment: 'Thiếu ảnh biển cảnh báo' }] });
    await ladder.executeUpdate(submitUpdate, { args: [{ actor: 'officer', text: 'Bổ sung ảnh' }] });
    await ladder.executeUpdate(approveUpdate, { args: [{ actor: 'coordinator' }] });
    await ladder.result();
    await save('assignment-ladder-approved', 'replay-ladder');

    // 2. Overdue, an extension granted (the ladder re-arms), another refused, then cancellation.
    const ext = await env.client.workflow.start('assignmentWorkflow', { workflowId: 'replay-extension', taskQueue: QUEUE, args: [input('V.3.2', 10)] });
    await env.sleep(11 * DAY);
    const later = (days: number): string => new Date(now + days * DAY).toISOString();
    await ext.executeUpdate(requestExtensionUpdate, { args: [{ actor: 'officer', newDeadline: later(40), reason: 'Mưa lũ' }] });
    await ext.executeUpdate(decideExtensionUpdate, { args: [{ actor: 'coordinator', grant: true }] });
    await env.sleep(35 * DAY);
    await ext.executeUpdate(requestExtensionUpdate, { args: [{ actor: 'officer', newDeadline: later(60), reason: 'Chưa xong' }] });
    await ext.executeUpdate(decideExtensionUpdate, { args: [{ actor: 'coordinator', grant: false }] });
    await ext.executeUpdate(cancelUpdate, { args: [{ actor: 'coordinator', reason: 'Điều chỉnh kế hoạch' }] });
    await ext.result();
    await save('assignment-extension-cancelled', 'replay-extension');

    // 2b. Work that starts already late (`now` is 76 simulated days back, so the deadline passed weeks ago):
    //     under the 'late-start-catch-up' patch only the latest late step (+7d, the leader) fires, once; then
    //     the report is approved. Scenarios 2 and 4 start late as well: their committed histories, recorded
    //     before the patch, are the ones that prove a late start already running replays unchanged.
    const late = await env.client.workflow.start('assignmentWorkflow', { workflowId: 'replay-late-start', taskQueue: QUEUE, args: [input('V.3.3', -10)] });
    await env.sleep(DAY);
    await late.executeUpdate(submitUpdate, { args: [{ actor: 'officer', text: 'Đã tổ chức 3 lớp dạy bơi' }] });
    await late.executeUpdate(approveUpdate, { args: [{ actor: 'coordinator' }] });
    await late.result();
    await save('assignment-late-start', 'replay-late-start');

    // 3. Activation of the sample plan in small batches.
    await env.client.workflow.execute('planActivationWorkflow', {
      workflowId: 'replay-activation',
      taskQueue: QUEUE,
      args: [{ planId: stored.id, revision: stored.revision, batchSize: 50 }],
    });
    await save('plan-activation', 'replay-activation');

    // 4. Amendments reach a running assignment: the deadline moves later (re-armed), then into the past
    //    (only the latest late step fires), then the report is approved.
    const amended = await env.client.workflow.start('assignmentWorkflow', { workflowId: 'replay-amended', taskQueue: QUEUE, args: [input('V.3.5', 20)] });
    await env.sleep(15 * DAY);
    const base = input('V.3.5', 20);
    await amended.executeUpdate(amendUpdate, {
      args: [{ actor: 'coordinator', comment: 'Lùi hạn', amendmentId: 'amendment-1', input: { ...base, deadline: later(50) }, previousDeadline: base.deadline, fields: ['deadline'] }],
    });
    await env.sleep(5 * DAY);
    await amended.executeUpdate(amendUpdate, {
      args: [{ actor: 'coordinator', amendmentId: 'amendment-2', input: { ...base, deadline: later(15), title: 'Rà soát, cắm biển cảnh báo' }, previousDeadline: later(50), fields: ['deadline', 'title'] }],
    });
    await env.sleep(2 * DAY);
    await amended.executeUpdate(submitUpdate, { args: [{ actor: 'officer', text: 'Đã cắm 6 biển' }] });
    await amended.executeUpdate(approveUpdate, { args: [{ actor: 'coordinator' }] });
    await amended.result();
    await save('assignment-amended', 'replay-amended');

    // 5. The activated plan is amended (a deadline moves, a duty goes, one is added), then cancelled.
    await plans.setStatus(stored.id, 'active', 'recorder');
    const current = (await plans.get(stored.id))!;
    const v13 = current.document.responsibilities.find((r) => r.key === 'V.1.3')!;
    const { amendment } = await plans.amend(
      stored.id,
      {
        revision: current.revision,
        reason: 'Điều chỉnh kế hoạch',
        planned: () => ({}),
        changes: [
          { path: 'responsibilities[V.3.4].deadline', value: { date: '2024-04-30', kind: 'explicit', reason: 'Trước hè' } },
          { path: `responsibilities.${current.document.responsibilities.length}`, value: { ...v13, key: 'V.1.9', text: 'Tập huấn kỹ năng phòng, chống đuối nước' } },
          { op: 'remove', path: 'responsibilities[V.1.2]' },
        ],
      },
      'recorder',
    );
    await env.client.workflow.execute('planAmendmentWorkflow', {
      workflowId: 'replay-amendment',
      taskQueue: QUEUE,
      args: [{ amendmentId: amendment.id, planId: stored.id, batchSize: 10 }],
    });
    await save('plan-amendment', 'replay-amendment');
    await env.client.workflow.execute('planEndWorkflow', {
      workflowId: 'replay-plan-end',
      taskQueue: QUEUE,
      args: [{ planId: stored.id, action: 'cancel', actor: 'recorder', reason: 'Thay bằng kế hoạch mới', batchSize: 40 }],
    });
    await save('plan-cancelled', 'replay-plan-end');

    // A batch of two overdue notices to one commune: the second arrives inside the quiet period and re-arms
    // it; the batch then closes into one message, delivered once.
    const notice = async (itemKey: string): Promise<NotificationRequest> => {
      serverNow = await env.currentTimeMs();
      const at = new Date(serverNow).toISOString();
      const i = input(itemKey, -3);
      const workflowId = `replay-batch:${itemKey}`;
      return {
        workflowId,
        stepKey: 'overdue',
        kind: 'overdue',
        audience: ['assignee'],
        snapshot: {
          workflowId, input: i, unitCode: i.unitCode, status: 'assigned', progress: 0, progressNote: null, deadline: i.deadline, completedAt: null,
          submission: null, pendingExtension: null, firedSteps: ['overdue'], escalationLevel: 1, lastStepKey: 'overdue', seq: 2,
          recentEvents: [{ seq: 2, type: 'step_fired', actor: 'system', at, data: { step: 'overdue' } }],
        },
      };
    };
    const scheduler = new TemporalDeliveryScheduler(env.client, QUEUE);
    await recordAndSchedule(mail, scheduler, await notice('V.3.6'));
    await env.sleep(20_000);
    await recordAndSchedule(mail, scheduler, await notice('V.3.7'));
    const [batchKey] = (await ds.query(`SELECT batch_key FROM notification_batches WHERE plan_id = $1`, [stored.id])).map((r: { batch_key: string }) => r.batch_key);
    await env.client.workflow.getHandle(mailBatchWorkflowId(batchKey)).result();
    await save('mail-batch', mailBatchWorkflowId(batchKey));
  });

  mailer.close();
  await sink.stop();
  await ds.destroy();
  await env.teardown();
  await pg.stop();
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
