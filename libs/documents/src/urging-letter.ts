import { formatDateVN } from './dates';
import { body, footer, grid, header, pack, salutation, withArchive } from './docx-kit';
import { type LateRow, type UrgingLetterInput } from './types';

/** Late rows grouped per unit, units in order of their worst delay, so the most urgent come first. */
export function groupLateByUnit(late: LateRow[]): Array<{ unitCode: string; unitName: string; rows: LateRow[] }> {
  const byUnit = new Map<string, { unitCode: string; unitName: string; rows: LateRow[] }>();
  for (const row of late) {
    const group = byUnit.get(row.unitCode) ?? { unitCode: row.unitCode, unitName: row.unitName, rows: [] };
    group.rows.push(row);
    byUnit.set(row.unitCode, group);
  }
  const groups = [...byUnit.values()];
  for (const g of groups) g.rows.sort((a, b) => b.daysLate - a.daysLate || a.responsibilityKey.localeCompare(b.responsibilityKey));
  const worst = (g: { rows: LateRow[] }): number => g.rows[0]?.daysLate ?? 0;
  return groups.sort((a, b) => worst(b) - worst(a) || a.unitName.localeCompare(b.unitName, 'vi'));
}

function planSentence(input: UrgingLetterInput): string {
  const p = input.plan;
  const issued = p.issuedOn ? ` ngày ${formatDateVN(p.issuedOn)}` : '';
  const by = p.issuer ? ` của ${p.issuer}` : '';
  return `Kế hoạch số ${p.number}${issued}${by} về ${p.title}`;
}

/** Văn bản đôn đốc: a công văn from the district to the units that are late, as a .docx Buffer. */
export async function buildUrgingLetter(input: UrgingLetterInput): Promise<Buffer> {
  if (input.late.length === 0) throw new Error('An urging letter needs at least one late responsibility');
  const groups = groupLateByUnit(input.late);
  const subject = `V/v đôn đốc thực hiện ${input.subject ?? `Kế hoạch số ${input.plan.number}`}`;
  const via = input.via ? ` (qua ${input.via})` : '';
  const deadline = input.replyBy ? `trước ngày ${formatDateVN(input.replyBy)}` : 'ngay sau khi hoàn thành';

  let stt = 0;
  const rows = groups.flatMap((g) =>
    g.rows.map((r) => [
      String(++stt),
      g.unitName,
      r.responsibility,
      formatDateVN(r.deadline),
      `${r.daysLate} ngày`,
      r.escalationLabel ? `${r.escalationLevel} - ${r.escalationLabel}` : String(r.escalationLevel),
    ]),
  );

  const content = [
    header(input.issuer, subject),
    ...salutation(groups.map((g) => g.unitName)),
    body(
      `Thực hiện ${planSentence(input)}; qua theo dõi, tính đến ngày ${formatDateVN(input.asOf)}, các cơ quan, đơn vị sau đây chưa hoàn thành nhiệm vụ được giao theo đúng thời hạn (${input.late.length} nhiệm vụ của ${groups.length} đơn vị):`,
    ),
    grid(
      [
        { title: 'STT', weight: 5, align: 'center' },
        { title: 'Đơn vị', weight: 18 },
        { title: 'Nhiệm vụ chưa hoàn thành', weight: 42 },
        { title: 'Thời hạn', weight: 12, align: 'center' },
        { title: 'Số ngày quá hạn', weight: 10, align: 'center' },
        { title: 'Mức đôn đốc', weight: 13, align: 'center' },
      ],
      rows,
    ),
    body(''),
    body(
      `Để bảo đảm tiến độ thực hiện Kế hoạch, ${input.issuer.textName ?? input.issuer.name} đề nghị Thủ trưởng các cơ quan, đơn vị nêu trên khẩn trương chỉ đạo hoàn thành các nhiệm vụ còn chậm, báo cáo kết quả về Ủy ban nhân dân huyện${via} ${deadline}, đồng thời cập nhật kết quả trên hệ thống theo dõi nhiệm vụ.`,
    ),
    body('Trường hợp tiếp tục chậm thực hiện, Thủ trưởng cơ quan, đơn vị chịu trách nhiệm trước Chủ tịch Ủy ban nhân dân huyện./.'),
    footer(withArchive(['Như trên', ...(input.distribution ?? [])]), input.signer),
  ];
  return pack(content, subject);
}
