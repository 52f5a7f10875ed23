import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { type AssignmentStatus, type Timeliness } from '@app/domain';
import { assignmentTimelinessSql } from '@app/persistence';
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

interface RawMember {
  workflow_id: string;
  unit_code: string;
  unit_name: string | null;
  role: 'lead' | 'coordinate';
  status: AssignmentStatus;
  timeliness: Timeliness | null;
  progress: number;
  progress_note: string | null;
  deadline: Date | null;
  updated_at: Date;
}

@Injectable()
export class CoordinationQueries {
  constructor(private readonly ds: DataSource) {}

  /** The other assignments of the same plan, item and period; cancelled work is nobody's and is left out. */
  async teamOf(
    a: { workflowId: string; planId: string; itemKey: string; periodKey: string; kind: string; role: string },
    now: Date,
    dueSoonMs: number,
  ): Promise<Coordination | null> {
    // Reports have reporters, not partners: every reporter files its own.
    if (a.kind !== 'responsibility') return null;
    const rows = await this.ds.query<RawMember[]>(
      `SELECT a.workflow_id, a.unit_code, u.name AS unit_name, a.role, a.status, ${assignmentTimelinessSql('a', '$5', '$6')} AS timeliness,
              a.progress, a.state->>'progressNote' AS progress_note, a.deadline, a.updated_at
       FROM assignments a LEFT JOIN units u ON u.code = a.unit_code
       WHERE a.plan_id = $1 AND a.item_key = $2 AND a.period_key = $3 AND a.workflow_id <> $4 AND a.status <> 'cancelled'
       ORDER BY a.role DESC, a.unit_code`,
      [a.planId, a.itemKey, a.periodKey, a.workflowId, now, dueSoonMs],
    );
    const members = rows.map((r): TeamMember => ({
      workflowId: r.workflow_id,
      unitCode: r.unit_code,
      unitName: r.unit_name ?? r.unit_code,
      role: r.role,
      status: r.status,
      timeliness: r.timeliness,
      progress: r.progress,
      progressNote: r.progress_note,
      deadline: r.deadline ? r.deadline.toISOString() : null,
      daysLeft: daysLeftOf(r.status, r.deadline, now),
      updatedAt: r.updated_at.toISOString(),
    }));
    // A lead sees its partners; the other units leading a group duty (every commune) are not its business.
    if (a.role === 'lead') return { leads: [], coordinators: members.filter((m) => m.role === 'coordinate') };
    return {
      leads: members.filter((m) => m.role === 'lead'),
      coordinators: members.filter((m) => m.role === 'coordinate'),
    };
  }
}
