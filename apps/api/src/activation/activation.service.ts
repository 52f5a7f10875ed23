import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { WorkflowIdConflictPolicy } from '@temporalio/client';
import { type ActivationProblem, blockingProblems, planAssignments, type ResolvedDeadline } from '@app/domain';
import { OrganisationRepository, PlanRepository, type StoredPlan } from '@app/persistence';
import { TemporalClientProvider } from '@app/temporal';
import { activationProgressQuery, activationWorkflowId, type PlanEndAction, planEndWorkflowId } from '@app/contracts/workflow';
import { ApiError, ApiErrorCode } from '../common/errors';
import { dueSoonMs } from '../inbox/list-item';
import { forecastNotices, type NoticeForecast } from './notice-forecast';

export interface ActivationPreview {
  planId: string;
  revision: number;
  assignments: number;
  units: number;
  byItem: Record<string, number>;
  /** By role: 'lead' (chủ trì, reports included) and 'coordinate' (phối hợp). */
  byRole: Record<'lead' | 'coordinate', number>;
  /** Everything activation cannot carry; `blocking` ones stop it, the others start the work without that part. */
  problems: ActivationProblem[];
  /** Working-day deadlines and the dates they become, so the coordinator checks the count before it starts. */
  deadlines: ResolvedDeadline[];
  /** Already overdue / due soon, and the emails starting the work sends per kind of recipient (notice-forecast.ts). */
  notices: NoticeForecast;
}

@Injectable()
export class ActivationService {
  constructor(
    private readonly plans: PlanRepository,
    private readonly organisation: OrganisationRepository,
    private readonly temporal: TemporalClientProvider,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** How many assignments activation will start, for the confirmation the coordinator reads. */
  async preview(planId: string): Promise<ActivationPreview> {
    return this.previewOf(await this.getPlan(planId));
  }

  private async getPlan(planId: string): Promise<StoredPlan> {
    const stored = await this.plans.get(planId);
    if (!stored) throw new ApiError(ApiErrorCode.NOT_FOUND);
    return stored;
  }

  private async previewOf(stored: StoredPlan): Promise<ActivationPreview> {
    const planId = stored.id;
    const directory = await this.organisation.load();
    const { assignments, problems, deadlines } = planAssignments(stored.document, directory);
    const byItem: Record<string, number> = {};
    const byRole = { lead: 0, coordinate: 0 };
    for (const a of assignments) {
      byItem[a.itemKey] = (byItem[a.itemKey] ?? 0) + 1;
      byRole[a.role] += 1;
    }
    return {
      planId,
      revision: stored.revision,
      assignments: assignments.length,
      units: new Set(assignments.map((a) => a.unitCode)).size,
      byItem,
      byRole,
      problems,
      deadlines,
      notices: forecastNotices(
        'activation',
        assignments.map((assignment) => ({ assignment, newWork: true })),
        directory,
        new Date(),
        dueSoonMs(this.config),
      ),
    };
  }

  /** Starts (or finds) the activation workflow; activating twice is harmless. */
  async activate(planId: string, actor: string): Promise<{ workflowId: string; expected: number; warnings: ActivationProblem[] }> {
    const stored = await this.getPlan(planId);
    if (stored.status !== 'draft' && stored.status !== 'active') {
      throw new ApiError(ApiErrorCode.CONFLICT, `Kế hoạch đang ở trạng thái ${stored.status}, không thể kích hoạt`);
    }
    const preview = await this.previewOf(stored);
    // Warnings (a partner or a deadline activation cannot carry) were shown in the preview; only a duty nobody
    // would receive stops activation.
    const blocking = blockingProblems(preview.problems);
    if (blocking.length > 0) {
      const fields: Record<string, string[]> = {};
      for (const p of blocking) (fields[p.itemKey] ??= []).push(`${p.code}: ${p.text}`);
      throw new ApiError(ApiErrorCode.VALIDATION_FAILED, 'Kế hoạch còn đơn vị chưa xác định, chưa thể kích hoạt', fields);
    }
    const active = stored.status === 'draft' ? await this.plans.setStatus(planId, 'active', actor, stored.revision) : stored;
    const workflowId = activationWorkflowId(planId);
    await this.temporal.client.workflow.start('planActivationWorkflow', {
      workflowId,
      taskQueue: this.temporal.taskQueue,
      args: [{ planId, revision: active.revision, batchSize: 500 }],
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    });
    return { workflowId, expected: preview.assignments, warnings: preview.problems };
  }

  /**
   * Cancels (abandoned) or closes (finished) an active plan: a workflow stops the activation, ends every open
   * assignment (their timers stop, so no notification follows) and then records the plan's new status.
   */
  async end(planId: string, action: PlanEndAction, actor: string, reason: string): Promise<{ workflowId: string }> {
    const stored = await this.getPlan(planId);
    if (stored.status === 'draft' && action === 'cancel') {
      await this.plans.setStatus(planId, 'cancelled', actor, stored.revision);
      return { workflowId: '' };
    }
    if (stored.status !== 'active') {
      throw new ApiError(ApiErrorCode.INVALID_TRANSITION, `Kế hoạch đang ở trạng thái ${stored.status}, không thể ${action === 'cancel' ? 'hủy' : 'kết thúc'}`);
    }
    const workflowId = planEndWorkflowId(planId);
    await this.temporal.client.workflow.start('planEndWorkflow', {
      workflowId,
      taskQueue: this.temporal.taskQueue,
      args: [{ planId, action, actor, reason, batchSize: 500 }],
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    });
    return { workflowId };
  }

  async progress(planId: string): Promise<{ workflowId: string; status: string; started: number; existing: number; total: number }> {
    await this.getPlan(planId);
    const workflowId = activationWorkflowId(planId);
    const handle = this.temporal.client.workflow.getHandle(workflowId);
    try {
      const [description, progress] = await Promise.all([handle.describe(), handle.query(activationProgressQuery)]);
      return { workflowId, status: description.status.name, ...progress };
    } catch {
      throw new ApiError(ApiErrorCode.NOT_FOUND, 'Kế hoạch chưa được kích hoạt');
    }
  }
}
