import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** Who changed what in a plan, and when. */
@Entity({ name: 'plan_edits' })
@Index('ix_plan_edits_plan_at', ['planId', 'at'])
export class PlanEditEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'plan_id', type: 'uuid' })
  planId!: string;

  @Column({ name: 'actor', type: 'text' })
  actor!: string;

  @Column({ name: 'at', type: 'timestamptz' })
  at!: Date;

  @Column({ name: 'action', type: 'text' })
  action!: string;

  @Column({ name: 'path', type: 'text', nullable: true })
  path!: string | null;

  @Column({ name: 'before', type: 'jsonb', nullable: true })
  before!: unknown;

  @Column({ name: 'after', type: 'jsonb', nullable: true })
  after!: unknown;
}
