import { AlignmentType, Document, LevelFormat, Packer, Paragraph, Table, TableCell, TableRow, TextRun } from 'docx';
import { formatNumber, labelNumberedParagraphs, readNumbering } from './docx-numbering';
import { parseDocx } from './docx';
import { vanQuanDirectory } from './test-support';

/** .docx built at test time with the `docx` package: Word numbering and annex tables with merged cells. */
const directory = vanQuanDirectory();

const bold = (text: string): Paragraph => new Paragraph({ children: [new TextRun({ text, bold: true })] });
const plain = (text: string): Paragraph => new Paragraph({ children: [new TextRun(text)] });
const HEADER = [
  bold('ỦY BAN NHÂN DÂN'),
  bold('HUYỆN VĂN QUAN'),
  plain('Số: 215/KH-UBND'),
  plain('Văn Quan, ngày 10 tháng 7 năm 2024'),
  bold('KẾ HOẠCH'),
  bold('Thực hiện công tác trẻ em 6 tháng cuối năm 2024'),
];
const SIGNATURE = [plain('Trên đây là Kế hoạch của UBND huyện./.'), bold('KT. CHỦ TỊCH'), bold('PHÓ CHỦ TỊCH'), plain('Triệu Đức Dũng')];

/**
 * The district plan of issue 12: section headings 'I.', 'II.' and the items under them all come
 * from one Word list (upperRoman at level 0, decimal at level 1), so none of the numbers is text.
 */
async function wordNumberedDistrictPlan(): Promise<Buffer> {
  const heading = (text: string): Paragraph =>
    new Paragraph({ numbering: { reference: 'plan', level: 0 }, children: [new TextRun({ text, bold: true })] });
  const item = (text: string): Paragraph => new Paragraph({ numbering: { reference: 'plan', level: 1 }, children: [new TextRun(text)] });
  const doc = new Document({
    numbering: {
      config: [
        {
          reference: 'plan',
          levels: [
            { level: 0, format: LevelFormat.UPPER_ROMAN, text: '%1.', alignment: AlignmentType.START },
            { level: 1, format: LevelFormat.DECIMAL, text: '%2.', alignment: AlignmentType.START },
          ],
        },
      ],
    },
    sections: [
      {
        children: [
          ...HEADER,
          heading('MỤC TIÊU'),
          item('100% trẻ em có hoàn cảnh đặc biệt được quản lý, theo dõi.'),
          item('95% trẻ em dưới 6 tuổi được cấp thẻ bảo hiểm y tế.'),
          item('Không để xảy ra trẻ em bị xâm hại nghiêm trọng.'),
          heading('NHIỆM VỤ VÀ GIẢI PHÁP'),
          item('Tổ chức tập huấn kỹ năng bảo vệ trẻ em. Giao Phòng Lao động, Thương binh, Xã hội - Dân tộc chủ trì, phối hợp với Phòng Y tế, Huyện đoàn; hoàn thành trước ngày 30/9/2024.'),
          item('Rà soát, cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi. Cơ quan thực hiện: UBND các xã, thị trấn; thời gian: Quý IV/2024.'),
          heading('TỔ CHỨC THỰC HIỆN'),
          plain('- Phòng Tư pháp: phối hợp tuyên truyền pháp luật về trẻ em.'),
          heading('CHẾ ĐỘ BÁO CÁO'),
          plain('Yêu cầu UBND các xã, thị trấn định kỳ hằng quý (trước ngày 15 của tháng cuối quý) báo cáo kết quả về UBND huyện.'),
          ...SIGNATURE,
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}

const cell = (text: string, options: { rowSpan?: number; columnSpan?: number } = {}): TableCell =>
  new TableCell({ ...options, children: [plain(text)] });

/** A province plan with its duties in an annex table: merged header and merged lead cell. */
async function annexPlan(): Promise<Buffer> {
  const table = new Table({
    rows: [
      new TableRow({
        children: [cell('STT', { rowSpan: 2 }), cell('Nội dung', { rowSpan: 2 }), cell('Cơ quan thực hiện', { columnSpan: 2 }), cell('Thời gian', { rowSpan: 2 }), cell('Sản phẩm', { rowSpan: 2 })],
      }),
      new TableRow({ children: [cell('Chủ trì'), cell('Phối hợp')] }),
      new TableRow({ children: [cell('1'), cell('Tổ chức lễ phát động Tháng hành động vì trẻ em'), cell('Phòng Văn hóa và Thông tin', { rowSpan: 2 }), cell('Huyện đoàn, Hội LHPN huyện'), cell('Trước ngày 01/6/2024'), cell('Lễ phát động')] }),
      new TableRow({ children: [cell('2'), cell('Tuyên truyền phòng chống đuối nước'), cell('UBND các xã, thị trấn'), cell('Từ 01/6 đến 31/8'), cell('Tin, bài')] }),
      new TableRow({ children: [cell('3'), cell('Khám sức khỏe cho trẻ em'), cell('Phòng Y tế, Trung tâm Y tế'), cell(''), cell('Tháng 9/2024'), cell('Báo cáo')] }),
    ],
  });
  const doc = new Document({
    sections: [
      {
        children: [
          ...HEADER,
          bold('I. MỤC ĐÍCH'),
          plain('- Bảo đảm quyền trẻ em.'),
          bold('II. NỘI DUNG'),
          plain('Các nhiệm vụ cụ thể tại Phụ lục kèm theo.'),
          bold('III. TỔ CHỨC THỰC HIỆN'),
          plain('- Phòng Lao động, Thương binh, Xã hội - Dân tộc: tổng hợp, báo cáo kết quả.'),
          ...SIGNATURE,
          bold('PHỤ LỤC'),
          bold('NHIỆM VỤ CỤ THỂ'),
          table,
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}

describe('Word list numbering is read as printed', () => {
  it.each([
    [2, 'upperRoman', 'II'],
    [14, 'lowerRoman', 'xiv'],
    [3, 'lowerLetter', 'c'],
    [28, 'upperLetter', 'BB'],
    [7, 'decimalZero', '07'],
    [7, 'decimal', '7'],
  ])('%i as %s is %s', (n, format, label) => {
    expect(formatNumber(n, format)).toBe(label);
  });

  it('labels multi-level lists (%1.%2.) and restarts the lower level under each higher item', () => {
    const numbering = readNumbering(
      '<w:numbering><w:abstractNum w:abstractNumId="7"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>' +
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2."/></w:lvl>' +
        '<w:lvl w:ilvl="2"><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%3)"/></w:lvl></w:abstractNum>' +
        '<w:num w:numId="3"><w:abstractNumId w:val="7"/></w:num></w:numbering>',
    );
    const p = (ilvl: number, text: string) =>
      `<w:p><w:pPr><w:numPr><w:ilvl w:val="${ilvl}"/><w:numId w:val="3"/></w:numPr></w:pPr><w:r><w:t>${text}</w:t></w:r></w:p>`;
    const xml = labelNumberedParagraphs(`<w:body>${p(0, 'A')}${p(1, 'B')}${p(2, 'C')}${p(2, 'D')}${p(1, 'E')}${p(0, 'F')}${p(1, 'G')}</w:body>`, numbering);
    const labels = [...xml.matchAll(/<w:t xml:space="preserve">([^<]*) <\/w:t>/g)].map((m) => m[1]);
    expect(labels).toEqual(['1.', '1.1.', 'a)', 'b)', '1.2.', '2.', '2.1.']);
    expect(xml).not.toContain('<w:numPr>');
  });

  it('labels paragraphs numbered through their style, and restarts a list given a start override', () => {
    const numbering = readNumbering(
      '<w:numbering><w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum>' +
        '<w:num w:numId="5"><w:abstractNumId w:val="1"/></w:num>' +
        '<w:num w:numId="6"><w:abstractNumId w:val="1"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num></w:numbering>',
      '<w:styles><w:style w:type="paragraph" w:styleId="Heading1"><w:pPr><w:numPr><w:numId w:val="5"/></w:numPr></w:pPr></w:style></w:styles>',
    );
    const heading = (text: string) => `<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:rPr><w:b/></w:rPr><w:t>${text}</w:t></w:r></w:p>`;
    const restarted = (text: string) => `<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="6"/></w:numPr></w:pPr><w:r><w:t>${text}</w:t></w:r></w:p>`;
    const xml = labelNumberedParagraphs(`<w:body>${heading('MỤC ĐÍCH')}${heading('NHIỆM VỤ')}${restarted('A')}${restarted('B')}</w:body>`, numbering);
    expect([...xml.matchAll(/<w:t xml:space="preserve">([^<]*) <\/w:t>/g)].map((m) => m[1])).toEqual(['I.', 'II.', 'I.', 'II.']);
    // The label takes the run's formatting: a bold heading stays wholly bold.
    expect(xml).toContain('<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">II. </w:t></w:r>');
  });

  it('reads a Word-numbered district plan: Roman sections, tasks and inline assignments (was 14 objectives, 0 tasks)', async () => {
    const { plan, markdown } = await parseDocx(await wordNumberedDistrictPlan(), directory);
    expect(markdown).toContain('II. NHIỆM VỤ VÀ GIẢI PHÁP');
    expect(plan.sections.map((s) => [s.key, s.kind])).toEqual([
      ['I', 'objectives'],
      ['II', 'tasks'],
      ['III', 'implementation'],
      ['IV', 'reporting'],
    ]);
    expect(plan.objectives).toHaveLength(3);
    expect(plan.tasks.map((t) => [t.key, t.leadUnitRefs.map((u) => u.code)])).toEqual([
      ['II.1', ['VQ-LDTBXH']],
      ['II.2', ['VQ-NHOM-XA-TT']],
    ]);
    expect(plan.responsibilities.map((r) => [r.key, r.unitRef.code, r.coordinatingUnitRefs.map((u) => u.code), r.deadline?.date])).toEqual([
      ['III.1.1', 'VQ-TU-PHAP', [], '2024-12-31'],
      ['II.1.1', 'VQ-LDTBXH', ['VQ-Y-TE', 'VQ-HUYEN-DOAN'], '2024-09-29'],
      ['II.2.1', 'VQ-NHOM-XA-TT', [], '2024-12-31'],
    ]);
    expect(plan.reportingRules.map((r) => [r.period, r.deadlineRule])).toEqual([['quarterly', { kind: 'before', day: 15, monthsAfterPeriodEnd: 0 }]]);
  });
});

describe('annex tables in .docx', () => {
  it('reads merged header and lead cells into lead responsibilities with coordinators, deadlines and products', async () => {
    const { plan, markdown } = await parseDocx(await annexPlan(), directory);
    expect(markdown).toContain('| Cơ quan thực hiện |');
    const annex = plan.responsibilities.filter((r) => r.sectionKey.startsWith('PL.'));
    expect(annex.map((r) => [r.unitRef.code, r.coordinatingUnitRefs.map((u) => u.code), r.text, r.deadline?.date, r.deadline?.startDate])).toEqual([
      ['VQ-VH-TT', ['VQ-HUYEN-DOAN', 'VQ-HOI-LHPN'], 'Tổ chức lễ phát động Tháng hành động vì trẻ em (Sản phẩm: Lễ phát động)', '2024-05-31', undefined],
      // The lead cell is merged over rows 1 and 2: Phòng Văn hóa và Thông tin leads both.
      ['VQ-VH-TT', ['VQ-NHOM-XA-TT'], 'Tuyên truyền phòng chống đuối nước (Sản phẩm: Tin, bài)', '2024-08-31', '2024-06-01'],
      ['VQ-Y-TE', [], 'Khám sức khỏe cho trẻ em (Sản phẩm: Báo cáo)', '2024-09-30', undefined],
      ['VQ-TTYT', [], 'Khám sức khỏe cho trẻ em (Sản phẩm: Báo cáo)', '2024-09-30', undefined],
    ]);
    expect(new Set(plan.responsibilitySections.map((s) => s.key)).size).toBe(plan.responsibilitySections.length);
  });
});
