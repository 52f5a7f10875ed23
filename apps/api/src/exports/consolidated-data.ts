import { Injectable } from '@nestjs/common';
import { type ConsolidatedData, type IndicatorRow, type TimelinessCounts } from '@app/documents';
import { daysBetweenLocal, type Plan, startOfLocalDay } from '@app/domain';
import { DashboardQueries, type DashboardScope } from '@app/persistence';
import { DashboardService, type IndicatorFigure, itemTitles, type TimelinessCountMap } from '../dashboard/dashboard.service';

/** The documents library counts in camelCase; the API and SQL use the domain's snake_case values. */
export function toDocumentCounts(c: TimelinessCountMap): TimelinessCounts {
  return {
    doneOnTime: c.done_on_time,
    doneLate: c.done_late,
    openOnTime: c.open_on_time,
    openOverdue: c.open_overdue,
    dueSoon: c.due_soon,
    noDeadline: c.no_deadline,
  };
}

const fmt = (n: number): string => String(Math.round(n * 100) / 100).replace('.', ',');

/**
 * Reported value in the target's own form: a percentage is the units' average, a ratio (x/N) and a count are
 * the sum over units, a "zero" target (e.g. no child labour) is the sum of cases reported.
 */
export function indicatorRow(f: IndicatorFigure): IndicatorRow {
  const target = f.kind === 'percent' ? `${fmt(f.target)}%` : f.kind === 'ratio' ? `${fmt(f.target)}/${f.denominator ?? '?'}` : fmt(f.target);
  const r = f.reported;
  if (r.units === 0) return { code: f.indicatorKey, text: f.subject, target, reported: null, met: null, reportingUnits: 0 };
  const value = f.kind === 'percent' ? (r.average ?? 0) : r.sum;
  const reported = f.kind === 'percent' ? `${fmt(value)}%` : f.kind === 'ratio' ? `${fmt(value)}/${f.denominator ?? '?'}` : fmt(value);
  const met = f.kind === 'zero' ? value <= f.target : value >= f.target;
  return { code: f.indicatorKey, text: f.subject, target, reported, met, reportingUnits: r.units };
}

@Injectable()
export class ConsolidatedDataBuilder {
  constructor(
    private readonly dashboard: DashboardService,
    private readonly queries: DashboardQueries,
  ) {}

  async build(plan: Plan, scope: DashboardScope): Promise<ConsolidatedData> {
    const titles = itemTitles(plan);
    const [units, items, indicators, late] = await Promise.all([
      this.dashboard.byUnit(scope),
      this.dashboard.byResponsibility(scope, plan),
      this.dashboard.indicators(scope, plan),
      // A report lists late units by name; beyond a few thousand rows a spreadsheet filter is the better tool.
      this.queries.late(scope, 5000),
    ]);
    const leadOf = new Map(plan.responsibilities.map((r) => [r.key, r.leadUnitRefs[0]?.text]));
    return {
      plan: { number: plan.metadata.number ?? '', title: plan.metadata.title, issuedOn: plan.metadata.issueDate ? startOfLocalDay(plan.metadata.issueDate) : undefined, issuer: plan.metadata.issuer },
      asOf: scope.now,
      units: units.map((u) => ({ unitCode: u.unitCode, unitName: u.unitName, counts: toDocumentCounts(u.counts) })),
      responsibilities: items.map((i) => ({ key: i.itemKey, text: titles.get(i.itemKey) ?? i.title, leadUnit: leadOf.get(i.itemKey), counts: toDocumentCounts(i.counts) })),
      indicators: indicators.map(indicatorRow),
      late: late.map((l) => ({
        unitCode: l.unitCode,
        unitName: l.unitName,
        responsibilityKey: l.itemKey,
        responsibility: l.title,
        deadline: l.deadline,
        daysLate: daysBetweenLocal(l.deadline, scope.now),
        escalationLevel: l.escalationLevel,
      })),
    };
  }
}

