import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { type Plan, plannedLeadUnitCode, type SourceLocation } from '@app/domain';
import { AssignmentQueries, OrganisationRepository, PlanRepository } from '@app/persistence';
import { type AuthUser } from '../auth/auth.types';
import { UnitScope } from '../auth/unit-scope';
import { ApiError, ApiErrorCode } from '../common/errors';
import { type Coordination, CoordinationQueries } from './coordination';
import { type AssignmentListItem, dueSoonMs, toListItem } from './list-item';

export interface AssignmentPlace {
  sectionKey: string | null;
  sectionHeading: string | null;
  text: string;
  source: SourceLocation;
}

/** docs/api-contract.md `GET /api/assignments/:workflowId`. */
export interface AssignmentDetail {
  assignment: AssignmentListItem & {
    leadUnitCode: string | null;
    progressNote: string | null;
    submission: unknown;
    pendingExtension: unknown;
    completedAt: string | null;
  };
  plan: { id: string; number: string | null; title: string };
  place: AssignmentPlace | null;
  /** The other units on the same duty and period (a lead sees its partners); null for reports. */
  coordination: Coordination | null;
  events: { seq: number; type: string; actor: string; actorName: string | null; at: string; comment: string | null; data: Record<string, unknown> }[];
  notifications: { stepKey: string; kind: string; recipient: string | null; status: string; sentAt: string | null; subject: string | null }[];
}

/** Where an item sits in its plan: the responsibility under its section heading, or the reporting rule. */
export function placeOf(plan: Plan, itemKey: string, kind: string): AssignmentPlace | null {
  if (kind === 'report') {
    const rule = plan.reportingRules.find((r) => r.key === itemKey);
    if (!rule) return null;
    const section = plan.sections.find((s) => s.key === rule.source.section);
    return { sectionKey: rule.source.section, sectionHeading: section?.title ?? null, text: rule.text, source: rule.source };
  }
  const r = plan.responsibilities.find((x) => x.key === itemKey);
  if (!r) return null;
  const section = plan.responsibilitySections.find((s) => s.key === r.sectionKey);
  return { sectionKey: r.sectionKey, sectionHeading: section?.heading ?? null, text: r.text, source: r.source };
}

@Injectable()
export class AssignmentDetailService {
  constructor(
    private readonly queries: AssignmentQueries,
    private readonly plans: PlanRepository,
    private readonly organisation: OrganisationRepository,
    private readonly team: CoordinationQueries,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async detail(workflowId: string, user: AuthUser): Promise<AssignmentDetail> {
    const now = new Date();
    const row = await this.queries.findOne(workflowId, now, dueSoonMs(this.config));
    if (!row) throw new ApiError(ApiErrorCode.NOT_FOUND);
    UnitScope.of(user).assertVisible(row.unitCode);
    const [plan, events, notifications, coordination, directory] = await Promise.all([
      this.plans.get(row.planId),
      this.queries.events(workflowId),
      this.queries.notifications(workflowId),
      this.team.teamOf(row, now, dueSoonMs(this.config)),
      this.organisation.load(),
    ]);
    const state = row.state;
    return {
      assignment: {
        ...toListItem(row, now),
        // The read model does not keep the lead unit: derived from the plan exactly as activation derives it.
        leadUnitCode: plan ? plannedLeadUnitCode(plan.document, directory, row) : null,
        progressNote: typeof state.progressNote === 'string' ? state.progressNote : null,
        submission: state.submission ?? null,
        pendingExtension: state.pendingExtension ?? null,
        completedAt: row.completedAt ? row.completedAt.toISOString() : null,
      },
      plan: { id: row.planId, number: row.planNumber, title: row.planTitle },
      place: plan ? placeOf(plan.document, row.itemKey, row.kind) : null,
      coordination,
      events: events.map((e) => ({ ...e, at: e.at.toISOString() })),
      notifications: notifications.map((n) => ({ ...n, sentAt: n.sentAt ? n.sentAt.toISOString() : null })),
    };
  }
}
