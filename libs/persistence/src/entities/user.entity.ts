import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const USER_ROLES = ['admin', 'coordinator', 'leader', 'unit_head', 'unit_officer'] as const;
export type UserRole = (typeof USER_ROLES)[number];
export type UserLocale = 'vi' | 'en';

/** A person who signs in. Unit roles see only their unit's work, so they must carry a unit code. */
@Entity({ name: 'users' })
@Index('ix_users_role_unit', ['role', 'unitCode'])
export class UserEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** Always stored lowercase so sign-in ignores case without a functional index. */
  @Index('ux_users_username', { unique: true })
  @Column({ name: 'username', type: 'text' })
  username!: string;

  @Column({ name: 'display_name', type: 'text' })
  displayName!: string;

  @Column({ name: 'email', type: 'text', nullable: true })
  email!: string | null;

  @Column({ name: 'password_hash', type: 'text' })
  passwordHash!: string;

  @Column({ name: 'role', type: 'text' })
  role!: UserRole;

  @Column({ name: 'unit_code', type: 'text', nullable: true })
  unitCode!: string | null;

  @Column({ name: 'locale', type: 'text', default: 'vi' })
  locale!: UserLocale;

  @Column({ name: 'disabled', type: 'boolean', default: false })
  disabled!: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
