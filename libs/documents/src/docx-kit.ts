import {
  AlignmentType,
  BorderStyle,
  Document,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  UnderlineType,
  VerticalAlign,
  WidthType,
  type IBorderOptions,
  type ITableBordersOptions,
} from 'docx';
import { placeAndDate } from './dates';
import { type Issuer, type Signer } from './types';

/**
 * The shared layout of an administrative document per Nghị định 30/2020/NĐ-CP, Phụ lục I: Times New
 * Roman, A4, the two-column header (issuer | national motto), the number and date lines, and the
 * two-column footer (Nơi nhận | signature).
 */

export const FONT = 'Times New Roman';
/** docx's own converter truncates (A4 would be 11905 twips); Word expects the rounded 11906 × 16838. */
export const convertMillimetersToTwip = (mm: number): number => Math.round((mm * 1440) / 25.4);
/** docx sizes are half-points. */
export const pt = (points: number): number => points * 2;

// A4 with the decree's margins: top/bottom 20–25 mm, left 30–35 mm, right 15–20 mm.
const MARGIN = { top: 20, bottom: 20, left: 30, right: 15 };
export const TEXT_WIDTH_TWIP = convertMillimetersToTwip(210 - MARGIN.left - MARGIN.right);

const NONE: IBorderOptions = { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' };
const LINE: IBorderOptions = { style: BorderStyle.SINGLE, size: 4, color: '000000' };
const NO_BORDERS: ITableBordersOptions = { top: NONE, bottom: NONE, left: NONE, right: NONE, insideHorizontal: NONE, insideVertical: NONE };
const GRID: ITableBordersOptions = { top: LINE, bottom: LINE, left: LINE, right: LINE, insideHorizontal: LINE, insideVertical: LINE };

export interface RunStyle {
  size?: number;
  bold?: boolean;
  italics?: boolean;
  underline?: boolean;
}

export function run(text: string, style: RunStyle = {}): TextRun {
  return new TextRun({
    text,
    font: FONT,
    size: pt(style.size ?? 14),
    bold: style.bold ?? false,
    italics: style.italics ?? false,
    ...(style.underline ? { underline: { type: UnderlineType.SINGLE } } : {}),
  });
}

export function centered(text: string, style: RunStyle = {}, after = 0): Paragraph {
  return new Paragraph({ alignment: AlignmentType.CENTER, spacing: { before: 0, after, line: 240 }, children: [run(text, style)] });
}

/** A body paragraph: justified, first line indented 1 cm, 6 pt after, 1.15 line spacing. */
export function body(text: string | TextRun[], style: RunStyle = {}): Paragraph {
  return new Paragraph({
    alignment: AlignmentType.JUSTIFIED,
    indent: { firstLine: convertMillimetersToTwip(10) },
    spacing: { before: 0, after: 120, line: 276 },
    children: typeof text === 'string' ? [run(text, style)] : text,
  });
}

/** A section heading such as "I. KẾT QUẢ THỰC HIỆN". */
export function heading(text: string): Paragraph {
  return new Paragraph({ indent: { firstLine: convertMillimetersToTwip(10) }, spacing: { before: 120, after: 120 }, children: [run(text, { bold: true })] });
}

/** The short rule under the issuer name and the document title (1/3 to 1/2 of the text above it). */
function shortRule(widthTwip: number, ruleTwip: number): Paragraph {
  const side = Math.max(0, Math.round((widthTwip - ruleTwip) / 2));
  return new Paragraph({ indent: { left: side, right: side }, spacing: { before: 0, after: 120 }, border: { bottom: { style: BorderStyle.SINGLE, size: 6, color: '000000', space: 1 } }, children: [] });
}

export function titleRule(): Paragraph {
  return shortRule(TEXT_WIDTH_TWIP, convertMillimetersToTwip(35));
}

function cell(children: Paragraph[], widthTwip: number): TableCell {
  return new TableCell({ children, width: { size: widthTwip, type: WidthType.DXA }, verticalAlign: VerticalAlign.TOP });
}

function frameTable(rows: TableRow[], widths: number[]): Table {
  return new Table({ rows, width: { size: TEXT_WIDTH_TWIP, type: WidthType.DXA }, columnWidths: widths, borders: NO_BORDERS, layout: TableLayoutType.FIXED });
}

/** The "Số: …/SUFFIX" line; the number stays "…" until the clerk issues the document. */
export function numberLine(issuer: Issuer): string {
  return `Số: ${issuer.number ?? '…'}/${issuer.numberSuffix}`;
}

/**
 * The header: left the issuer (parent upright, issuer bold, short rule), the number and, for a công văn,
 * the "V/v" summary; right the national motto (second line underlined) and the italic place and date.
 */
export function header(issuer: Issuer, summary?: string): Table {
  const left = Math.round(TEXT_WIDTH_TWIP * 0.4);
  const right = TEXT_WIDTH_TWIP - left;
  const leftCol: Paragraph[] = [];
  if (issuer.parent) leftCol.push(centered(issuer.parent.toUpperCase(), { size: 13 }));
  leftCol.push(centered(issuer.name.toUpperCase(), { size: 13, bold: true }), shortRule(left, Math.round(left / 3)));
  leftCol.push(centered(numberLine(issuer), { size: 13 }));
  if (summary) leftCol.push(centered(summary, { size: 12 }));
  const rightCol = [
    centered('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', { size: 12, bold: true }),
    centered('Độc lập - Tự do - Hạnh phúc', { size: 13, bold: true, underline: true }, 240),
    centered(placeAndDate(issuer.place, issuer.date), { size: 14, italics: true }),
  ];
  return frameTable([new TableRow({ children: [cell(leftCol, left), cell(rightCol, right)] })], [left, right]);
}

/** "Kính gửi:" with one recipient on the same line, or several as a dashed list. */
export function salutation(recipients: string[]): Paragraph[] {
  const indent = { left: convertMillimetersToTwip(45) };
  if (recipients.length === 1) {
    return [new Paragraph({ alignment: AlignmentType.CENTER, spacing: { before: 240, after: 240 }, children: [run(`Kính gửi: ${recipients[0]}.`)] })];
  }
  return [
    new Paragraph({ indent: { left: convertMillimetersToTwip(30) }, spacing: { before: 240, after: 0 }, children: [run('Kính gửi:')] }),
    ...recipients.map(
      (r, i) => new Paragraph({ indent, spacing: { after: i === recipients.length - 1 ? 240 : 0 }, children: [run(`- ${r}${i === recipients.length - 1 ? '.' : ';'}`)] }),
    ),
  ];
}

/** Footer: "Nơi nhận:" (12 pt bold italic heading, 11 pt entries) beside the signature block. */
export function footer(distribution: string[], signer: Signer): Table {
  const left = Math.round(TEXT_WIDTH_TWIP * 0.45);
  const right = TEXT_WIDTH_TWIP - left;
  const entries = distribution.map((d, i) => new Paragraph({ children: [run(`- ${d}${i === distribution.length - 1 ? '.' : ';'}`, { size: 11 })] }));
  const leftCol = [new Paragraph({ spacing: { before: 120 }, children: [run('Nơi nhận:', { size: 12, bold: true, italics: true })] }), ...entries];
  const rightCol: Paragraph[] = [];
  if (signer.authority) rightCol.push(centered(signer.authority.toUpperCase(), { bold: true }));
  rightCol.push(centered(signer.title.toUpperCase(), { bold: true }));
  // Room for the signature and seal.
  for (let i = 0; i < 4; i++) rightCol.push(centered(''));
  rightCol.push(centered(signer.name, { bold: true }));
  return frameTable([new TableRow({ children: [cell(leftCol, left), cell(rightCol, right)] })], [left, right]);
}

export interface GridColumn {
  title: string;
  /** Share of the text width. */
  weight: number;
  align?: 'left' | 'center' | 'right';
}

/** A bordered data table with a repeated header row. */
export function grid(columns: GridColumn[], rows: string[][]): Table {
  const totalWeight = columns.reduce((s, c) => s + c.weight, 0);
  const widths = columns.map((c) => Math.floor((TEXT_WIDTH_TWIP * c.weight) / totalWeight));
  const alignOf = (a: GridColumn['align']) => (a === 'center' ? AlignmentType.CENTER : a === 'right' ? AlignmentType.RIGHT : AlignmentType.LEFT);
  const gridCell = (text: string, i: number, headerRow: boolean): TableCell =>
    new TableCell({
      width: { size: widths[i] ?? 0, type: WidthType.DXA },
      verticalAlign: VerticalAlign.CENTER,
      margins: { left: 60, right: 60, top: 20, bottom: 20 },
      children: [
        new Paragraph({
          alignment: headerRow ? AlignmentType.CENTER : alignOf(columns[i]?.align),
          children: [run(text, { size: 12, bold: headerRow })],
        }),
      ],
    });
  return new Table({
    width: { size: TEXT_WIDTH_TWIP, type: WidthType.DXA },
    columnWidths: widths,
    borders: GRID,
    layout: TableLayoutType.FIXED,
    rows: [
      new TableRow({ tableHeader: true, cantSplit: true, children: columns.map((c, i) => gridCell(c.title, i, true)) }),
      ...rows.map((r) => new TableRow({ cantSplit: true, children: r.map((text, i) => gridCell(text, i, false)) })),
    ],
  });
}

/** Wraps the content in an A4 section with the decree's margins and packs it. */
export async function pack(children: Array<Paragraph | Table>, title: string): Promise<Buffer> {
  const doc = new Document({
    title,
    creator: 'Dondoc',
    styles: { default: { document: { run: { font: FONT, size: pt(14) } } } },
    sections: [
      {
        properties: {
          page: {
            size: { width: convertMillimetersToTwip(210), height: convertMillimetersToTwip(297) },
            margin: {
              top: convertMillimetersToTwip(MARGIN.top),
              bottom: convertMillimetersToTwip(MARGIN.bottom),
              left: convertMillimetersToTwip(MARGIN.left),
              right: convertMillimetersToTwip(MARGIN.right),
            },
          },
        },
        children,
      },
    ],
  });
  return Packer.toBuffer(doc);
}

/** Keeps "Lưu: VT" last, as every distribution list ends with the archive copy. */
export function withArchive(entries: string[], archive = 'Lưu: VT'): string[] {
  const rest = entries.filter((e) => !/^Lưu\s*:/i.test(e.trim()));
  const own = entries.find((e) => /^Lưu\s*:/i.test(e.trim()));
  return [...rest, own ?? archive];
}
