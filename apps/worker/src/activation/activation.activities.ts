import { CancelledFailure, Context } from '@temporalio/activity';
import { type Client } from '@temporalio/client';
import { type PlannedAssignment, planAssignments } from '@app/domain';
import { type OrganisationRepository, type PlanRepository } from '@app/persistence';
import { startAssignment } from '@app/temporal';
import {
  type ActivationActivities,
  type AssignmentInput,
  type BatchResult,
} from '@app/contracts/workflow';

export interface ActivationDeps {
  plans: PlanRepository;
  organisation: OrganisationRepository;
  client: Client;
  taskQueue: string;
  /** Parallel starts inside one batch. */
  concurrency?: number;
}

interface CachedList {
  inputs: AssignmentInput[];
}

export function toAssignmentInput(planId: string, planNumber: string | null, planTitle: string, a: PlannedAssignment): AssignmentInput {
  return { planId, planNumber, planTitle, ...a };
}

export function createActivationActivities(deps: ActivationDeps): ActivationActivities {
  // The list is a pure function of (plan revision, directory); computing it once per worker is enough.
  const cache = new Map<string, CachedList>();

  async function listFor(planId: string, revision: number): Promise<CachedList> {
    const key = `${planId}@${revision}`;
    const hit = cache.get(key);
    if (hit) return hit;
    const stored = await deps.plans.get(planId);
    if (!stored) throw new Error(`plan ${planId} not found`);
    const directory = await deps.organisation.load();
    const { assignments } = planAssignments(stored.document, directory);
    const meta = stored.document.metadata;
    const list = { inputs: assignments.map((a) => toAssignmentInput(planId, meta.number, meta.title, a)) };
    cache.set(key, list);
    return list;
  }

  return {
    async activateBatch({ planId, revision, offset, limit }): Promise<BatchResult> {
      const { inputs } = await listFor(planId, revision);
      const slice = inputs.slice(offset, offset + limit);
      let started = 0;
      let existing = 0;
      let next = 0;
      const concurrency = deps.concurrency ?? 32;
      await Promise.all(
        Array.from({ length: Math.min(concurrency, slice.length) }, async () => {
          for (let i = next++; i < slice.length; i = next++) {
            // The plan is being cancelled: stop starting work (Temporal delivers this through heartbeats).
            if (Context.current().cancellationSignal.aborted) throw new CancelledFailure('activation cancelled');
            if ((await startAssignment(deps.client, deps.taskQueue, slice[i])).outcome === 'started') started++;
            else existing++;
            if (i % 50 === 0) Context.current().heartbeat({ offset: offset + i });
          }
        }),
      );
      const nextOffset = offset + slice.length;
      Context.current().log.info('activation batch', { planId, offset, started, existing, total: inputs.length });
      return { started, existing, total: inputs.length, nextOffset, done: nextOffset >= inputs.length };
    },

    async markPlanActivated({ planId, total }) {
      await deps.plans.markActivated(planId, total);
    },
  };
}
