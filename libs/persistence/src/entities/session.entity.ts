import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A signed-in browser. The id is the SHA-256 of the cookie's token, so a leaked table (or backup)
 * cannot be replayed as cookies.
 */
@Entity({ name: 'sessions' })
@Index('ix_sessions_user', ['userId'])
@Index('ix_sessions_expires', ['expiresAt'])
export class SessionEntity {
  @PrimaryColumn({ name: 'id', type: 'text' })
  id!: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @Column({ name: 'csrf_token', type: 'text' })
  csrfToken!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'last_seen_at', type: 'timestamptz' })
  lastSeenAt!: Date;

  @Column({ name: 'ip', type: 'text', nullable: true })
  ip!: string | null;

  @Column({ name: 'user_agent', type: 'text', nullable: true })
  userAgent!: string | null;
}

/** One failed sign-in; kept in PostgreSQL so every API replica counts the same failures per IP. */
@Entity({ name: 'login_failures' })
@Index('ix_login_failures_ip_at', ['ip', 'at'])
@Index('ix_login_failures_username_at', ['username', 'at'])
export class LoginFailureEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' })
  id!: string;

  @Column({ name: 'ip', type: 'text' })
  ip!: string;

  @Column({ name: 'username', type: 'text' })
  username!: string;

  @Column({ name: 'at', type: 'timestamptz' })
  at!: Date;
}
