export * from './types';
export { buildUrgingLetter, groupLateByUnit } from './urging-letter';
export { buildSummaryReport, indicatorVerdict } from './summary-report';
export { buildConsolidatedWorkbook, SHEET_NAMES } from './workbook';
export { buildConsolidatedCsv, csvField, type CsvTable } from './csv';
export { TIMELINESS_LABELS, emptyCounts, percentVN, sumCounts, totalOf } from './timeliness';
export { placeAndDate } from './dates';
