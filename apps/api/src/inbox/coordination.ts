import { Injectable } from '@nestjs/common';
import { type AssignmentStatus, type Timeliness } from '@app/domain';
import { AssignmentQueries } from '@app/persistence';
import { daysLeftOf } from './list-item';

/** One unit working on the same duty and period, as the lead (or a partner) sees it. docs/api-contract.md. */
export interface TeamMember {
  workflowId: string;
  unitCode: string;
  unitName: string;
  role: 'lead' | 'coordinate';
  status: AssignmentStatus;
  timeliness: Timeliness | null;
  progress: number;
  /** The last progress note the unit wrote, if any. */
  progressNote: string | null;
  deadline: string | null;
  daysLeft: number | null;
  updatedAt: string;
}

/**
 * Who else works on a duty: on a lead assignment, its partners ('phối hợp'); on a partner's assignment, the lead(s)
 * and the other partners. Only the units of that duty and district-wide roles can open either assignment
 * (UnitScope in the detail), so this list is shown to exactly them.
 */
export interface Coordination {
  leads: TeamMember[];
  coordinators: TeamMember[];
}

@Injectable()
export class CoordinationQueries {
  constructor(private readonly assignments: AssignmentQueries) {}

  /** The other assignments of the same plan, item and period; cancelled work is nobody's and is left out. */
  async teamOf(
    a: { workflowId: string; planId: string; itemKey: string; periodKey: string; kind: string; role: string },
    now: Date,
    dueSoonMs: number,
  ): Promise<Coordination | null> {
    // Reports have reporters, not partners: every reporter files its own.
    if (a.kind !== 'responsibility') return null;
    const rows = await this.assignments.team(a, now, dueSoonMs);
    const members = rows.map((r): TeamMember => ({
      workflowId: r.workflowId,
      unitCode: r.unitCode,
      unitName: r.unitName ?? r.unitCode,
      role: r.role,
      status: r.status,
      timeliness: r.timeliness,
      progress: r.progress,
      progressNote: r.progressNote,
      deadline: r.deadline ? r.deadline.toISOString() : null,
      daysLeft: daysLeftOf(r.status, r.deadline, now),
      updatedAt: r.updatedAt.toISOString(),
    }));
    // A lead sees its partners; the other units leading a group duty (every commune) are not its business.
    if (a.role === 'lead') return { leads: [], coordinators: members.filter((m) => m.role === 'coordinate') };
    return {
      leads: members.filter((m) => m.role === 'lead'),
      coordinators: members.filter((m) => m.role === 'coordinate'),
    };
  }
}
