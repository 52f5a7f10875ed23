import {
  type ActivationProblem,
  formatDateVN,
  type OrganisationDirectory,
  type Plan,
  type PlannedAssignment,
  type PlanWarning,
} from '@app/domain';

/** What `import --assignments` prints: the work activation would start, one row per (item, unit, period). */

const ROLE_VI = { lead: 'chủ trì', coordinate: 'phối hợp' } as const;

export interface AssignmentRow {
  itemKey: string;
  kind: PlannedAssignment['kind'];
  unitCode: string;
  unitName: string | null;
  role: PlannedAssignment['role'];
  periodKey: string;
  periodLabel: string;
  /** ISO instant, as activation stores it. */
  deadline: string | null;
  /** dd/MM/yyyy in Asia/Ho_Chi_Minh, as a person reads it. */
  deadlineLocal: string | null;
  title: string;
}

export function assignmentRows(planned: readonly PlannedAssignment[], directory: OrganisationDirectory): AssignmentRow[] {
  return planned.map((a) => ({
    itemKey: a.itemKey,
    kind: a.kind,
    unitCode: a.unitCode,
    unitName: directory.unit(a.unitCode)?.name ?? null,
    role: a.role,
    periodKey: a.periodKey,
    periodLabel: a.periodLabel,
    deadline: a.deadline,
    deadlineLocal: a.deadline ? formatDateVN(new Date(a.deadline)) : null,
    title: a.title,
  }));
}

function table(header: readonly string[], rows: readonly string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}

export function formatAssignmentsReport(
  plan: Plan,
  planned: { assignments: PlannedAssignment[]; problems: ActivationProblem[] },
  warnings: readonly PlanWarning[],
  directory: OrganisationDirectory,
  options: { json?: boolean } = {},
): string {
  const rows = assignmentRows(planned.assignments, directory);
  const m = plan.metadata;
  if (options.json) {
    return JSON.stringify(
      {
        plan: { number: m.number, title: m.title, issuer: m.issuer, issueDate: m.issueDate, year: m.year },
        assignments: rows,
        problems: planned.problems,
        warnings,
      },
      null,
      2,
    );
  }
  const units = new Set(rows.map((r) => r.unitCode)).size;
  const out = [
    `KẾ HOẠCH: ${m.title}${m.number ? ` (số ${m.number})` : ''}`,
    `Khi kích hoạt sẽ giao ${rows.length} việc cho ${units} đơn vị (danh mục: ${directory.file.name}).`,
    '',
    ...table(
      ['Mục', 'Đơn vị', 'Vai trò', 'Kỳ', 'Hạn'],
      rows.map((r) => [
        r.itemKey,
        `${r.unitCode} ${r.unitName ?? ''}`.trim(),
        ROLE_VI[r.role],
        r.periodLabel,
        // Without a date the workflow has no timer: say so rather than print an empty cell.
        r.deadlineLocal ?? 'chưa có hạn',
      ]),
    ),
    '',
    `VẤN ĐỀ KHI KÍCH HOẠT (${planned.problems.length})`,
    // Activation words each problem for the coordinator (what is lost, how to recover it); blocking ones stop activation.
    ...planned.problems.map((p) => `  ${p.blocking ? '[chặn kích hoạt] ' : ''}${p.code}: ${p.message}`),
  ];
  if (warnings.length > 0) out.push('', `CẢNH BÁO KHI ĐỌC KẾ HOẠCH (${warnings.length})`, ...warnings.map((w) => `  ${w.code}: ${w.message}`));
  return out.join('\n');
}
