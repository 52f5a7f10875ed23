// `npm run bench -- activation [communes] [duties]`: on one Temporal dev server, the rate of raw SDK workflow
// starts (the ceiling) and the rate at which Dondoc's activation starts a synthetic plan's assignments.
// Both start the same workflow type onto a queue no worker polls, so both measure starting only.
import { randomUUID } from 'node:crypto';
import { type Client } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Worker } from '@temporalio/worker';
import { TypeormOrganisationRepository, TypeormPlanRepository } from '@app/persistence';
import { startAssignment } from '@app/temporal';
import { type AssignmentInput } from '@app/contracts/workflow';
import { planAssignments } from '@app/domain';
import {
  createActivationActivities,
  toAssignmentInput,
} from '../../apps/worker/src/activation/activation.activities';
import { syntheticPlan } from '../support/synthetic-plan';
import { startBenchServices } from './services';

const IDLE_QUEUE = 'bench-assignments-no-worker';
const CONCURRENCY = 32;

/**
 * The ceiling: the identical start requests (same workflow, input, id scheme and options), sent straight from
 * the SDK by a plain loop, so the ratio isolates what activation adds (batching, its workflow, activities).
 */
async function rawStarts(client: Client, inputs: AssignmentInput[]): Promise<number> {
  let next = 0;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let i = next++; i < inputs.length; i = next++)
        await startAssignment(client, IDLE_QUEUE, inputs[i]);
    }),
  );
  return inputs.length / ((Date.now() - started) / 1000);
}

export async function benchActivation(args: string[]): Promise<void> {
  const communes = Number(args[0] ?? 200);
  const duties = Number(args[1] ?? 50);
  const { ds, client, temporalAddress, log, stop } = await startBenchServices(8);
  try {
    const { plan, directory, assignments } = syntheticPlan(communes, duties);
    const organisation = new TypeormOrganisationRepository(ds);
    await organisation.replace(directory.file);
    const plans = new TypeormPlanRepository(ds);
    const stored = await plans.createDraft(
      { plan, warnings: [], sourceText: null, sourceName: 'synthetic' },
      'bench',
    );
    log(`synthetic plan: ${directory.units.length} units, ${assignments} assignments`);

    // The ceiling: the same inputs, started straight from the SDK.
    const inputs = planAssignments(plan, directory).assignments.map((a) =>
      toAssignmentInput(randomUUID(), null, plan.metadata.title, a),
    );
    const ceiling = await rawStarts(client, inputs);

    const nativeConnection = await NativeConnection.connect({ address: temporalAddress });
    const queue = `bench-activation-${randomUUID()}`;
    const worker = await Worker.create({
      connection: nativeConnection,
      taskQueue: queue,
      workflowBundle: await bundleWorkflowCode({
        workflowsPath: require.resolve('../../workflows'),
        logger: new DefaultLogger('WARN'),
      }),
      activities: createActivationActivities({
        plans,
        organisation,
        client,
        taskQueue: IDLE_QUEUE,
        concurrency: CONCURRENCY,
      }),
    });
    let activationRate = 0;
    await worker.runUntil(async () => {
      const t0 = Date.now();
      const totals = await client.workflow.execute('planActivationWorkflow', {
        workflowId: `bench-activation-${stored.id}`,
        taskQueue: queue,
        args: [{ planId: stored.id, revision: stored.revision, batchSize: 500 }],
      });
      activationRate = (totals?.started ?? 0) / ((Date.now() - t0) / 1000);
      if (totals?.started !== assignments)
        throw new Error(`activation started ${totals?.started} of ${assignments}`);
    });
    await nativeConnection.close();
    process.stdout.write(
      [
        `Activation benchmark: ${assignments} assignments, one Temporal dev server (SQLite file, WAL), ${CONCURRENCY} starts in flight`,
        `  raw SDK workflow starts (ceiling): ${ceiling.toFixed(0)} starts/s`,
        `  Dondoc activation:                ${activationRate.toFixed(0)} starts/s`,
        `  ratio: ${(activationRate / ceiling).toFixed(2)} (target ≥ 0.80)`,
        '',
      ].join('\n'),
    );
  } finally {
    await stop();
  }
}
