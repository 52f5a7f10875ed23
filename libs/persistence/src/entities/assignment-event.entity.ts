import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One lifecycle transition, keyed by (workflow id, sequence) so a retried projection writes it once. */
@Entity({ name: 'assignment_events' })
@Index('ux_assignment_events_workflow_seq', ['workflowId', 'seq'], { unique: true })
export class AssignmentEventEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' })
  id!: string;

  @Column({ name: 'workflow_id', type: 'text' })
  workflowId!: string;

  @Column({ name: 'seq', type: 'int' })
  seq!: number;

  @Column({ name: 'type', type: 'text' })
  type!: string;

  @Column({ name: 'actor', type: 'text' })
  actor!: string;

  @Column({ name: 'at', type: 'timestamptz' })
  at!: Date;

  @Column({ name: 'comment', type: 'text', nullable: true })
  comment!: string | null;

  @Column({ name: 'data', type: 'jsonb', default: () => "'{}'::jsonb" })
  data!: Record<string, unknown>;
}
