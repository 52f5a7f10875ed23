import { Column, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** A node of the organisation tree. The tree is data: Vietnam reorganises its administrative levels. */
@Entity({ name: 'units' })
@Index('ix_units_parent', ['parentCode'])
export class UnitEntity {
  @PrimaryColumn({ name: 'code', type: 'text' })
  code!: string;

  @Column({ name: 'name', type: 'text' })
  name!: string;

  @Column({ name: 'short_name', type: 'text', nullable: true })
  shortName!: string | null;

  @Column({ name: 'kind', type: 'text' })
  kind!: string;

  @Column({ name: 'parent_code', type: 'text', nullable: true })
  parentCode!: string | null;

  @Column({ name: 'supervisor_code', type: 'text', nullable: true })
  supervisorCode!: string | null;

  @Column({ name: 'aliases', type: 'jsonb', default: () => "'[]'::jsonb" })
  aliases!: string[];

  @Column({ name: 'emails', type: 'jsonb', default: () => "'[]'::jsonb" })
  emails!: string[];

  @Column({ name: 'head', type: 'jsonb', nullable: true })
  head!: { name: string; title: string; email: string } | null;

  @Column({ name: 'locale', type: 'text', default: 'vi' })
  locale!: string;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

@Entity({ name: 'unit_groups' })
export class UnitGroupEntity {
  @PrimaryColumn({ name: 'code', type: 'text' })
  code!: string;

  @Column({ name: 'name', type: 'text' })
  name!: string;

  @Column({ name: 'aliases', type: 'jsonb', default: () => "'[]'::jsonb" })
  aliases!: string[];

  /** Explicit member codes or a selector by unit kind. */
  @Column({ name: 'members', type: 'jsonb' })
  members!: Record<string, unknown>;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
