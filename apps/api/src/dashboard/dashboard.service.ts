import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { daysInMonth, endOfLocalDay, type Plan, startOfLocalDay, type Timeliness, TIMELINESS_VALUES, toLocalDate } from '@app/domain';
import { DashboardQueries, type DashboardScope, PlanRepository, type StoredPlan } from '@app/persistence';
import { ApiError, ApiErrorCode } from '../common/errors';
import { dueSoonMs } from '../inbox/list-item';

export type TimelinessCountMap = Record<Timeliness, number>;

const zeroCounts = (): TimelinessCountMap => Object.fromEntries(TIMELINESS_VALUES.map((t) => [t, 0])) as TimelinessCountMap;

export interface IndicatorFigure {
  objectiveKey: string;
  indicatorKey: string;
  subject: string;
  kind: string;
  target: number;
  denominator?: number;
  reported: { sum: number; units: number; average: number | null };
}

/** Indicators carry no key of their own in the plan model: `<objective key>.<1-based position>`, e.g. "II.9.1". */
export const indicatorKeyOf = (objectiveKey: string, index: number): string => `${objectiveKey}.${index + 1}`;

/** Titles of a plan's items by key: responsibilities and reporting rules share the key space of assignments. */
export function itemTitles(plan: Plan): Map<string, string> {
  return new Map([...plan.responsibilities.map((r) => [r.key, r.text] as const), ...plan.reportingRules.map((r) => [r.key, r.text] as const)]);
}

/** '2024', '2024-H1', '2024-Q3' or '2024-05' → the Vietnam-local instants the period spans. */
export function periodRange(period: string): { from: Date; to: Date } | null {
  const m = /^(\d{4})(?:-(H[12]|Q[1-4]|\d{2}))?$/.exec(period);
  if (!m) return null;
  const year = Number(m[1]);
  const part = m[2];
  let first = 1;
  let last = 12;
  if (part?.startsWith('H')) [first, last] = part === 'H1' ? [1, 6] : [7, 12];
  else if (part?.startsWith('Q')) [first, last] = [(Number(part[1]) - 1) * 3 + 1, Number(part[1]) * 3];
  else if (part) [first, last] = [Number(part), Number(part)];
  if (first < 1 || last > 12) return null;
  return { from: startOfLocalDay(toLocalDate(year, first, 1)), to: endOfLocalDay(toLocalDate(year, last, daysInMonth(year, last))) };
}

/**
 * Dashboard figures of one plan, from PostgreSQL only. `total` counts every assignment that is not cancelled
 * (cancelled work is in no timeliness class), so the six classes add up to it; `byStatus` still shows
 * cancelled. A completion rate is done / total.
 */
@Injectable()
export class DashboardService {
  constructor(
    private readonly queries: DashboardQueries,
    private readonly plans: PlanRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The whole stored plan (the exports read its metadata); 404 when absent. */
  async plan(planId: string): Promise<StoredPlan> {
    const plan = await this.plans.get(planId);
    if (!plan) throw new ApiError(ApiErrorCode.NOT_FOUND);
    return plan;
  }

  /** 404 unless the plan exists (in any status). */
  async requirePlan(planId: string): Promise<void> {
    if (!(await this.queries.plan(planId, false))) throw new ApiError(ApiErrorCode.NOT_FOUND);
  }

  /** The plan's document (item titles, indicators); 404 unless the plan exists. */
  async planDocument(planId: string): Promise<Plan> {
    const found = await this.queries.plan(planId, true);
    if (!found?.document) throw new ApiError(ApiErrorCode.NOT_FOUND);
    return found.document;
  }

  scope(planId: string, period?: string): DashboardScope {
    const range = period ? periodRange(period) : null;
    if (period && !range) throw new ApiError(ApiErrorCode.VALIDATION_FAILED, undefined, { period: ['INVALID_PERIOD'] });
    return { planId, now: new Date(), dueSoonMs: dueSoonMs(this.config), deadlineFrom: range?.from, deadlineTo: range?.to };
  }

  async summary(scope: DashboardScope) {
    const rows = await this.queries.grouped(scope, ['status']);
    const counts = zeroCounts();
    const byStatus: Record<string, number> = {};
    for (const r of rows) {
      byStatus[r.status!] = (byStatus[r.status!] ?? 0) + r.n;
      if (r.timeliness) counts[r.timeliness] += r.n;
    }
    const total = TIMELINESS_VALUES.reduce((s, t) => s + counts[t], 0);
    const rates = Object.fromEntries(TIMELINESS_VALUES.map((t) => [t, total ? counts[t] / total : 0])) as Record<Timeliness, number>;
    return { total, counts, rates, byStatus };
  }

  async byUnit(scope: DashboardScope) {
    const rows = await this.queries.grouped(scope, ['unit_code']);
    const by = this.rollUp(rows.map((r) => ({ key: r.unitCode!, timeliness: r.timeliness, n: r.n })));
    const names = await this.queries.unitNames([...by.keys()]);
    return [...by.entries()]
      .map(([unitCode, v]) => ({ unitCode, unitName: names.get(unitCode) ?? unitCode, total: v.total, counts: v.counts, completionRate: v.total ? (v.counts.done_on_time + v.counts.done_late) / v.total : 0 }))
      .sort((a, b) => a.unitName.localeCompare(b.unitName, 'vi'));
  }

  async byResponsibility(scope: DashboardScope, plan: Plan) {
    const titles = itemTitles(plan);
    const rows = await this.queries.grouped(scope, ['item_key']);
    const by = this.rollUp(rows.map((r) => ({ key: r.itemKey!, timeliness: r.timeliness, n: r.n })));
    const order = [...titles.keys()];
    return [...by.entries()]
      .map(([itemKey, v]) => ({ itemKey, title: titles.get(itemKey) ?? itemKey, total: v.total, counts: v.counts, completionRate: v.total ? (v.counts.done_on_time + v.counts.done_late) / v.total : 0 }))
      .sort((a, b) => order.indexOf(a.itemKey) - order.indexOf(b.itemKey));
  }

  async matrix(scope: DashboardScope, plan: Plan) {
    const titles = itemTitles(plan);
    const cells = await this.queries.matrix(scope);
    const unitCodes = [...new Set(cells.map((c) => c.unitCode))];
    const names = await this.queries.unitNames(unitCodes);
    const units = unitCodes.map((code) => ({ code, name: names.get(code) ?? code })).sort((a, b) => a.name.localeCompare(b.name, 'vi'));
    const order = [...titles.keys()];
    const items = [...new Set(cells.map((c) => c.itemKey))]
      .sort((a, b) => order.indexOf(a) - order.indexOf(b))
      .map((key) => ({ key, title: titles.get(key) ?? key }));
    return { units, items, cells };
  }

  /**
   * Target from the plan's objectives; reported from accepted submissions (see DashboardQueries.indicatorReports):
   * sum over units of each unit's latest value, the number of units that reported, and their average.
   */
  async indicators(scope: DashboardScope, plan: Plan): Promise<IndicatorFigure[]> {
    const reports = await this.queries.indicatorReports(scope);
    const byKey = new Map<string, number[]>();
    for (const r of reports) byKey.set(r.indicatorKey, [...(byKey.get(r.indicatorKey) ?? []), r.value]);
    return plan.objectives.flatMap((o) =>
      o.indicators.map((ind, i) => {
        const indicatorKey = indicatorKeyOf(o.key, i);
        const values = byKey.get(indicatorKey) ?? [];
        const sum = values.reduce((s, v) => s + v, 0);
        return {
          objectiveKey: o.key,
          indicatorKey,
          subject: ind.subject,
          kind: ind.kind,
          target: ind.target,
          ...(ind.denominator !== undefined ? { denominator: ind.denominator } : {}),
          reported: { sum, units: values.length, average: values.length ? sum / values.length : null },
        };
      }),
    );
  }

  async timeline(scope: DashboardScope) {
    return (await this.queries.timeline(scope)).map((w) => ({ date: w.week, done: w.done, doneOnTime: w.doneOnTime, total: w.total }));
  }

  private rollUp(rows: { key: string; timeliness: Timeliness | null; n: number }[]): Map<string, { total: number; counts: TimelinessCountMap }> {
    const by = new Map<string, { total: number; counts: TimelinessCountMap }>();
    for (const r of rows) {
      const entry = by.get(r.key) ?? { total: 0, counts: zeroCounts() };
      if (r.timeliness) {
        entry.counts[r.timeliness] += r.n;
        entry.total += r.n;
      }
      by.set(r.key, entry);
    }
    return by;
  }
}
