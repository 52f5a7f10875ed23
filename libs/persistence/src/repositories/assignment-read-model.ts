import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { type AssignmentEventRecord, type AssignmentSnapshot } from '@app/contracts/workflow';
import { AssignmentEntity } from '../entities/assignment.entity';

export interface ReconcileRow {
  workflowId: string;
  status: string;
  unitCode: string;
  deadline: Date | null;
  progress: number;
  escalationLevel: number;
  lastSeq: number;
}

/** Port: the PostgreSQL projection of assignment workflows. */
export abstract class AssignmentReadModel {
  abstract applyTransition(snapshot: AssignmentSnapshot, event: AssignmentEventRecord): Promise<void>;
  /**
   * Repair: makes the row equal to the workflow's snapshot whatever it holds now, and adds the snapshot's
   * recent events that are missing. Only the reconciler calls it; the projection path never goes backwards.
   */
  abstract overwrite(snapshot: AssignmentSnapshot): Promise<void>;
  /** The rows the reconciler compares, for one plan or all. */
  abstract listForReconcile(planId?: string): Promise<ReconcileRow[]>;
  abstract findByWorkflowId(workflowId: string): Promise<AssignmentEntity | null>;
  abstract countByPlan(planId: string): Promise<number>;
}

@Injectable()
export class TypeormAssignmentReadModel extends AssignmentReadModel {
  constructor(private readonly ds: DataSource) {
    super();
  }

  async applyTransition(s: AssignmentSnapshot, e: AssignmentEventRecord): Promise<void> {
    await this.ds.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO assignment_events (workflow_id, seq, type, actor, at, comment, data)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (workflow_id, seq) DO NOTHING`,
        [s.workflowId, e.seq, e.type, e.actor, e.at, e.comment ?? null, JSON.stringify(e.data ?? {})],
      );
      // The row only moves forward: a late retry of an older transition never overwrites a newer one.
      await upsertRow(tx, s, 'WHERE assignments.last_seq < EXCLUDED.last_seq');
    });
  }

  async overwrite(s: AssignmentSnapshot): Promise<void> {
    await this.ds.transaction(async (tx) => {
      for (const e of s.recentEvents) {
        await tx.query(
          `INSERT INTO assignment_events (workflow_id, seq, type, actor, at, comment, data)
           VALUES ($1, $2, $3, $4, $5, $6, $7)
           ON CONFLICT (workflow_id, seq) DO NOTHING`,
          [s.workflowId, e.seq, e.type, e.actor, e.at, e.comment ?? null, JSON.stringify(e.data ?? {})],
        );
      }
      await upsertRow(tx, s, '');
    });
  }

  async listForReconcile(planId?: string): Promise<ReconcileRow[]> {
    const rows: {
      workflow_id: string;
      status: string;
      unit_code: string;
      deadline: Date | null;
      progress: number;
      escalation_level: number;
      last_seq: number;
    }[] = await this.ds.query(
      `SELECT workflow_id, status, unit_code, deadline, progress, escalation_level, last_seq FROM assignments
         WHERE $1::uuid IS NULL OR plan_id = $1::uuid`,
      [planId ?? null],
    );
    return rows.map((r) => ({
      workflowId: r.workflow_id,
      status: r.status,
      unitCode: r.unit_code,
      deadline: r.deadline,
      progress: r.progress,
      escalationLevel: r.escalation_level,
      lastSeq: r.last_seq,
    }));
  }

  findByWorkflowId(workflowId: string): Promise<AssignmentEntity | null> {
    return this.ds.getRepository(AssignmentEntity).findOne({ where: { workflowId } });
  }

  countByPlan(planId: string): Promise<number> {
    return this.ds.getRepository(AssignmentEntity).count({ where: { planId } });
  }
}

/** Inserts or updates the row from a snapshot; `guard` limits which existing rows an update may touch. */
async function upsertRow(tx: EntityManager, s: AssignmentSnapshot, guard: string): Promise<void> {
  await tx.query(
    `INSERT INTO assignments (workflow_id, plan_id, item_key, kind, unit_code, period_key, period_label, title, role,
                                  status, deadline, completed_at, progress, escalation_level, last_step_key, last_seq, state, updated_at)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17, now())
         ON CONFLICT (workflow_id) DO UPDATE SET
           kind = EXCLUDED.kind, period_label = EXCLUDED.period_label, title = EXCLUDED.title, role = EXCLUDED.role,
           unit_code = EXCLUDED.unit_code, status = EXCLUDED.status, deadline = EXCLUDED.deadline,
           completed_at = EXCLUDED.completed_at, progress = EXCLUDED.progress,
           escalation_level = EXCLUDED.escalation_level, last_step_key = EXCLUDED.last_step_key,
           last_seq = EXCLUDED.last_seq, state = EXCLUDED.state, updated_at = now()
         ${guard}`,
    [
      s.workflowId,
      s.input.planId,
      s.input.itemKey,
      s.input.kind,
      s.unitCode,
      s.input.periodKey,
      s.input.periodLabel,
      s.input.title,
      s.input.role,
      s.status,
      s.deadline,
      s.completedAt,
      s.progress,
      s.escalationLevel,
      s.lastStepKey,
      s.seq,
      JSON.stringify({
        submission: s.submission,
        pendingExtension: s.pendingExtension,
        progressNote: s.progressNote,
        firedSteps: s.firedSteps,
      }),
    ],
  );
}
