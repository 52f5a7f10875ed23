import { daysBetweenLocal } from '@app/domain';
import { type AssignmentListRow } from '@app/persistence';
import { type AppConfig } from '@app/config';
import { type AssignmentListItem } from '@app/contracts';

export type { AssignmentListItem, Paged } from '@app/contracts';

/**
 * Days are Vietnam calendar days (a deadline at 23:59 today is 0 days left, yesterday's is -1), and only
 * open work has days left: finished or cancelled work has nothing left to count.
 */
/** Local days until the deadline while the work is open; finished or cancelled work has none left to count. */
export function daysLeftOf(status: string, deadline: Date | null, now: Date): number | null {
  const open = status !== 'done' && status !== 'cancelled';
  return open && deadline ? daysBetweenLocal(now, deadline) : null;
}

export function toListItem(r: AssignmentListRow, now: Date): AssignmentListItem {
  return {
    workflowId: r.workflowId,
    planId: r.planId,
    planTitle: r.planTitle,
    itemKey: r.itemKey,
    kind: r.kind,
    title: r.title,
    role: r.role === 'coordinate' ? 'coordinate' : 'lead',
    unitCode: r.unitCode,
    unitName: r.unitName,
    periodKey: r.periodKey,
    periodLabel: r.periodLabel,
    status: r.status,
    timeliness: r.timeliness,
    deadline: r.deadline ? r.deadline.toISOString() : null,
    daysLeft: daysLeftOf(r.status, r.deadline, now),
    progress: r.progress,
    escalationLevel: r.escalationLevel,
    updatedAt: r.updatedAt.toISOString(),
  };
}

export const dueSoonMs = (config: AppConfig): number => config.dueSoonDays * 86_400_000;
