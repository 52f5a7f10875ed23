import { BorderStyle, Document, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import { htmlToMarkdown, parseDocx } from './docx';
import { vanQuanDirectory } from './test-support';

/**
 * The header of a Word plan is a borderless two-column table, one paragraph per printed line in each
 * cell. Built here with the `docx` package as typists lay it out (bold agency, bold motto, a rule
 * under each) — the bench's district fixture lost its issuer when the cell's paragraphs were glued
 * ('ỦY BAN NHÂN DÂNHUYỆN VĂN QUAN', 'VIỆT NAMĐộc lập').
 */
const directory = vanQuanDirectory();

const NONE = { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' };
const bold = (text: string): Paragraph => new Paragraph({ children: [new TextRun({ text, bold: true })] });
const plain = (text: string): Paragraph => new Paragraph({ children: [new TextRun(text)] });
const empty = (): Paragraph => new Paragraph({ children: [] });

function layoutCell(children: Paragraph[]): TableCell {
  return new TableCell({ borders: { top: NONE, bottom: NONE, left: NONE, right: NONE }, width: { size: 50, type: WidthType.PERCENTAGE }, children });
}

function headerTable(left: Paragraph[], right: Paragraph[]): Table {
  return new Table({ width: { size: 100, type: WidthType.PERCENTAGE }, rows: [new TableRow({ children: [layoutCell(left), layoutCell(right)] })] });
}

const dutyCell = (children: Paragraph[]): TableCell => new TableCell({ children });

async function planWithHeaderTable(left: Paragraph[]): Promise<Buffer> {
  const duties = new Table({
    rows: [
      new TableRow({ children: ['STT', 'Nội dung', 'Cơ quan chủ trì', 'Thời gian'].map((t) => dutyCell([bold(t)])) }),
      new TableRow({
        children: [
          dutyCell([plain('1')]),
          // Two paragraphs in one content cell: still one duty, its words apart.
          dutyCell([plain('Cập nhật dữ liệu dân cư.'), plain('Báo cáo kết quả về UBND huyện.')]),
          dutyCell([bold('Phòng Văn hóa'), bold('và Thông tin')]),
          dutyCell([plain('Trước ngày 30/9/2024')]),
        ],
      }),
    ],
  });
  const doc = new Document({
    sections: [
      {
        children: [
          headerTable(left, [
            bold('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM'),
            bold('Độc lập - Tự do - Hạnh phúc'),
            plain('---------------'),
            empty(),
            new Paragraph({ children: [new TextRun({ text: 'Văn Quan, ngày 12 tháng 3 năm 2024', italics: true })] }),
          ]),
          bold('KẾ HOẠCH'),
          bold('Thực hiện chuyển đổi số năm 2024 trên địa bàn huyện Văn Quan'),
          plain('Căn cứ Quyết định số 749/QĐ-TTg ngày 03/6/2020 của Thủ tướng Chính phủ;'),
          bold('I. MỤC ĐÍCH, YÊU CẦU'),
          plain('- Đưa hoạt động của cơ quan hành chính lên môi trường số.'),
          bold('II. NHIỆM VỤ'),
          duties,
          bold('III. TỔ CHỨC THỰC HIỆN'),
          plain('- Phòng Tư pháp: phối hợp tuyên truyền.'),
          plain('Trên đây là Kế hoạch của UBND huyện./.'),
          bold('KT. CHỦ TỊCH'),
          bold('PHÓ CHỦ TỊCH'),
          plain('Triệu Đức Dũng'),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}

const DISTRICT_LEFT = [bold('ỦY BAN NHÂN DÂN'), bold('HUYỆN VĂN QUAN'), plain('-------'), plain('Số: 45/KH-UBND')];

describe('.docx header laid out in a table', () => {
  it('keeps each paragraph of a cell on its own line and reads issuer, number, place and date from them', async () => {
    const { plan, warnings, markdown } = await parseDocx(await planWithHeaderTable(DISTRICT_LEFT), directory);
    expect(markdown).not.toContain('NAMĐộc');
    expect(markdown).not.toContain('DÂNHUYỆN');
    // One Markdown row per printed line, as sites paste a two-column header.
    expect(markdown).toContain('| HUYỆN VĂN QUAN | Độc lập - Tự do - Hạnh phúc |');
    expect(plan.metadata.issuer).toBe('UBND huyện Văn Quan');
    expect(plan.metadata.number).toBe('45/KH-UBND');
    expect(plan.metadata.issueDate).toBe('2024-03-12');
    expect(plan.metadata.place).toBe('Văn Quan');
    expect(plan.metadata.title).toBe('Thực hiện chuyển đổi số năm 2024 trên địa bàn huyện Văn Quan');
    // Every header line was read: nothing left over as an unmapped paragraph.
    expect(warnings.filter((w) => w.code === 'UNMAPPED_PARAGRAPH' || w.code === 'MISSING_ISSUER')).toEqual([]);
  });

  it('reads a department under its province from separate paragraphs of one cell', async () => {
    const { plan } = await parseDocx(await planWithHeaderTable([bold('UBND TỈNH LẠNG SƠN'), bold('SỞ Y TẾ'), plain('Số: 12/KH-SYT')]), directory);
    expect(plan.metadata.issuer).toBe('SỞ Y TẾ');
    expect(plan.metadata.number).toBe('12/KH-SYT');
  });

  it('keeps a duty table below KẾ HOẠCH one row per table row, paragraphs of a cell apart by a space', async () => {
    const { plan, markdown } = await parseDocx(await planWithHeaderTable(DISTRICT_LEFT), directory);
    expect(markdown).toContain('| 1 | Cập nhật dữ liệu dân cư. Báo cáo kết quả về UBND huyện. | Phòng Văn hóa và Thông tin | Trước ngày 30/9/2024 |');
    const duty = plan.responsibilities.find((r) => r.text.startsWith('Cập nhật dữ liệu dân cư.'));
    expect(duty?.unitRef.code).toBe('VQ-VH-TT');
    expect(duty?.deadline?.date).toBe('2024-09-29');
  });
});

describe('htmlToMarkdown', () => {
  it('keeps the space between two bold runs (it glued "Phòng" and "Y tế")', () => {
    expect(htmlToMarkdown('<p><strong>Phòng</strong> <strong>Y tế</strong> chủ trì</p>')).toBe('**Phòng Y tế** chủ trì\n');
  });

  it('writes a header cell with fewer paragraphs than its neighbour as empty cells in the later rows', () => {
    const html =
      '<table><tr><td><p><strong>ỦY BAN NHÂN DÂN</strong></p><p><strong>XÃ TRÀNG CÁC</strong></p></td>' +
      '<td><p>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</p><p>Độc lập - Tự do - Hạnh phúc</p><p>Tràng Các, ngày 20 tháng 5 năm 2024</p></td></tr></table>' +
      '<p><strong>KẾ HOẠCH</strong></p>';
    expect(htmlToMarkdown(html).split('\n').slice(0, 4)).toEqual([
      '| ỦY BAN NHÂN DÂN | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |',
      '| --- | --- |',
      '| XÃ TRÀNG CÁC | Độc lập - Tự do - Hạnh phúc |',
      '|  | Tràng Các, ngày 20 tháng 5 năm 2024 |',
    ]);
  });
});
