import { AlignmentType, Document, LevelFormat, Packer, Paragraph, TextRun } from 'docx';
import { PlanParseError } from './errors';
import { htmlToMarkdown, parseDocx } from './docx';
import { vanQuanDirectory } from './test-support';

const directory = vanQuanDirectory();

const bold = (text: string): Paragraph => new Paragraph({ children: [new TextRun({ text, bold: true })] });
const plain = (text: string): Paragraph => new Paragraph({ children: [new TextRun(text)] });
/** Word numbering: the number is not in the text, mammoth emits <ol><li>. */
const item = (text: string, instance: number): Paragraph =>
  new Paragraph({ numbering: { reference: 'so', level: 0, instance }, children: [new TextRun(text)] });

/** A district plan written in Word: bold headings typed by hand, numbered items from Word lists. */
async function samplePlanDocx(): Promise<Buffer> {
  const doc = new Document({
    numbering: {
      config: [{ reference: 'so', levels: [{ level: 0, format: LevelFormat.DECIMAL, text: '%1.', alignment: AlignmentType.START }] }],
    },
    sections: [
      {
        children: [
          bold('ỦY BAN NHÂN DÂN'),
          bold('HUYỆN VĂN QUAN'),
          plain('Số: 140/KH-UBND'),
          plain('Văn Quan, ngày 12 tháng 6 năm 2024'),
          bold('KẾ HOẠCH'),
          bold('Tổ chức Tết Trung thu cho trẻ em năm 2024'),
          plain('Thực hiện Kế hoạch số 59/KH-SLĐTBXH ngày 22/3/2024 của Sở Lao động, Thương binh và Xã hội tỉnh Lạng Sơn về công tác trẻ em, UBND huyện Văn Quan ban hành Kế hoạch như sau:'),
          bold('I. MỤC TIÊU'),
          item('100% trẻ em có hoàn cảnh đặc biệt được nhận quà Trung thu.', 1),
          item('Tổ chức 17 điểm vui chơi Trung thu tại các xã, thị trấn.', 1),
          bold('II. TỔ CHỨC THỰC HIỆN'),
          item('Phòng Văn hóa và Thông tin', 2),
          plain('- Hướng dẫn các xã trang trí điểm vui chơi trước ngày 10/9.'),
          item('Huyện đoàn: phối hợp với Phòng Văn hóa và Thông tin tổ chức đêm hội Trăng rằm dịp Tết Trung thu.', 2),
          plain('Trên đây là Kế hoạch tổ chức Tết Trung thu cho trẻ em năm 2024./.'),
          bold('KT. CHỦ TỊCH'),
          bold('PHÓ CHỦ TỊCH'),
          plain('Triệu Đức Dũng'),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}

describe('parseDocx', () => {
  it('reads a Word plan with bold headings and Word-numbered items', async () => {
    const sut = await parseDocx(await samplePlanDocx(), directory);
    const { plan, warnings } = sut;
    expect(plan.metadata).toMatchObject({
      number: '140/KH-UBND',
      title: 'Tổ chức Tết Trung thu cho trẻ em năm 2024',
      issuer: 'UBND huyện Văn Quan',
      issuerUnitCode: 'VQ-UBND',
      issueDate: '2024-06-12',
      year: 2024,
      signer: { name: 'Triệu Đức Dũng', onBehalfOf: 'KT. CHỦ TỊCH', position: 'PHÓ CHỦ TỊCH' },
    });
    expect(plan.objectives.map((o) => [o.key, o.indicators])).toEqual([
      ['I.1', [{ kind: 'percent', target: 100, subject: 'trẻ em có hoàn cảnh đặc biệt được nhận quà Trung thu' }]],
      ['I.2', [{ kind: 'count', target: 17, unitText: 'điểm', subject: 'điểm vui chơi Trung thu tại các xã, thị trấn' }]],
    ]);
    expect(plan.responsibilitySections.map((s) => [s.key, s.unitRef.code])).toEqual([
      ['II.1', 'VQ-VH-TT'],
      ['II.2', 'VQ-HUYEN-DOAN'],
    ]);
    expect(plan.responsibilities.map((r) => [r.key, r.role, r.leadUnitRefs.map((u) => u.code), r.deadline])).toEqual([
      ['II.1.1', 'lead', [], { date: '2024-09-09', kind: 'explicit', reason: 'Trước ngày 10/9/2024' }],
      ['II.2.1', 'coordinate', ['VQ-VH-TT'], { date: '2024-09-17', kind: 'suggested', reason: 'Tết Trung thu (15/8 âm lịch): 17/9/2024' }],
    ]);
    expect(warnings).toEqual([]);
    expect(sut.markdown).toContain('1. 100% trẻ em');
  });

  it.each([
    ['UNSUPPORTED_FORMAT', Buffer.from('%PDF-1.7 not a docx')],
    ['UNSUPPORTED_FORMAT', Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4])],
    ['EMPTY_DOCUMENT', Buffer.alloc(0)],
  ])('%s for a bad buffer', async (code, buffer) => {
    await expect(parseDocx(buffer, directory)).rejects.toMatchObject({ code });
    await expect(parseDocx(buffer, directory)).rejects.toBeInstanceOf(PlanParseError);
  });

  it('TOO_LARGE before unpacking', async () => {
    await expect(parseDocx(await samplePlanDocx(), directory, { maxBytes: 100 })).rejects.toMatchObject({ code: 'TOO_LARGE' });
  });
});

describe('htmlToMarkdown', () => {
  it('renumbers ordered lists, keeps bold, headings, tables and footnote markers', () => {
    const sut = htmlToMarkdown(
      '<h2>I. MỤC TIÊU</h2><ol><li>Một<sup>1</sup></li><li>Hai &amp; ba</li></ol><p><strong>2. Đơn vị:</strong> làm</p>' +
        '<table><tr><td><p>Nội dung</p></td><td><p>Đơn vị chủ trì</p></td></tr><tr><td><p>Việc</p></td><td><p>Phòng Y tế</p></td></tr></table>',
    );
    expect(sut).toBe(
      '## I. MỤC TIÊU\n\n1. Một<sup>1</sup>\n\n2. Hai & ba\n\n**2. Đơn vị:** làm\n\n| Nội dung | Đơn vị chủ trì |\n| --- | --- |\n| Việc | Phòng Y tế |\n',
    );
  });
});
