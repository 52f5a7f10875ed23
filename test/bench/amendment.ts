// `npm run bench -- amendment [communes] [duties]`: on one Temporal dev server with one worker, the rate at which
// running assignments take an amended deadline: a plain SDK loop of `amend` Updates (the ceiling) against Dondoc's
// amendment (plan record, diff, batch workflow, activities). Both paths record the event, project it and request
// the deadline notice, so the ratio isolates what the amendment machinery adds.
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Worker } from '@temporalio/worker';
import { planAssignments } from '@app/domain';
import {
  TypeormAssignmentReadModel,
  TypeormOrganisationRepository,
  TypeormOutboxRepository,
  TypeormPlanRepository,
} from '@app/persistence';
import { amendUpdate, assignmentWorkflowId } from '@app/contracts/workflow';
import {
  createActivationActivities,
  toAssignmentInput,
} from '../../apps/worker/src/activation/activation.activities';
import { createAssignmentActivities } from '../../apps/worker/src/assignment.activities';
import { createAmendmentActivities } from '../../apps/worker/src/plan-control/amendment.activities';
import { syntheticPlan } from '../support/synthetic-plan';
import { startBenchServices } from './services';

const CONCURRENCY = 16;
/** Far ahead, so no reminder fires while the bench runs. */
const CEILING_DEADLINE = '2030-06-30';
const AMENDED_DEADLINE = '2030-12-31';

export async function benchAmendment(args: string[]): Promise<void> {
  const communes = Number(args[0] ?? 100);
  const duties = Number(args[1] ?? 20);
  const { ds, client, temporalAddress, log, stop } = await startBenchServices(16);
  const nativeConnection = await NativeConnection.connect({ address: temporalAddress });
  try {
    const { plan, directory, assignments } = syntheticPlan(communes, duties, { onlyCommuneDuties: true });
    const organisation = new TypeormOrganisationRepository(ds);
    await organisation.replace(directory.file);
    const plans = new TypeormPlanRepository(ds);
    const stored = await plans.createDraft(
      { plan, warnings: [], sourceText: null, sourceName: 'synthetic' },
      'bench',
    );
    await plans.setStatus(stored.id, 'active', 'bench');
    const queue = `bench-amendment-${stored.id}`;
    const worker = await Worker.create({
      connection: nativeConnection,
      taskQueue: queue,
      workflowBundle: await bundleWorkflowCode({
        workflowsPath: require.resolve('../../workflows'),
        logger: new DefaultLogger('WARN'),
      }),
      activities: {
        ...createAssignmentActivities({
          readModel: new TypeormAssignmentReadModel(ds),
          outbox: new TypeormOutboxRepository(ds),
        }),
        ...createActivationActivities({ plans, organisation, client, taskQueue: queue }),
        ...createAmendmentActivities({
          plans,
          organisation,
          client,
          taskQueue: queue,
          concurrency: CONCURRENCY,
        }),
      },
      maxConcurrentActivityTaskExecutions: 64,
    });
    const projected = async (sql: string): Promise<number> => Number((await ds.query(sql, [stored.id]))[0].n);
    const waitFor = async (sql: string, n: number): Promise<void> => {
      while ((await projected(sql)) < n) await new Promise((r) => setTimeout(r, 250));
    };

    let ceiling = 0;
    let amendmentRate = 0;
    let result: unknown;
    await worker.runUntil(async () => {
      log(`activating ${assignments} assignments (${communes} communes × ${duties} duties)`);
      await client.workflow.execute('planActivationWorkflow', {
        workflowId: `bench-act-${stored.id}`,
        taskQueue: queue,
        args: [{ planId: stored.id, revision: 2, batchSize: 500 }],
      });
      await waitFor(`SELECT count(*)::int AS n FROM assignments WHERE plan_id = $1`, assignments);

      // The ceiling: the same Update, sent straight from the SDK to every assignment.
      const inputs = planAssignments(plan, directory).assignments.map((a) =>
        toAssignmentInput(stored.id, plan.metadata.number, plan.metadata.title, a),
      );
      let next = 0;
      const t0 = Date.now();
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          for (let i = next++; i < inputs.length; i = next++) {
            const input = inputs[i];
            await client.workflow
              .getHandle(assignmentWorkflowId(stored.id, input.itemKey, input.unitCode, input.periodKey))
              .executeUpdate(amendUpdate, {
                args: [
                  {
                    actor: 'bench',
                    amendmentId: 'ceiling',
                    input: { ...input, deadline: `${CEILING_DEADLINE}T16:59:59.999Z` },
                    previousDeadline: null,
                    fields: ['deadline'],
                  },
                ],
              });
          }
        }),
      );
      ceiling = inputs.length / ((Date.now() - t0) / 1000);

      // Dondoc: the plan amendment that moves every duty's deadline, from the stored record to the last assignment.
      const current = (await plans.get(stored.id))!;
      const t1 = Date.now();
      const { amendment } = await plans.amend(
        stored.id,
        {
          revision: current.revision,
          reason: 'bench',
          planned: () => ({}),
          changes: current.document.responsibilities.map((r) => ({
            path: `responsibilities[${r.key}].deadline`,
            value: { date: AMENDED_DEADLINE, kind: 'explicit', reason: 'bench' },
          })),
        },
        'bench',
      );
      result = await client.workflow.execute('planAmendmentWorkflow', {
        workflowId: `bench-amend-${amendment.id}`,
        taskQueue: queue,
        args: [{ amendmentId: amendment.id, planId: stored.id, batchSize: 200 }],
      });
      amendmentRate = assignments / ((Date.now() - t1) / 1000);
    });
    process.stdout.write(
      [
        `Amendment benchmark: ${assignments} running assignments take a new deadline, one Temporal dev server (SQLite file, WAL), one worker, ${CONCURRENCY} Updates in flight`,
        `  raw SDK amend Updates (ceiling): ${ceiling.toFixed(0)} assignments/s`,
        `  Dondoc plan amendment:           ${amendmentRate.toFixed(0)} assignments/s   ${JSON.stringify(result)}`,
        `  ratio: ${(amendmentRate / ceiling).toFixed(2)}`,
        '',
      ].join('\n'),
    );
  } finally {
    await nativeConnection.close();
    await stop();
  }
}
