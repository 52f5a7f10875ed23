import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { OrganisationDirectory, type OrganisationFile, OrganisationFileSchema, type Unit, type UnitGroup } from '@app/domain';
import { UnitEntity, UnitGroupEntity } from '../entities/unit.entity';

/** Port: the organisation tree as data (units, groups), editable at run time. */
export abstract class OrganisationRepository {
  abstract load(): Promise<OrganisationDirectory>;
  /** Replaces the whole directory in one transaction (an import of the YAML/JSON file). */
  abstract replace(file: OrganisationFile): Promise<void>;
  /** Loads the file only into an empty directory, so admin edits survive restarts. */
  abstract seedIfEmpty(file: OrganisationFile): Promise<boolean>;
  abstract upsertUnit(unit: Unit): Promise<void>;
  /** Whether a unit with this code exists (an account of a unit must name a real one). */
  abstract hasUnit(code: string): Promise<boolean>;
}

@Injectable()
export class TypeormOrganisationRepository extends OrganisationRepository {
  /**
   * Every notification and import reads the directory; rebuilding it (two queries, a schema parse, the
   * matcher's index) each time is wasted while nothing changed. One cheap query tells whether any process
   * changed it since: every write moves updated_at or the row count.
   */
  private cached?: { fingerprint: string; directory: OrganisationDirectory };

  constructor(private readonly ds: DataSource) {
    super();
  }

  async hasUnit(code: string): Promise<boolean> {
    return this.ds.getRepository(UnitEntity).exists({ where: { code } });
  }

  async load(): Promise<OrganisationDirectory> {
    const [row] = await this.ds.query(
      `SELECT (SELECT count(*) FROM units) || '/' || coalesce((SELECT max(updated_at) FROM units)::text, '') || '/' ||
              (SELECT count(*) FROM unit_groups) || '/' || coalesce((SELECT max(updated_at) FROM unit_groups)::text, '') AS fingerprint`,
    );
    const fingerprint = String(row.fingerprint);
    if (this.cached?.fingerprint === fingerprint) return this.cached.directory;
    const directory = await this.readDirectory();
    this.cached = { fingerprint, directory };
    return directory;
  }

  private async readDirectory(): Promise<OrganisationDirectory> {
    const [units, groups] = await Promise.all([
      this.ds.getRepository(UnitEntity).find({ order: { code: 'ASC' } }),
      this.ds.getRepository(UnitGroupEntity).find({ order: { code: 'ASC' } }),
    ]);
    const file = OrganisationFileSchema.parse({
      version: 1,
      name: 'Dondoc',
      units: units.map((u) => ({
        code: u.code,
        name: u.name,
        shortName: u.shortName ?? undefined,
        aliases: u.aliases,
        kind: u.kind,
        parentCode: u.parentCode,
        supervisorCode: u.supervisorCode,
        head: u.head ?? undefined,
        emails: u.emails,
        locale: u.locale,
      })),
      groups: groups.map((g) => ({ code: g.code, name: g.name, aliases: g.aliases, members: g.members })),
    });
    return new OrganisationDirectory(file);
  }

  async replace(file: OrganisationFile): Promise<void> {
    await this.ds.transaction(async (tx) => {
      await tx.query('DELETE FROM unit_groups');
      await tx.query('DELETE FROM units');
      await this.insertAll(tx, file);
    });
  }

  async seedIfEmpty(file: OrganisationFile): Promise<boolean> {
    return this.ds.transaction(async (tx) => {
      // Serialises concurrent seeders (API and CLI starting together).
      await tx.query('SELECT pg_advisory_xact_lock(7331002)');
      const [{ n }] = await tx.query('SELECT count(*)::int AS n FROM units');
      if (n > 0) return false;
      await this.insertAll(tx, file);
      return true;
    });
  }

  async upsertUnit(unit: Unit): Promise<void> {
    await this.ds.getRepository(UnitEntity).save(toEntity(unit));
  }

  private async insertAll(tx: EntityManager, file: OrganisationFile): Promise<void> {
    await tx.getRepository(UnitEntity).save(file.units.map(toEntity));
    await tx.getRepository(UnitGroupEntity).save(file.groups.map(toGroupEntity));
  }
}

function toEntity(u: Unit): UnitEntity {
  return Object.assign(new UnitEntity(), {
    code: u.code,
    name: u.name,
    shortName: u.shortName ?? null,
    kind: u.kind,
    parentCode: u.parentCode ?? null,
    supervisorCode: u.supervisorCode ?? null,
    aliases: u.aliases ?? [],
    emails: u.emails ?? [],
    head: u.head ?? null,
    locale: u.locale ?? 'vi',
  });
}

function toGroupEntity(g: UnitGroup): UnitGroupEntity {
  return Object.assign(new UnitGroupEntity(), { code: g.code, name: g.name, aliases: g.aliases ?? [], members: g.members });
}
