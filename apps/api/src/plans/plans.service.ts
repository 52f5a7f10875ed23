import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { type OrganisationDirectory, type UnitRef } from '@app/domain';
import {
  OrganisationRepository,
  type Paged,
  type PlanChange,
  type PlanEdit,
  type PlanListQuery,
  PlanRepository,
  type PlanSummary,
  type StoredPlan,
  type StoredPlanWarning,
} from '@app/persistence';
import { type DraftChange } from '@app/contracts';
import { ApiError, ApiErrorCode } from '../common/errors';
import { fromRepositoryError, tooLargeMessage, UnprocessableError } from './plan-errors';
import { parseSource, type PlanSource } from './plan-import';
import { type PlanProblem, touchedUnitRefProblems, validateStoredPlan } from './plan-validation';

export interface PlanView {
  id: string;
  slug: string | null;
  status: StoredPlan['status'];
  revision: number;
  plan: StoredPlan['document'];
  warnings: Array<StoredPlanWarning & { index: number; resolved: boolean }>;
  /** The imported text line by line, so a UI can show it beside the structure (sources cite these numbers). */
  source: { name: string | null; lines: Array<{ number: number; text: string }> };
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
  activatedAt: Date | null;
}

@Injectable()
export class PlansService {
  constructor(
    private readonly plans: PlanRepository,
    private readonly organisation: OrganisationRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get maxBytes(): number {
    return this.config.limits.planBytes;
  }

  /** Parses first and stores only a plan that parsed: a failed import leaves no row behind. */
  async importPlan(source: PlanSource, actor: string): Promise<PlanView> {
    // A file may be larger than its text (a scan): files are bounded by planFileBytes, text by planBytes.
    const [size, max] = source.kind === 'text' ? [Buffer.byteLength(source.text, 'utf8'), this.maxBytes] : [source.buffer.length, this.config.limits.planFileBytes];
    if (size > max) throw new ApiError(ApiErrorCode.PAYLOAD_TOO_LARGE, tooLargeMessage(max));
    const parsed = await parseSource(source, await this.organisation.load(), this.maxBytes);
    const stored = await this.plans.createDraft(
      { plan: parsed.plan, warnings: parsed.warnings, sourceText: parsed.sourceText, sourceName: parsed.sourceName },
      actor,
    );
    return toView(stored);
  }

  list(query: PlanListQuery): Promise<Paged<PlanSummary>> {
    return this.plans.list(query);
  }

  async get(id: string): Promise<PlanView> {
    return toView(await this.require(id));
  }

  async edits(id: string, page: number, pageSize: number): Promise<Paged<PlanEdit>> {
    await this.require(id);
    return this.plans.listEdits(id, page, pageSize);
  }

  async edit(id: string, revision: number, draftChanges: DraftChange[], actor: string): Promise<PlanView> {
    const directory = await this.organisation.load();
    const changes = toPlanChanges(draftChanges, directory);
    try {
      const stored = await this.plans.applyEdit(
        id,
        {
          revision,
          changes,
          // Only refs this edit touched must name a known unit; others may still wait for review.
          verify: (plan, applied) => {
            const fields = touchedUnitRefProblems(plan, applied, directory);
            if (Object.keys(fields).length > 0) throw new UnprocessableError('UNKNOWN_UNIT', 'Mã đơn vị không có trong danh mục', fields);
          },
        },
        actor,
      );
      return toView(stored);
    } catch (err) {
      throw fromRepositoryError(err);
    }
  }

  async resolveWarning(id: string, index: number, note: string, actor: string, revision?: number): Promise<PlanView> {
    try {
      return toView(await this.plans.resolveWarning(id, index, note, actor, revision));
    } catch (err) {
      throw fromRepositoryError(err);
    }
  }

  async validate(id: string): Promise<{ valid: boolean; revision: number; problems: PlanProblem[] }> {
    const stored = await this.require(id);
    const problems = validateStoredPlan(stored, await this.organisation.load());
    return { valid: problems.length === 0, revision: stored.revision, problems };
  }

  private async require(id: string): Promise<StoredPlan> {
    const stored = await this.plans.get(id);
    if (!stored) throw new ApiError(ApiErrorCode.NOT_FOUND, 'Không tìm thấy kế hoạch');
    return stored;
  }
}

/**
 * The request's changes in the repository's terms: directory codes become unit references (kind and name from
 * the directory), so an op can only name units that exist. Unknown codes are refused together, by field.
 */
export function toPlanChanges(changes: readonly DraftChange[], directory: OrganisationDirectory): PlanChange[] {
  const unknown: Record<string, string[]> = {};
  const ref = (code: string, at: string): UnitRef => {
    const unit = directory.unit(code);
    if (unit) return { kind: 'unit', code, text: unit.name };
    const group = directory.group(code);
    if (group) return { kind: 'group', code, text: group.name };
    (unknown[at] ??= []).push(`không có đơn vị hoặc nhóm ${code}`);
    return { kind: 'unit', code, text: code };
  };
  const refs = (codes: string[] | undefined, at: string) => codes?.map((c, i) => ref(c, `${at}.${i}`));
  type Fields = Extract<DraftChange, { op: 'update' }>['value'];
  const fields = (v: Fields, at: string) => ({
    text: v.text,
    unitRef: v.unit === undefined ? undefined : ref(v.unit, `${at}.unit`),
    role: v.role,
    leadUnitRefs: refs(v.leadUnits, `${at}.leadUnits`),
    coordinatingUnitRefs: refs(v.coordinatingUnits, `${at}.coordinatingUnits`),
    deadline: v.deadline,
    recurrence: v.recurrence,
  });
  const out = changes.map((c, i): PlanChange => {
    const at = `changes.${i}`;
    switch (c.op) {
      case 'set':
        return { op: 'set', path: c.path, value: c.value };
      case 'remove':
        return { op: 'remove', path: c.path };
      case 'add':
        return { op: 'add', value: { ...fields(c.value, `${at}.value`), text: c.value.text, unitRef: ref(c.value.unit, `${at}.value.unit`), sectionKey: c.value.sectionKey } };
      case 'update':
        return { op: 'update', key: c.key, value: fields(c.value, `${at}.value`) };
      case 'delete':
        return { op: 'delete', key: c.key };
      case 'split':
        return { op: 'split', key: c.key, parts: c.parts.map((p, n) => ({ ...fields(p, `${at}.parts.${n}`), text: p.text })) };
      case 'merge':
        return { op: 'merge', keys: c.keys, text: c.text, recurrence: c.recurrence };
    }
  });
  if (Object.keys(unknown).length > 0) throw new UnprocessableError('UNKNOWN_UNIT', 'Mã đơn vị không có trong danh mục', unknown);
  return out;
}

function toView(stored: StoredPlan): PlanView {
  return {
    id: stored.id,
    slug: stored.slug,
    status: stored.status,
    revision: stored.revision,
    plan: stored.document,
    warnings: stored.warnings.map((w, index) => ({ ...w, index, resolved: w.resolution !== undefined })),
    source: {
      name: stored.sourceName,
      lines: (stored.sourceText ?? '').split(/\r\n|\r|\n/).map((text, i) => ({ number: i + 1, text })),
    },
    createdBy: stored.createdBy,
    createdAt: stored.createdAt,
    updatedAt: stored.updatedAt,
    activatedAt: stored.activatedAt,
  };
}
