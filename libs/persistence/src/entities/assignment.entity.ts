import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** Read model of one assignment workflow: what the inbox and the dashboard query. */
@Entity({ name: 'assignments' })
// The inbox and dashboard indexes carry INCLUDE columns and partial predicates, which only their migrations
// (Queries, QuerySpeed) spell out; these declarations list the keys.
@Index('ix_assignments_unit_inbox', ['unitCode', 'deadline', 'workflowId'])
@Index('ix_assignments_plan_status', ['planId', 'status'])
@Index('ix_assignments_status_deadline', ['status', 'deadline'])
export class AssignmentEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index('ux_assignments_workflow_id', { unique: true })
  @Column({ name: 'workflow_id', type: 'text' })
  workflowId!: string;

  @Column({ name: 'plan_id', type: 'uuid' })
  planId!: string;

  @Column({ name: 'item_key', type: 'text' })
  itemKey!: string;

  @Column({ name: 'kind', type: 'text' })
  kind!: string;

  @Column({ name: 'unit_code', type: 'text' })
  unitCode!: string;

  @Column({ name: 'period_key', type: 'text' })
  periodKey!: string;

  @Column({ name: 'period_label', type: 'text', default: '' })
  periodLabel!: string;

  @Column({ name: 'title', type: 'text' })
  title!: string;

  @Column({ name: 'role', type: 'text', default: 'lead' })
  role!: string;

  @Column({ name: 'status', type: 'text' })
  status!: string;

  @Column({ name: 'deadline', type: 'timestamptz', nullable: true })
  deadline!: Date | null;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt!: Date | null;

  @Column({ name: 'progress', type: 'int', default: 0 })
  progress!: number;

  @Column({ name: 'escalation_level', type: 'int', default: 0 })
  escalationLevel!: number;

  @Column({ name: 'last_step_key', type: 'text', nullable: true })
  lastStepKey!: string | null;

  @Column({ name: 'last_seq', type: 'int', default: 0 })
  lastSeq!: number;

  @Column({ name: 'state', type: 'jsonb', default: () => "'{}'::jsonb" })
  state!: Record<string, unknown>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
