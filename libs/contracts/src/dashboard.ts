import { z } from 'zod';
import { IndicatorKindSchema } from '@app/domain';
import { langQuery, paged, pageQuery } from './common';
import { assignmentListItem, statusCounts, timeliness, timelinessCounts } from './assignments';

/** Every dashboard route and export: one plan, optionally the work due in one period (2024, 2024-H1, 2024-Q2, 2024-05). */
export const dashboardQuery = z.object({ planId: z.uuid(), period: z.string().max(16).optional(), ...langQuery });
export const overdueQuery = dashboardQuery.extend(pageQuery);

export const dashboardSummary = z.object({ total: z.number().int(), counts: timelinessCounts, rates: z.partialRecord(timeliness, z.number().min(0).max(1)), byStatus: statusCounts });
export type DashboardSummary = z.infer<typeof dashboardSummary>;

const completion = { total: z.number().int(), counts: timelinessCounts, completionRate: z.number().min(0).max(1) };
export const unitCompletion = z.object({ unitCode: z.string(), unitName: z.string(), ...completion });
export type UnitCompletion = z.infer<typeof unitCompletion>;
export const itemCompletion = z.object({ itemKey: z.string(), title: z.string(), ...completion });
export type ItemCompletion = z.infer<typeof itemCompletion>;

export const matrix = z.object({
  units: z.array(z.object({ code: z.string(), name: z.string() })),
  items: z.array(z.object({ key: z.string(), title: z.string() })),
  cells: z.array(z.object({ unitCode: z.string(), itemKey: z.string(), total: z.number().int(), done: z.number().int(), timeliness: timeliness.nullable() })),
});
export type Matrix = z.infer<typeof matrix>;

export const overdueList = paged(assignmentListItem.extend({ daysLate: z.number().int() }));

export const indicatorProgress = z.object({
  objectiveKey: z.string(),
  /** `<objectiveKey>.<1-based position>`, also the key of `submit.indicatorValues`. */
  indicatorKey: z.string(),
  subject: z.string(),
  kind: IndicatorKindSchema,
  target: z.number(),
  denominator: z.number().optional(),
  reported: z.object({ sum: z.number(), units: z.number().int(), average: z.number().nullable() }),
});
export type IndicatorProgress = z.infer<typeof indicatorProgress>;

export const timelinePoint = z.object({ date: z.iso.date(), done: z.number().int(), doneOnTime: z.number().int(), total: z.number().int() });
export type TimelinePoint = z.infer<typeof timelinePoint>;

export const exportQuery = z.object({ period: z.string().max(16).optional(), ...langQuery });
export const csvExportQuery = exportQuery.extend({ table: z.enum(['units', 'responsibilities', 'indicators', 'late']).default('units') });
