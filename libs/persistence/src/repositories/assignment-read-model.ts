import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { type AssignmentEventRecord, type AssignmentSnapshot } from '@app/workflows/contracts';
import { AssignmentEntity } from '../entities/assignment.entity';

/** Port: the PostgreSQL projection of assignment workflows. */
export abstract class AssignmentReadModel {
  abstract applyTransition(snapshot: AssignmentSnapshot, event: AssignmentEventRecord): Promise<void>;
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
      await tx.query(
        `INSERT INTO assignments (workflow_id, plan_id, item_key, kind, unit_code, period_key, period_label, title, role,
                                  status, deadline, completed_at, progress, escalation_level, last_step_key, last_seq, state, updated_at)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17, now())
         ON CONFLICT (workflow_id) DO UPDATE SET
           unit_code = EXCLUDED.unit_code, status = EXCLUDED.status, deadline = EXCLUDED.deadline,
           completed_at = EXCLUDED.completed_at, progress = EXCLUDED.progress,
           escalation_level = EXCLUDED.escalation_level, last_step_key = EXCLUDED.last_step_key,
           last_seq = EXCLUDED.last_seq, state = EXCLUDED.state, updated_at = now()
         WHERE assignments.last_seq < EXCLUDED.last_seq`,
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
          JSON.stringify({ submission: s.submission, pendingExtension: s.pendingExtension, progressNote: s.progressNote, firedSteps: s.firedSteps }),
        ],
      );
    });
  }

  findByWorkflowId(workflowId: string): Promise<AssignmentEntity | null> {
    return this.ds.getRepository(AssignmentEntity).findOne({ where: { workflowId } });
  }

  countByPlan(planId: string): Promise<number> {
    return this.ds.getRepository(AssignmentEntity).count({ where: { planId } });
  }
}
