import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

@Entity({ name: 'plans' })
@Index('ix_plans_status', ['status'])
export class PlanEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'number', type: 'text', nullable: true })
  number!: string | null;

  @Column({ name: 'title', type: 'text' })
  title!: string;

  @Column({ name: 'year', type: 'int' })
  year!: number;

  @Column({ name: 'status', type: 'text', default: 'draft' })
  status!: string;

  /** The plan document validated by the domain schema. */
  @Column({ name: 'document', type: 'jsonb' })
  document!: Record<string, unknown>;

  @Column({ name: 'warnings', type: 'jsonb', default: () => "'[]'::jsonb" })
  warnings!: unknown[];

  @Column({ name: 'source_text', type: 'text', nullable: true })
  sourceText!: string | null;

  @Column({ name: 'source_name', type: 'text', nullable: true })
  sourceName!: string | null;

  /** Stable name for sample or seeded plans, so loading them twice finds the first. */
  @Index('ux_plans_slug', { unique: true, where: 'slug IS NOT NULL' })
  @Column({ name: 'slug', type: 'text', nullable: true })
  slug!: string | null;

  @Column({ name: 'revision', type: 'int', default: 1 })
  revision!: number;

  @Column({ name: 'created_by', type: 'text' })
  createdBy!: string;

  @Column({ name: 'activated_at', type: 'timestamptz', nullable: true })
  activatedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
