import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** Who did what to which record. Username is copied so the trail survives a renamed or removed user. */
@Entity({ name: 'audit_log' })
@Index('ix_audit_log_at', ['at'])
@Index('ix_audit_log_user_at', ['userId', 'at'])
@Index('ix_audit_log_target', ['targetType', 'targetId'])
export class AuditLogEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'at', type: 'timestamptz' })
  at!: Date;

  @Column({ name: 'user_id', type: 'uuid', nullable: true })
  userId!: string | null;

  @Column({ name: 'username', type: 'text', nullable: true })
  username!: string | null;

  @Column({ name: 'action', type: 'text' })
  action!: string;

  @Column({ name: 'target_type', type: 'text', nullable: true })
  targetType!: string | null;

  @Column({ name: 'target_id', type: 'text', nullable: true })
  targetId!: string | null;

  @Column({ name: 'detail', type: 'jsonb', default: () => "'{}'::jsonb" })
  detail!: Record<string, unknown>;

  @Column({ name: 'ip', type: 'text', nullable: true })
  ip!: string | null;

  @Column({ name: 'request_id', type: 'text', nullable: true })
  requestId!: string | null;
}
