import ExcelJS from 'exceljs';
import { vnDate } from './dates';
import { indicatorVerdict } from './summary-report';
import { sumCounts, TIMELINESS_LABELS, totalOf } from './timeliness';
import { type ConsolidatedData, type TimelinessCounts } from './types';

export const SHEET_NAMES = { summary: 'Tổng hợp', units: 'Theo đơn vị', responsibilities: 'Theo nhiệm vụ', indicators: 'Chỉ tiêu', late: 'Đơn vị chậm' } as const;

/**
 * Excel has no time zones: a cell date is a wall-clock date. Writing the Vietnam calendar date at UTC
 * midnight makes Excel show the same day the letters and emails show, and keeps the column sortable.
 */
const excelDate = (date: Date): Date => {
  const { year, month, day } = vnDate(date);
  return new Date(Date.UTC(year, month - 1, day));
};

const countColumns = TIMELINESS_LABELS.map(([key, header]) => ({ header, key, width: 14 }));
const countValues = (c: TimelinessCounts): Record<string, number> => Object.fromEntries(TIMELINESS_LABELS.map(([key]) => [key, c[key]]));

function styleTable(ws: ExcelJS.Worksheet, headerRow: number): void {
  const row = ws.getRow(headerRow);
  row.font = { bold: true };
  row.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
  row.eachCell((cell) => {
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E1F2' } };
  });
  ws.views = [{ state: 'frozen', ySplit: headerRow }];
  const lastColumn = ws.columnCount;
  if (lastColumn > 0) ws.autoFilter = { from: { row: headerRow, column: 1 }, to: { row: headerRow, column: lastColumn } };
}

/** The consolidated figures as an .xlsx Buffer with one sheet per view. */
export async function buildConsolidatedWorkbook(data: ConsolidatedData): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Dondoc';
  wb.created = data.asOf;

  const totals = sumCounts(data.units);
  const total = totalOf(totals);

  const summary = wb.addWorksheet(SHEET_NAMES.summary);
  summary.getColumn(1).width = 36;
  summary.getColumn(2).width = 14;
  summary.getColumn(3).width = 12;
  summary.addRow(['Kế hoạch', `${data.plan.number} - ${data.plan.title}`]);
  summary.addRow(['Số liệu tính đến ngày', excelDate(data.asOf)]).getCell(2).numFmt = 'dd/mm/yyyy';
  summary.addRow(['Số cơ quan, đơn vị', data.units.length]);
  summary.addRow([]);
  summary.addRow(['Tình trạng', 'Số lượng', 'Tỷ lệ']);
  for (const [key, label] of TIMELINESS_LABELS) {
    const row = summary.addRow([label, totals[key], total === 0 ? null : totals[key] / total]);
    row.getCell(3).numFmt = '0.0%';
  }
  const totalRow = summary.addRow(['Tổng cộng', total, total === 0 ? null : 1]);
  totalRow.font = { bold: true };
  totalRow.getCell(3).numFmt = '0.0%';
  summary.getRow(5).font = { bold: true };
  summary.getColumn(1).font = { bold: false };
  summary.getCell('A1').font = { bold: true };

  const units = wb.addWorksheet(SHEET_NAMES.units);
  units.columns = [
    { header: 'Mã đơn vị', key: 'code', width: 16 },
    { header: 'Cơ quan, đơn vị', key: 'name', width: 40 },
    { header: 'Tổng số', key: 'total', width: 10 },
    ...countColumns,
    { header: 'Tỷ lệ đúng hạn', key: 'onTimeRate', width: 14 },
  ];
  for (const u of data.units) {
    const n = totalOf(u.counts);
    units.addRow({ code: u.unitCode, name: u.unitName, total: n, ...countValues(u.counts), onTimeRate: n === 0 ? null : u.counts.doneOnTime / n });
  }
  units.getColumn('onTimeRate').numFmt = '0.0%';
  styleTable(units, 1);

  const resp = wb.addWorksheet(SHEET_NAMES.responsibilities);
  resp.columns = [
    { header: 'Mã nhiệm vụ', key: 'key', width: 14 },
    { header: 'Nhiệm vụ', key: 'text', width: 70 },
    { header: 'Đơn vị chủ trì', key: 'lead', width: 30 },
    { header: 'Tổng số', key: 'total', width: 10 },
    ...countColumns,
  ];
  for (const r of data.responsibilities) resp.addRow({ key: r.key, text: r.text, lead: r.leadUnit ?? '', total: totalOf(r.counts), ...countValues(r.counts) });
  resp.getColumn('text').alignment = { wrapText: true, vertical: 'top' };
  styleTable(resp, 1);

  const ind = wb.addWorksheet(SHEET_NAMES.indicators);
  ind.columns = [
    { header: 'Mã', key: 'code', width: 10 },
    { header: 'Chỉ tiêu', key: 'text', width: 70 },
    { header: 'Mục tiêu', key: 'target', width: 12 },
    { header: 'Kết quả', key: 'reported', width: 12 },
    { header: 'Số đơn vị báo cáo', key: 'units', width: 12 },
    { header: 'Đánh giá', key: 'verdict', width: 16 },
  ];
  for (const r of data.indicators) {
    ind.addRow({ code: r.code, text: r.text, target: r.target, reported: r.reported ?? '', units: r.reportingUnits ?? null, verdict: indicatorVerdict(r) });
  }
  ind.getColumn('text').alignment = { wrapText: true, vertical: 'top' };
  styleTable(ind, 1);

  const late = wb.addWorksheet(SHEET_NAMES.late);
  late.columns = [
    { header: 'Mã đơn vị', key: 'unitCode', width: 16 },
    { header: 'Cơ quan, đơn vị', key: 'unitName', width: 36 },
    { header: 'Mã nhiệm vụ', key: 'key', width: 14 },
    { header: 'Nhiệm vụ', key: 'text', width: 60 },
    { header: 'Thời hạn', key: 'deadline', width: 12 },
    { header: 'Số ngày quá hạn', key: 'daysLate', width: 12 },
    { header: 'Mức đôn đốc', key: 'level', width: 10 },
    { header: 'Bước đôn đốc', key: 'label', width: 30 },
  ];
  const sortedLate = [...data.late].sort((a, b) => b.daysLate - a.daysLate || a.unitName.localeCompare(b.unitName, 'vi'));
  for (const r of sortedLate) {
    late.addRow({
      unitCode: r.unitCode,
      unitName: r.unitName,
      key: r.responsibilityKey,
      text: r.responsibility,
      deadline: excelDate(r.deadline),
      daysLate: r.daysLate,
      level: r.escalationLevel,
      label: r.escalationLabel ?? '',
    });
  }
  late.getColumn('deadline').numFmt = 'dd/mm/yyyy';
  styleTable(late, 1);

  return Buffer.from(await wb.xlsx.writeBuffer());
}
