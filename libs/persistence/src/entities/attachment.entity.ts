import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** A file uploaded for an assignment; the bytes live in attachment storage under the same id. */
@Entity({ name: 'attachments' })
@Index('ix_attachments_workflow', ['workflowId'])
export class AttachmentEntity {
  /** Chosen by the API before the bytes are stored, so storage and row share one key. */
  @PrimaryColumn({ name: 'id', type: 'uuid' })
  id!: string;

  @Column({ name: 'workflow_id', type: 'text' })
  workflowId!: string;

  @Column({ name: 'name', type: 'text' })
  name!: string;

  /** bigint comes back from pg as a string; uploads are far below 2^53, so it is read as a number. */
  @Column({ name: 'size', type: 'bigint', transformer: { to: (v: number) => v, from: (v: string | number) => Number(v) } })
  size!: number;

  @Column({ name: 'content_type', type: 'text' })
  contentType!: string;

  @Column({ name: 'sha256', type: 'text' })
  sha256!: string;

  @Column({ name: 'uploaded_by', type: 'uuid', nullable: true })
  uploadedBy!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
