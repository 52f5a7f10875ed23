import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** Outbox row: one per (assignment, escalation step, recipient), written before the message is sent. */
@Entity({ name: 'notifications' })
@Index('ix_notifications_status', ['status', 'createdAt'])
@Index('ix_notifications_workflow', ['workflowId'])
export class NotificationEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index('ux_notifications_outbox_key', { unique: true })
  @Column({ name: 'outbox_key', type: 'text' })
  outboxKey!: string;

  @Column({ name: 'workflow_id', type: 'text', nullable: true })
  workflowId!: string | null;

  @Column({ name: 'step_key', type: 'text' })
  stepKey!: string;

  @Column({ name: 'kind', type: 'text' })
  kind!: string;

  @Column({ name: 'audience', type: 'text' })
  audience!: string;

  @Column({ name: 'recipient', type: 'text', nullable: true })
  recipient!: string | null;

  @Column({ name: 'unit_code', type: 'text', nullable: true })
  unitCode!: string | null;

  @Column({ name: 'recipient_name', type: 'text', nullable: true })
  recipientName!: string | null;

  /** 'to' or 'cc'. */
  @Column({ name: 'recipient_kind', type: 'text', nullable: true })
  recipientKind!: string | null;

  @Column({ name: 'recipient_locale', type: 'text', nullable: true })
  recipientLocale!: string | null;

  /** The server's words when it refused the address for good. */
  @Column({ name: 'rejected_reason', type: 'text', nullable: true })
  rejectedReason!: string | null;

  @Column({ name: 'last_attempt_at', type: 'timestamptz', nullable: true })
  lastAttemptAt!: Date | null;

  /** pending → sent | failed; 'requested' when recorded without a mailer. */
  @Column({ name: 'status', type: 'text' })
  status!: string;

  @Column({ name: 'message_id', type: 'text', nullable: true })
  messageId!: string | null;

  @Column({ name: 'subject', type: 'text', nullable: true })
  subject!: string | null;

  @Column({ name: 'attempts', type: 'int', default: 0 })
  attempts!: number;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  @Column({ name: 'payload', type: 'jsonb', default: () => "'{}'::jsonb" })
  payload!: Record<string, unknown>;

  /** The batch (notification_batches) a notice waits in or went out with; null for single messages. */
  @Column({ name: 'batch_key', type: 'text', nullable: true })
  batchKey!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt!: Date | null;
}
