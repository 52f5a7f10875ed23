import { formatDateVN } from './dates';
import { body, centered, footer, grid, header, heading, pack, titleRule, withArchive } from './docx-kit';
import { percentVN, sumCounts, TIMELINESS_LABELS, totalOf } from './timeliness';
import { groupLateByUnit } from './urging-letter';
import { type IndicatorRow, type SummaryReportInput } from './types';

export function indicatorVerdict(row: IndicatorRow): string {
  if (row.met === null) return 'Chưa đánh giá';
  return row.met ? 'Đạt' : 'Chưa đạt';
}

/** Báo cáo tổng hợp kết quả thực hiện kế hoạch, ready to send to the province, as a .docx Buffer. */
export async function buildSummaryReport(input: SummaryReportInput): Promise<Buffer> {
  const { data } = input;
  const totals = sumCounts(data.units);
  const total = totalOf(totals);
  const asOf = formatDateVN(data.asOf);
  const issued = data.plan.issuedOn ? ` ngày ${formatDateVN(data.plan.issuedOn)}` : '';

  const unitRows = data.units.map((u, i) => [
    String(i + 1),
    u.unitName,
    String(totalOf(u.counts)),
    ...TIMELINESS_LABELS.map(([key]) => String(u.counts[key])),
  ]);
  unitRows.push(['', 'Tổng cộng', String(total), ...TIMELINESS_LABELS.map(([key]) => String(totals[key]))]);

  const lateGroups = groupLateByUnit(data.late);
  let lateStt = 0;
  const lateRows = lateGroups.flatMap((g) => g.rows.map((r) => [String(++lateStt), g.unitName, r.responsibility, formatDateVN(r.deadline), `${r.daysLate} ngày`]));

  const content = [
    header(input.issuer),
    centered('BÁO CÁO', { bold: true }, 0),
    centered(input.title, { bold: true }),
    titleRule(),
    body(
      `Thực hiện Kế hoạch số ${data.plan.number}${issued} về ${data.plan.title}, ${input.issuer.textName ?? input.issuer.name} báo cáo ${input.recipient} kết quả thực hiện tính đến ngày ${asOf} như sau:`,
    ),
    heading('I. KẾT QUẢ THỰC HIỆN'),
    heading('1. Tổng hợp chung'),
    body(`Tổng số nhiệm vụ đã giao: ${total} lượt nhiệm vụ (theo đơn vị và kỳ thực hiện) cho ${data.units.length} cơ quan, đơn vị; trong đó:`),
    ...TIMELINESS_LABELS.map(([key, label]) => body(`- ${label}: ${totals[key]} (${percentVN(totals[key], total)});`)),
    heading('2. Kết quả theo cơ quan, đơn vị'),
    grid(
      [
        { title: 'STT', weight: 4, align: 'center' },
        { title: 'Cơ quan, đơn vị', weight: 20 },
        { title: 'Tổng số', weight: 7, align: 'center' },
        ...TIMELINESS_LABELS.map(([, label]) => ({ title: label, weight: 11, align: 'center' as const })),
      ],
      unitRows,
    ),
    heading('3. Kết quả thực hiện các chỉ tiêu'),
    data.indicators.length === 0
      ? body('Kế hoạch không có chỉ tiêu định lượng.')
      : grid(
          [
            { title: 'STT', weight: 5, align: 'center' },
            { title: 'Chỉ tiêu', weight: 50 },
            { title: 'Mục tiêu', weight: 13, align: 'center' },
            { title: 'Kết quả', weight: 15, align: 'center' },
            { title: 'Đánh giá', weight: 17, align: 'center' },
          ],
          data.indicators.map((r, i) => [String(i + 1), `${r.code}. ${r.text}`, r.target, r.reported ?? 'Chưa báo cáo', indicatorVerdict(r)]),
        ),
    heading('II. CƠ QUAN, ĐƠN VỊ CHẬM THỰC HIỆN'),
    ...(lateRows.length === 0
      ? [body(`Tính đến ngày ${asOf}, không có cơ quan, đơn vị chậm thực hiện nhiệm vụ.`)]
      : [
          body(`Tính đến ngày ${asOf}, còn ${lateGroups.length} cơ quan, đơn vị với ${lateRows.length} nhiệm vụ chưa hoàn thành quá hạn:`),
          grid(
            [
              { title: 'STT', weight: 5, align: 'center' },
              { title: 'Cơ quan, đơn vị', weight: 22 },
              { title: 'Nhiệm vụ', weight: 47 },
              { title: 'Thời hạn', weight: 13, align: 'center' },
              { title: 'Số ngày quá hạn', weight: 13, align: 'center' },
            ],
            lateRows,
          ),
        ]),
    heading('III. ĐÁNH GIÁ CHUNG'),
    ...(input.assessment?.length
      ? input.assessment.map((p) => body(p))
      : [body(`Tỷ lệ nhiệm vụ hoàn thành đúng hạn đạt ${percentVN(totals.doneOnTime, total)}; tỷ lệ nhiệm vụ chưa hoàn thành quá hạn là ${percentVN(totals.openOverdue, total)}.`)]),
    body(`Trên đây là báo cáo ${input.title.charAt(0).toLowerCase()}${input.title.slice(1)} của ${input.issuer.textName ?? input.issuer.name}./.`),
    footer(withArchive([`${input.recipient} (b/c)`, ...(input.distribution ?? [])]), input.signer),
  ];
  return pack(content, `Báo cáo ${input.title}`);
}
