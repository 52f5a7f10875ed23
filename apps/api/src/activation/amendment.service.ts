import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { WorkflowIdConflictPolicy } from '@temporalio/client';
import { type AssignmentDiff, blockingProblems, diffPlanVersions, type OrganisationDirectory, type Plan, type PlannedAssignment, planAssignments } from '@app/domain';
import { OrganisationRepository, type PlanChange, PlanRepository, previewPlanEdit, type StoredAmendment, type StoredPlan } from '@app/persistence';
import { TemporalClientProvider } from '@app/temporal';
import { activationWorkflowId, amendmentProgressQuery, amendmentWorkflowId, planEndWorkflowId } from '@app/contracts/workflow';
import { ApiError, ApiErrorCode } from '../common/errors';
import { fromRepositoryError, UnprocessableError } from '../plans/plan-errors';
import { touchedUnitRefProblems } from '../plans/plan-validation';
import { dueSoonMs } from '../inbox/list-item';
import { forecastNotices, type NoticeForecast } from './notice-forecast';

/** One line of the preview: which work, for which unit and period, and the deadline before/after. */
export interface AmendmentLine {
  itemKey: string;
  unitCode: string;
  periodKey: string;
  title: string;
  deadlineBefore: string | null;
  deadlineAfter: string | null;
  fields?: string[];
}

export interface AmendmentPreview {
  planId: string;
  revision: number;
  counts: { start: number; cancel: number; amend: number; unchanged: number };
  /** The first lines of each kind, for the confirmation screen; counts are always complete. */
  start: AmendmentLine[];
  cancel: AmendmentLine[];
  amend: AmendmentLine[];
  /**
   * What the started and changed work mails: overdue / due soon among them, and the emails per kind of recipient
   * (new work: started work and moved deadlines; daily: the late step each one starts or re-arms at).
   */
  notices: NoticeForecast;
}

export interface AmendmentView {
  id: string;
  planId: string;
  fromRevision: number;
  toRevision: number;
  reason: string;
  actor: string;
  status: StoredAmendment['status'];
  planned: Record<string, number>;
  result: Record<string, number> | null;
  changes: PlanChange[];
  createdAt: Date;
  finishedAt: Date | null;
  workflowId: string;
  /** While it runs: how far the workflow got. */
  progress?: Record<string, number>;
}

const PREVIEW_LINES = 50;

/** The counts an amendment stores as 'planned' and the API shows before confirmation. */
function countsOf(diff: AssignmentDiff<PlannedAssignment>): AmendmentPreview['counts'] {
  return { start: diff.added.length, cancel: diff.removed.length, amend: diff.changed.length, unchanged: diff.unchanged };
}

@Injectable()
export class AmendmentService {
  constructor(
    private readonly plans: PlanRepository,
    private readonly organisation: OrganisationRepository,
    private readonly temporal: TemporalClientProvider,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** What the amendment would do to running work, without changing anything. */
  async preview(planId: string, revision: number, changes: PlanChange[]): Promise<AmendmentPreview> {
    const stored = await this.activePlan(planId);
    if (revision !== stored.revision) {
      throw new ApiError(ApiErrorCode.CONFLICT, `Kế hoạch đã được sửa (phiên bản ${stored.revision}, bạn sửa phiên bản ${revision}); tải lại rồi sửa tiếp`);
    }
    const directory = await this.organisation.load();
    let after: Plan;
    try {
      after = previewPlanEdit(stored.document, { changes, verify: (plan, applied) => verifyAmendment(stored.document, plan, applied, directory) });
    } catch (err) {
      throw fromRepositoryError(err);
    }
    const diff = diffPlanVersions(stored.document, after, directory);
    const line = (a: PlannedAssignment, before: PlannedAssignment | null, fields?: string[]): AmendmentLine => ({
      itemKey: a.itemKey,
      unitCode: a.unitCode,
      periodKey: a.periodKey,
      title: a.title,
      deadlineBefore: before ? before.deadline : null,
      deadlineAfter: a.deadline,
      ...(fields ? { fields } : {}),
    });
    return {
      planId,
      revision: stored.revision,
      counts: countsOf(diff),
      start: diff.added.slice(0, PREVIEW_LINES).map((a) => line(a, null)),
      cancel: diff.removed.slice(0, PREVIEW_LINES).map((a) => ({ ...line(a, a), deadlineAfter: null })),
      amend: diff.changed.slice(0, PREVIEW_LINES).map((c) => line(c.after, c.before, c.fields)),
      notices: forecastNotices(
        'amendment',
        [
          ...diff.added.map((assignment) => ({ assignment, newWork: true })),
          // A changed assignment is told only when its deadline moved (the 'deadline_changed' notice); a late
          // step that was already due under the old deadline has fired then and is not sent again.
          ...diff.changed.map((c) => ({
            assignment: c.after,
            newWork: c.after.deadline !== null && c.after.deadline !== c.before.deadline,
            previousDeadline: c.before.deadline,
          })),
        ],
        directory,
        new Date(),
        dueSoonMs(this.config),
      ),
    };
  }

  /**
   * Stores the amended plan (new revision, audited) with the amendment record in one transaction, then starts
   * the workflow that carries it into the running assignments. One amendment of a plan runs at a time.
   */
  async amend(planId: string, revision: number, changes: PlanChange[], reason: string, actor: string): Promise<AmendmentView> {
    const stored = await this.activePlan(planId);
    await this.refuseWhileBusy(planId);
    const directory = await this.organisation.load();
    let amendment: StoredAmendment;
    try {
      ({ amendment } = await this.plans.amend(
        planId,
        {
          revision,
          changes,
          reason,
          verify: (plan, applied) => verifyAmendment(stored.document, plan, applied, directory),
          planned: (before, after) => countsOf(diffPlanVersions(before, after, directory)),
        },
        actor,
      ));
    } catch (err) {
      throw fromRepositoryError(err);
    }
    await this.startWorkflow(amendment);
    return this.view(amendment);
  }

  async list(planId: string): Promise<AmendmentView[]> {
    await this.plan(planId);
    return Promise.all((await this.plans.listAmendments(planId)).map((a) => this.view(a)));
  }

  async get(planId: string, amendmentId: string): Promise<AmendmentView> {
    await this.plan(planId);
    const amendment = await this.plans.getAmendment(amendmentId);
    if (!amendment || amendment.planId !== planId) throw new ApiError(ApiErrorCode.NOT_FOUND, 'Không tìm thấy lần điều chỉnh');
    return this.view(amendment);
  }

  private async view(a: StoredAmendment): Promise<AmendmentView> {
    const workflowId = amendmentWorkflowId(a.planId, a.id);
    const base: AmendmentView = {
      id: a.id,
      planId: a.planId,
      fromRevision: a.fromRevision,
      toRevision: a.toRevision,
      reason: a.reason,
      actor: a.actor,
      status: a.status,
      planned: a.planned,
      result: a.result,
      changes: a.changes,
      createdAt: a.createdAt,
      finishedAt: a.finishedAt,
      workflowId,
    };
    if (a.status !== 'running') return base;
    try {
      const { offset: _offset, ...progress } = await this.temporal.client.workflow.getHandle(workflowId).query(amendmentProgressQuery);
      return { ...base, progress };
    } catch {
      return base;
    }
  }

  private async plan(planId: string): Promise<StoredPlan> {
    const stored = await this.plans.get(planId);
    if (!stored) throw new ApiError(ApiErrorCode.NOT_FOUND, 'Không tìm thấy kế hoạch');
    return stored;
  }

  private async activePlan(planId: string): Promise<StoredPlan> {
    const stored = await this.plan(planId);
    if (stored.status !== 'active') {
      throw new ApiError(ApiErrorCode.INVALID_TRANSITION, `Kế hoạch đang ở trạng thái ${stored.status}, chỉ điều chỉnh được kế hoạch đang thực hiện`);
    }
    return stored;
  }

  /**
   * Activation computes its list from the stored plan, and cancelling or closing ends every assignment; an
   * amendment in the middle of either would race it. A previous amendment whose workflow never started (the
   * API stopped right after storing it) is started here, so it finishes and the next one can go.
   */
  private async refuseWhileBusy(planId: string): Promise<void> {
    const running = async (workflowId: string): Promise<boolean> => {
      try {
        return (await this.temporal.client.workflow.getHandle(workflowId).describe()).status.name === 'RUNNING';
      } catch {
        return false;
      }
    };
    if (await running(activationWorkflowId(planId))) {
      throw new ApiError(ApiErrorCode.CONFLICT, 'Kế hoạch đang được kích hoạt; chờ kích hoạt xong rồi điều chỉnh');
    }
    if (await running(planEndWorkflowId(planId))) {
      throw new ApiError(ApiErrorCode.CONFLICT, 'Kế hoạch đang được hủy hoặc kết thúc, không thể điều chỉnh');
    }
    const pending = await this.plans.runningAmendments(planId);
    for (const a of pending) await this.startWorkflow(a);
    if (pending.length > 0) {
      throw new ApiError(ApiErrorCode.CONFLICT, 'Lần điều chỉnh trước của kế hoạch đang được thực hiện; chờ xong rồi điều chỉnh tiếp');
    }
  }

  private async startWorkflow(a: StoredAmendment): Promise<void> {
    await this.temporal.client.workflow.start('planAmendmentWorkflow', {
      workflowId: amendmentWorkflowId(a.planId, a.id),
      taskQueue: this.temporal.taskQueue,
      args: [{ amendmentId: a.id, planId: a.planId, batchSize: 200 }],
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    });
  }
}

/**
 * The amended plan must still be activatable as a whole: every unit reference it touches names a known unit,
 * every responsibility resolves to units, and the year stays, since every period and deadline hangs on it.
 */
function verifyAmendment(before: Plan, plan: Plan, applied: ReadonlyArray<{ path: string }>, directory: OrganisationDirectory): void {
  const fields = touchedUnitRefProblems(plan, applied, directory);
  if (before.metadata.year !== plan.metadata.year) {
    fields['metadata.year'] = ['Không đổi được năm của kế hoạch đang thực hiện; hãy kết thúc kế hoạch và nhập kế hoạch mới'];
  }
  // Only what leaves a duty with nobody refuses; warnings (a partner or deadline activation cannot carry) do not.
  for (const p of blockingProblems(planAssignments(plan, directory).problems)) (fields[p.itemKey] ??= []).push(`${p.code}: ${p.text}`);
  if (Object.keys(fields).length > 0) throw new UnprocessableError('INVALID_AMENDMENT', 'Kế hoạch sau điều chỉnh còn chỗ chưa hợp lệ', fields);
}
