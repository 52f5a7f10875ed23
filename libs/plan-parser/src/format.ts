import { type Deadline, type Plan, type PlanWarning, type Recurrence, type UnitRef } from '../../domain/src/plan';

/** Text report of an imported plan for the CLI: what was understood, and what was not. */

const RECURRENCE_VI: Record<string, string> = {
  once: 'một lần',
  monthly: 'hàng tháng',
  quarterly: 'hàng quý',
  semiannual: '6 tháng',
  annual: 'hàng năm',
};

const ROLE_VI = { lead: 'chủ trì', coordinate: 'phối hợp' } as const;

function unit(ref: UnitRef | null): string {
  if (!ref) return '—';
  return ref.code ? `${ref.text} [${ref.code}]` : `${ref.text} [chưa xác định]`;
}

function deadline(d: Deadline | null): string {
  if (!d) return 'theo kỳ';
  const when = d.date ?? `${d.workingDays} ngày làm việc`;
  return `${when} (${d.kind === 'suggested' ? 'gợi ý' : 'ghi rõ'}: ${d.reason})`;
}

function recurrence(r: Recurrence): string {
  return r.kinds.map((k) => RECURRENCE_VI[k]).join(' + ');
}

function shorten(text: string, max = 90): string {
  const one = text.replace(/\s+/g, ' ');
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

/** Renders fixed-width columns; the last column is never padded. */
function table(header: readonly string[], rows: readonly string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}

export function formatPlanReport(plan: Plan, warnings: readonly PlanWarning[], options: { json?: boolean } = {}): string {
  if (options.json) return JSON.stringify({ plan, warnings }, null, 2);
  const m = plan.metadata;
  const out: string[] = [
    `KẾ HOẠCH: ${m.title}`,
    `Số: ${m.number ?? '(không có)'} · Cơ quan ban hành: ${m.issuer}${m.issuerUnitCode ? ` [${m.issuerUnitCode}]` : ''} · Ngày: ${m.issueDate ?? '(không có)'} · Năm: ${m.year}`,
    `Người ký: ${m.signer ? `${m.signer.name} (${m.signer.title})` : '(không có)'}`,
    ...m.legalBasis.map((b) => `Căn cứ: ${b.text}`),
    '',
    'CÁC MỤC',
    ...table(['Mục', 'Loại', 'Dòng', 'Tiêu đề'], plan.sections.map((s) => [s.key, s.kind, s.title, String(s.source.line)]).map(([k, kind, t, l]) => [k, kind, l, t])),
    '',
    `MỤC TIÊU (${plan.objectives.length})`,
  ];
  for (const o of plan.objectives) {
    out.push(`  ${o.key.padEnd(7)} ${shorten(o.text)}`);
    for (const i of o.indicators) {
      const target = i.kind === 'ratio' ? `${i.target}/${i.denominator}` : i.kind === 'percent' ? `${i.target}%` : String(i.target);
      const base = i.baseline ? ` · gốc ${i.baseline.value}${i.baseline.denominator ? `/${i.baseline.denominator}` : ''}${i.baseline.year ? ` (${i.baseline.year})` : ''}` : '';
      out.push(`          ↳ ${i.kind} ${target}${i.unitText ? ` ${i.unitText}` : ''}: ${shorten(i.subject, 70)}${base}`);
    }
  }
  out.push('', `NHIỆM VỤ (${plan.tasks.length})`);
  for (const t of plan.tasks) {
    const units = [...t.leadUnitRefs.map((r) => `chủ trì ${unit(r)}`), ...t.coordinatingUnitRefs.map((r) => `phối hợp ${unit(r)}`)];
    out.push(`  ${t.key.padEnd(7)} ${shorten(t.text)}${units.length ? ` — ${units.join('; ')}` : ''}`);
  }
  out.push('', `TRÁCH NHIỆM (${plan.responsibilities.length})`);
  for (const s of plan.responsibilitySections) {
    out.push(`  ${s.key} ${s.heading} → ${unit(s.unitRef)}`);
    const rows = plan.responsibilities
      .filter((r) => r.sectionKey === s.key)
      .map((r) => [r.key, ROLE_VI[r.role], deadline(r.deadline), recurrence(r.recurrence), shorten(r.text, 60)]);
    out.push(...table(['Mã', 'Vai trò', 'Hạn', 'Lặp lại', 'Nội dung'], rows).map((l) => `    ${l}`));
  }
  out.push('', `CHẾ ĐỘ BÁO CÁO (${plan.reportingRules.length})`);
  for (const r of plan.reportingRules) {
    out.push(
      `  ${r.key} ${RECURRENCE_VI[r.period]}: ${r.reporterRefs.map(unit).join(', ')} → ${unit(r.recipientUnitRef)}${r.viaUnitRef ? ` qua ${unit(r.viaUnitRef)}` : ''}; hạn ${deadline(r.deadline)}`,
    );
  }
  out.push('', `CẢNH BÁO (${warnings.length})`);
  for (const w of warnings) {
    const where = w.line ? `${w.section ?? '—'}:${w.line}` : w.section ?? 'văn bản';
    out.push(`  [${w.code}] ${where} ${w.message}${w.text ? `: ${shorten(w.text, 70)}` : ''}`);
  }
  return out.join('\n');
}
