import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import {
  createsKeys,
  editPlan,
  type Plan,
  type PlanChange,
  PlanEditError,
  type PlanEditInput,
  type PlanEditRecord,
  planEditRefusal,
  PlanSchema,
  type PlanStatus,
  type PlanWarning,
} from '@app/domain';
import { PlanEditEntity } from '../entities/plan-edit.entity';
import { PlanEntity } from '../entities/plan.entity';

/** A parser warning plus what the coordinator decided about it. */
export interface StoredPlanWarning extends PlanWarning {
  resolution?: { note: string; by: string; at: string };
}

export interface StoredPlan {
  id: string;
  slug: string | null;
  status: PlanStatus;
  revision: number;
  document: Plan;
  warnings: StoredPlanWarning[];
  sourceText: string | null;
  sourceName: string | null;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
  activatedAt: Date | null;
}

export interface PlanSummary {
  id: string;
  slug: string | null;
  number: string | null;
  title: string;
  year: number;
  status: PlanStatus;
  revision: number;
  warningCount: number;
  unresolvedWarningCount: number;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewDraft {
  plan: Plan;
  warnings: readonly PlanWarning[];
  sourceText: string | null;
  sourceName: string | null;
  /** Stable name of a seeded plan; unique. */
  slug?: string;
}

export interface PlanListQuery {
  page: number;
  pageSize: number;
  status?: PlanStatus;
  year?: number;
  /** Matched against number and title, case-insensitively. */
  text?: string;
  sort?: 'created' | 'updated' | 'year' | 'title';
  order?: 'asc' | 'desc';
}

export interface PlanEdit {
  id: string;
  actor: string;
  at: Date;
  action: string;
  path: string | null;
  before: unknown;
  after: unknown;
}

export interface Paged<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

/** The rules of the edit itself (changes, audit action, caller's checks) live in the domain: plan-editing.ts. */
export interface PlanEditRequest extends PlanEditInput {
  /** The revision the client edited; anything else means someone saved in between. */
  revision: number;
}

export interface PlanAmendRequest extends PlanEditRequest {
  reason: string;
  /** What the amendment will do to running work (counts), computed by the caller from both documents; stored as is. */
  planned: (before: Plan, after: Plan) => Record<string, number>;
}

export type AmendmentStatus = 'running' | 'done' | 'cancelled';

export interface StoredAmendment {
  id: string;
  planId: string;
  fromRevision: number;
  toRevision: number;
  before: Plan;
  after: Plan;
  changes: PlanChange[];
  reason: string;
  actor: string;
  status: AmendmentStatus;
  planned: Record<string, number>;
  result: Record<string, number> | null;
  createdAt: Date;
  finishedAt: Date | null;
}

export type PlanRepositoryErrorCode =
  | 'NOT_FOUND'
  | 'STALE_REVISION'
  | 'NOT_DRAFT'
  | 'NOT_ACTIVE'
  | 'AMENDMENT_RUNNING'
  | 'INVALID_PLAN'
  | 'SLUG_TAKEN'
  | 'BAD_WARNING_INDEX';

export class PlanRepositoryError extends Error {
  constructor(
    readonly code: PlanRepositoryErrorCode,
    message: string,
    /** For INVALID_PLAN: problems by path. */
    readonly issues: Record<string, string[]> = {},
    /** For INVALID_PLAN from an op: the op's own refusal code (e.g. MERGE_UNITS_DIFFER). */
    readonly reason?: string,
  ) {
    super(message);
    this.name = 'PlanRepositoryError';
  }
}

/** Port: drafts and their audit trail. Every change and its plan_edits rows commit together. */
export abstract class PlanRepository {
  abstract createDraft(draft: NewDraft, actor: string): Promise<StoredPlan>;
  abstract get(id: string): Promise<StoredPlan | null>;
  abstract findBySlug(slug: string): Promise<StoredPlan | null>;
  abstract list(query: PlanListQuery): Promise<Paged<PlanSummary>>;
  abstract listEdits(id: string, page: number, pageSize: number): Promise<Paged<PlanEdit>>;
  abstract applyEdit(id: string, edit: PlanEditRequest, actor: string): Promise<StoredPlan>;
  abstract resolveWarning(
    id: string,
    index: number,
    note: string,
    actor: string,
    revision?: number,
  ): Promise<StoredPlan>;
  abstract setStatus(id: string, status: PlanStatus, actor: string, revision?: number): Promise<StoredPlan>;
  /** Records that every assignment of the plan has been started (the first time only). */
  abstract markActivated(id: string, assignments: number): Promise<void>;
  /**
   * Edits an active plan and records the amendment (both documents) in the same transaction. Refused while
   * another amendment of the plan runs, so amendments apply one after the other.
   */
  abstract amend(
    id: string,
    request: PlanAmendRequest,
    actor: string,
  ): Promise<{ plan: StoredPlan; amendment: StoredAmendment }>;
  abstract getAmendment(id: string): Promise<StoredAmendment | null>;
  /** Newest first. */
  abstract listAmendments(planId: string): Promise<StoredAmendment[]>;
  abstract runningAmendments(planId: string): Promise<StoredAmendment[]>;
  /** Ends a running amendment with its outcome; a second call changes nothing. */
  abstract finishAmendment(
    id: string,
    status: Exclude<AmendmentStatus, 'running'>,
    result: Record<string, number>,
    actor: string,
  ): Promise<void>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SORT_COLUMNS = {
  created: 'p.created_at',
  updated: 'p.updated_at',
  year: 'p.year',
  title: 'p.title',
} as const;

function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === '23505';
}

@Injectable()
export class TypeormPlanRepository extends PlanRepository {
  constructor(private readonly ds: DataSource) {
    super();
  }

  async markActivated(id: string, assignments: number): Promise<void> {
    await this.ds.query(
      `UPDATE plans SET activated_at = COALESCE(activated_at, now()), updated_at = now() WHERE id = $1`,
      [id],
    );
    await this.ds.query(
      `INSERT INTO plan_edits (plan_id, actor, at, action, path, before, after) VALUES ($1, 'system', now(), 'activated', NULL, NULL, $2)`,
      [id, JSON.stringify({ assignments })],
    );
  }

  async createDraft(draft: NewDraft, actor: string): Promise<StoredPlan> {
    const plan = PlanSchema.parse({ ...draft.plan, status: 'draft' });
    try {
      return await this.ds.transaction(async (tx) => {
        const row = await tx.getRepository(PlanEntity).save(
          Object.assign(new PlanEntity(), {
            number: plan.metadata.number,
            title: plan.metadata.title,
            year: plan.metadata.year,
            status: 'draft',
            document: plan as unknown as Record<string, unknown>,
            warnings: [...draft.warnings],
            sourceText: draft.sourceText,
            sourceName: draft.sourceName,
            slug: draft.slug ?? null,
            revision: 1,
            createdBy: actor,
            activatedAt: null,
          }),
        );
        await this.record(tx, row.id, actor, [
          {
            action: 'import',
            path: null,
            before: null,
            after: { sourceName: draft.sourceName, warnings: draft.warnings.length },
          },
        ]);
        return toStored(row);
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw new PlanRepositoryError('SLUG_TAKEN', `slug ${draft.slug} đã có`);
      throw err;
    }
  }

  async get(id: string): Promise<StoredPlan | null> {
    if (!UUID.test(id)) return null;
    const row = await this.ds.getRepository(PlanEntity).findOne({ where: { id } });
    return row ? toStored(row) : null;
  }

  async findBySlug(slug: string): Promise<StoredPlan | null> {
    const row = await this.ds.getRepository(PlanEntity).findOne({ where: { slug } });
    return row ? toStored(row) : null;
  }

  async list(query: PlanListQuery): Promise<Paged<PlanSummary>> {
    const qb = this.ds.getRepository(PlanEntity).createQueryBuilder('p');
    if (query.status) qb.andWhere('p.status = :status', { status: query.status });
    if (query.year !== undefined) qb.andWhere('p.year = :year', { year: query.year });
    if (query.text) {
      const like = `%${query.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      qb.andWhere('(p.title ILIKE :like OR p.number ILIKE :like)', { like });
    }
    const order = query.order === 'asc' ? 'ASC' : 'DESC';
    qb.orderBy(SORT_COLUMNS[query.sort ?? 'created'], order).addOrderBy('p.id', 'ASC');
    qb.skip((query.page - 1) * query.pageSize).take(query.pageSize);
    const [rows, total] = await qb.getManyAndCount();
    return { items: rows.map(toSummary), total, page: query.page, pageSize: query.pageSize };
  }

  async listEdits(id: string, page: number, pageSize: number): Promise<Paged<PlanEdit>> {
    const [rows, total] = await this.ds.getRepository(PlanEditEntity).findAndCount({
      where: { planId: id },
      // Edits of one transaction share `at`; the id keeps their order stable across pages.
      order: { at: 'ASC', id: 'ASC' },
      skip: (page - 1) * pageSize,
      take: pageSize,
    });
    return {
      items: rows.map((r) => ({
        id: r.id,
        actor: r.actor,
        at: r.at,
        action: r.action,
        path: r.path,
        before: r.before,
        after: r.after,
      })),
      total,
      page,
      pageSize,
    };
  }

  async applyEdit(id: string, edit: PlanEditRequest, actor: string): Promise<StoredPlan> {
    return this.mutate(id, edit.revision, actor, async (row, tx) => {
      const reserved = edit.changes.some(createsKeys) ? await everUsedKeys(tx, id) : undefined;
      return applyChangesTo(row, edit, reserved);
    });
  }

  async amend(
    id: string,
    request: PlanAmendRequest,
    actor: string,
  ): Promise<{ plan: StoredPlan; amendment: StoredAmendment }> {
    let amendmentId = '';
    try {
      const plan = await this.mutate(
        id,
        request.revision,
        actor,
        (row) => {
          const before = row.document as unknown as Plan;
          const edits = applyChangesTo(row, { ...request, action: 'amend' });
          const after = row.document as unknown as Plan;
          return {
            edits,
            afterSave: async (tx: EntityManager, saved: PlanEntity) => {
              const rows: Array<{ id: string }> = await tx.query(
                `INSERT INTO plan_amendments (plan_id, from_revision, to_revision, before_document, after_document, changes, reason, actor, planned)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
                [
                  id,
                  saved.revision - 1,
                  saved.revision,
                  JSON.stringify(before),
                  JSON.stringify(after),
                  JSON.stringify(request.changes),
                  request.reason,
                  actor,
                  JSON.stringify(request.planned(before, after)),
                ],
              );
              amendmentId = rows[0].id;
            },
          };
        },
        { statuses: ['active'] },
      );
      const amendment = await this.getAmendment(amendmentId);
      return { plan, amendment: amendment! };
    } catch (err) {
      if (isUniqueViolation(err))
        throw new PlanRepositoryError(
          'AMENDMENT_RUNNING',
          'Lần điều chỉnh trước của kế hoạch đang được thực hiện; chờ xong rồi điều chỉnh tiếp',
        );
      throw err;
    }
  }

  async getAmendment(id: string): Promise<StoredAmendment | null> {
    if (!UUID.test(id)) return null;
    const rows: AmendmentRow[] = await this.ds.query(`SELECT * FROM plan_amendments WHERE id = $1`, [id]);
    return rows[0] ? toAmendment(rows[0]) : null;
  }

  async listAmendments(planId: string): Promise<StoredAmendment[]> {
    if (!UUID.test(planId)) return [];
    const rows: AmendmentRow[] = await this.ds.query(
      `SELECT * FROM plan_amendments WHERE plan_id = $1 ORDER BY created_at DESC, to_revision DESC`,
      [planId],
    );
    return rows.map(toAmendment);
  }

  async runningAmendments(planId: string): Promise<StoredAmendment[]> {
    if (!UUID.test(planId)) return [];
    const rows: AmendmentRow[] = await this.ds.query(
      `SELECT * FROM plan_amendments WHERE plan_id = $1 AND status = 'running'`,
      [planId],
    );
    return rows.map(toAmendment);
  }

  async finishAmendment(
    id: string,
    status: Exclude<AmendmentStatus, 'running'>,
    result: Record<string, number>,
    actor: string,
  ): Promise<void> {
    await this.ds.transaction(async (tx) => {
      const rows: Array<{ plan_id: string; to_revision: number }> = await tx.query(
        // A SELECT over the UPDATE: TypeORM hands back [rows, count] for a bare UPDATE … RETURNING.
        `WITH done AS (UPDATE plan_amendments SET status = $2, result = $3, finished_at = now() WHERE id = $1 AND status = 'running' RETURNING plan_id, to_revision)
         SELECT plan_id, to_revision FROM done`,
        [id, status, JSON.stringify(result)],
      );
      if (rows.length === 0) return;
      await this.record(tx, rows[0].plan_id, actor, [
        {
          action: status === 'done' ? 'amended' : 'amendment-cancelled',
          path: null,
          before: null,
          after: { amendmentId: id, revision: rows[0].to_revision, ...result },
        },
      ]);
    });
  }

  async resolveWarning(
    id: string,
    index: number,
    note: string,
    actor: string,
    revision?: number,
  ): Promise<StoredPlan> {
    return this.mutate(id, revision, actor, (row) => {
      const warnings = row.warnings as StoredPlanWarning[];
      if (!Number.isInteger(index) || index < 0 || index >= warnings.length) {
        throw new PlanRepositoryError('BAD_WARNING_INDEX', `không có cảnh báo số ${index}`);
      }
      const before = warnings[index].resolution ?? null;
      const resolution = { note, by: actor, at: new Date().toISOString() };
      row.warnings = warnings.map((w, i) => (i === index ? { ...w, resolution } : w));
      return [{ action: 'resolve-warning', path: `warnings.${index}.resolution`, before, after: resolution }];
    });
  }

  async setStatus(id: string, status: PlanStatus, actor: string, revision?: number): Promise<StoredPlan> {
    return this.mutate(
      id,
      revision,
      actor,
      (row) => {
        const before = row.status;
        row.status = status;
        row.document = { ...row.document, status };
        if (status === 'active' && row.activatedAt === null) row.activatedAt = new Date();
        return [{ action: 'status', path: 'status', before, after: status }];
      },
      { statuses: null },
    );
  }

  /**
   * Locks the row, checks draft status and revision, lets `change` modify it, then saves it with a
   * bumped revision and its audit rows in the same transaction.
   */
  private async mutate(
    id: string,
    revision: number | undefined,
    actor: string,
    change: (
      row: PlanEntity,
      tx: EntityManager,
    ) =>
      | EditRecord[]
      | Promise<EditRecord[]>
      | { edits: EditRecord[]; afterSave: (tx: EntityManager, saved: PlanEntity) => Promise<void> },
    options: { statuses: readonly PlanStatus[] | null } = { statuses: ['draft'] },
  ): Promise<StoredPlan> {
    if (!UUID.test(id)) throw new PlanRepositoryError('NOT_FOUND', 'Không tìm thấy kế hoạch');
    return this.ds.transaction(async (tx) => {
      const row = await tx
        .getRepository(PlanEntity)
        .findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!row) throw new PlanRepositoryError('NOT_FOUND', 'Không tìm thấy kế hoạch');
      const refusal = planEditRefusal({ status: row.status as PlanStatus, revision: row.revision }, revision, options.statuses);
      if (refusal) throw new PlanRepositoryError(refusal.code, refusal.message);
      const outcome = await change(row, tx);
      const edits = Array.isArray(outcome) ? outcome : outcome.edits;
      row.revision += 1;
      const saved = await tx.getRepository(PlanEntity).save(row);
      await this.record(tx, id, actor, edits);
      if (!Array.isArray(outcome)) await outcome.afterSave(tx, saved);
      return toStored(saved);
    });
  }

  private async record(
    tx: EntityManager,
    planId: string,
    actor: string,
    edits: readonly EditRecord[],
  ): Promise<void> {
    if (edits.length === 0) return;
    const at = new Date();
    // Inserted with JSON text so a scalar (a string, null) is stored as jsonb, not as SQL NULL or text.
    for (const e of edits) {
      await tx.query(
        'INSERT INTO plan_edits (plan_id, actor, at, action, path, before, after) VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb)',
        [
          planId,
          actor,
          at,
          e.action,
          e.path,
          JSON.stringify(e.before ?? null),
          JSON.stringify(e.after ?? null),
        ],
      );
    }
  }
}

type EditRecord = PlanEditRecord;

/**
 * Every responsibility (and section) key the plan's audit has seen: keys of items set or removed whole and the
 * `keys` every op records. New keys are chosen above these, so a deleted duty's key is never given to another.
 */
async function everUsedKeys(tx: EntityManager, planId: string): Promise<Set<string>> {
  const rows: Array<{ k: string }> = await tx.query(
    `SELECT DISTINCT x.k FROM plan_edits e
     CROSS JOIN LATERAL (
       SELECT jsonb_array_elements_text(CASE WHEN jsonb_typeof(e.after -> 'keys') = 'array' THEN e.after -> 'keys' ELSE '[]'::jsonb END) AS k
       UNION ALL SELECT e.before ->> 'key'
       UNION ALL SELECT e.after ->> 'key'
     ) x
     WHERE e.plan_id = $1 AND e.path LIKE 'responsibilit%' AND x.k IS NOT NULL`,
    [planId],
  );
  return new Set(rows.map((r) => r.k));
}

/**
 * The plan an edit would produce, validated as the repository validates it (same errors), without storing
 * anything: what an amendment preview shows before the coordinator confirms.
 */
export function previewPlanEdit(doc: Plan, edit: Pick<PlanEditRequest, 'changes' | 'verify'>): Plan {
  const row = { document: doc as unknown as Record<string, unknown> } as PlanEntity;
  applyChangesTo(row, { revision: 0, ...edit });
  return row.document as unknown as Plan;
}

/** Runs the domain's edit on the row's document and copies the result (and its indexed columns) onto the row. */
function applyChangesTo(row: PlanEntity, edit: PlanEditRequest, reservedKeys?: ReadonlySet<string>): EditRecord[] {
  let result: ReturnType<typeof editPlan>;
  try {
    result = editPlan(row.document as unknown as Plan, edit, reservedKeys);
  } catch (err) {
    if (err instanceof PlanEditError) throw new PlanRepositoryError('INVALID_PLAN', err.message, err.issues, err.reason);
    throw err;
  }
  row.document = result.plan as unknown as Record<string, unknown>;
  row.number = result.plan.metadata.number;
  row.title = result.plan.metadata.title;
  row.year = result.plan.metadata.year;
  return result.records;
}

interface AmendmentRow {
  id: string;
  plan_id: string;
  from_revision: number;
  to_revision: number;
  before_document: Plan;
  after_document: Plan;
  changes: PlanChange[];
  reason: string;
  actor: string;
  status: AmendmentStatus;
  planned: Record<string, number>;
  result: Record<string, number> | null;
  created_at: Date;
  finished_at: Date | null;
}

function toAmendment(r: AmendmentRow): StoredAmendment {
  return {
    id: r.id,
    planId: r.plan_id,
    fromRevision: r.from_revision,
    toRevision: r.to_revision,
    before: r.before_document,
    after: r.after_document,
    changes: r.changes,
    reason: r.reason,
    actor: r.actor,
    status: r.status,
    planned: r.planned,
    result: r.result,
    createdAt: r.created_at,
    finishedAt: r.finished_at,
  };
}

function toStored(row: PlanEntity): StoredPlan {
  return {
    id: row.id,
    slug: row.slug,
    status: row.status as PlanStatus,
    revision: row.revision,
    document: row.document as unknown as Plan,
    warnings: row.warnings as StoredPlanWarning[],
    sourceText: row.sourceText,
    sourceName: row.sourceName,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    activatedAt: row.activatedAt,
  };
}

function toSummary(row: PlanEntity): PlanSummary {
  const warnings = row.warnings as StoredPlanWarning[];
  return {
    id: row.id,
    slug: row.slug,
    number: row.number,
    title: row.title,
    year: row.year,
    status: row.status as PlanStatus,
    revision: row.revision,
    warningCount: warnings.length,
    unresolvedWarningCount: warnings.filter((w) => !w.resolution).length,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
