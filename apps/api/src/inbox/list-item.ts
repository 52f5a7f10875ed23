import { z } from 'zod';
import { type AssignmentStatus, daysBetweenLocal, type Timeliness } from '@app/domain';
import { type AssignmentListRow } from '@app/persistence';
import { type AppConfig } from '@app/config';

/** docs/api-contract.md "AssignmentListItem". */
export interface AssignmentListItem {
  workflowId: string;
  planId: string;
  planTitle: string;
  itemKey: string;
  kind: 'responsibility' | 'report';
  title: string;
  /** 'lead' (chủ trì; every report) or 'coordinate' (phối hợp). */
  role: 'lead' | 'coordinate';
  unitCode: string;
  unitName: string;
  periodKey: string;
  periodLabel: string;
  status: AssignmentStatus;
  timeliness: Timeliness | null;
  deadline: string | null;
  daysLeft: number | null;
  progress: number;
  escalationLevel: number;
  updatedAt: string;
}

export interface Paged<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

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

export const pageQuery = {
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
};

/** `?status=a,b` or `?status=a&status=b`: both arrive as one list. */
export function listOf<T extends z.ZodType<unknown, string>>(item: T) {
  return z
    .union([z.string(), z.array(z.string())])
    .transform((v) =>
      (Array.isArray(v) ? v : [v])
        .flatMap((s) => s.split(','))
        .map((s) => s.trim())
        .filter((s) => s.length > 0),
    )
    .pipe(z.array(item).max(20));
}
