import { inflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import mammoth from 'mammoth';
import {
  buildConsolidatedCsv,
  buildConsolidatedWorkbook,
  buildSummaryReport,
  buildUrgingLetter,
  csvField,
  placeAndDate,
  SHEET_NAMES,
  type ConsolidatedData,
  type Issuer,
  type LateRow,
  type Signer,
} from './index';

const issuer: Issuer = { name: 'UBND huyện Văn Quan', textName: 'Ủy ban nhân dân huyện Văn Quan', place: 'Văn Quan', numberSuffix: 'UBND-LĐTBXH' };
const signer: Signer = { authority: 'KT. CHỦ TỊCH', title: 'PHÓ CHỦ TỊCH', name: 'Triệu Đức Dũng' };
const plan = { number: '45/KH-UBND', title: 'triển khai thực hiện công tác trẻ em năm 2024 trên địa bàn huyện Văn Quan', issuedOn: new Date('2024-04-01T03:00:00Z'), issuer: 'UBND huyện' };
const DEADLINE = new Date('2024-05-09T16:59:59Z');

const late: LateRow[] = [
  { unitCode: 'XA_TAN_DOAN', unitName: 'UBND xã Tân Đoàn', responsibilityKey: 'V.3.4', responsibility: 'Rà soát các khu vực thường xuyên xảy ra tai nạn đuối nước', deadline: DEADLINE, daysLate: 7, escalationLevel: 5, escalationLabel: 'Báo lãnh đạo phụ trách' },
  { unitCode: 'XA_HUU_LE', unitName: 'UBND xã Hữu Lễ', responsibilityKey: 'VI.1', responsibility: 'Báo cáo 6 tháng, "có biểu mẫu", kèm số liệu', deadline: DEADLINE, daysLate: 3, escalationLevel: 4 },
  { unitCode: 'XA_TAN_DOAN', unitName: 'UBND xã Tân Đoàn', responsibilityKey: 'V.3.2', responsibility: 'Rà soát kiện toàn Ban Bảo vệ trẻ em cấp xã', deadline: new Date('2024-05-12T16:59:59Z'), daysLate: 4, escalationLevel: 4 },
];

const data: ConsolidatedData = {
  plan,
  asOf: new Date('2024-05-16T02:00:00Z'),
  units: [
    { unitCode: 'XA_TAN_DOAN', unitName: 'UBND xã Tân Đoàn', counts: { doneOnTime: 3, doneLate: 1, openOnTime: 0, openOverdue: 2, dueSoon: 1, noDeadline: 1 } },
    { unitCode: 'XA_HUU_LE', unitName: 'UBND xã Hữu Lễ', counts: { doneOnTime: 5, doneLate: 0, openOnTime: 1, openOverdue: 1, dueSoon: 0, noDeadline: 1 } },
  ],
  responsibilities: [
    { key: 'V.3.4', text: 'Rà soát các khu vực thường xuyên xảy ra tai nạn đuối nước, biển cảnh báo', leadUnit: 'UBND các xã, thị trấn', counts: { doneOnTime: 15, doneLate: 0, openOnTime: 0, openOverdue: 1, dueSoon: 0, noDeadline: 1 } },
  ],
  indicators: [
    { code: 'II.9', text: 'Tỷ lệ xã, thị trấn đạt tiêu chuẩn phù hợp với trẻ em', target: '15/17', reported: '16/17', met: true, reportingUnits: 17 },
    { code: 'II.7', text: 'Không có trẻ em lao động trái quy định', target: '0', reported: null, met: null },
  ],
  late,
};

/** Reads one deflated entry of a zip (a .docx) from its local header, so the test needs no zip library. */
function zipEntry(zip: Buffer, name: string): string {
  for (let at = zip.indexOf('PK\u0003\u0004'); at >= 0; at = zip.indexOf('PK\u0003\u0004', at + 4)) {
    const method = zip.readUInt16LE(at + 8);
    const compressed = zip.readUInt32LE(at + 18);
    const nameLength = zip.readUInt16LE(at + 26);
    const extraLength = zip.readUInt16LE(at + 28);
    if (zip.toString('utf8', at + 30, at + 30 + nameLength) !== name) continue;
    const start = at + 30 + nameLength + extraLength;
    const data = zip.subarray(start, start + compressed);
    return (method === 8 ? inflateRawSync(data) : data).toString('utf8');
  }
  throw new Error(`${name} not found`);
}

async function docxText(buffer: Buffer): Promise<string> {
  return (await mammoth.extractRawText({ buffer })).value;
}

/** A strict RFC 4180 reader, so the test does not trust the writer's own assumptions. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const endField = (): void => {
    row.push(field);
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') endField();
    else if (ch === '\r' && text[i + 1] === '\n') {
      endField();
      rows.push(row);
      row = [];
      i++;
    } else field += ch;
  }
  if (field !== '' || row.length > 0) {
    endField();
    rows.push(row);
  }
  return rows;
}

describe('buildUrgingLetter', () => {
  it('produces a .docx with the national motto, number placeholder, every late unit and its days late', async () => {
    const sut = await buildUrgingLetter({ issuer, plan, asOf: data.asOf, late, via: 'Phòng Lao động, Thương binh, Xã hội - Dân tộc', replyBy: new Date('2024-05-20T10:00:00Z'), signer, distribution: ['CT, các PCT UBND huyện', 'Phòng LĐTBXH-DT'] });
    expect(sut.subarray(0, 2).toString()).toBe('PK');
    const text = await docxText(sut);

    expect(text).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(text).toContain('Độc lập - Tự do - Hạnh phúc');
    expect(text).toContain('UBND HUYỆN VĂN QUAN');
    expect(text).toContain('Số: …/UBND-LĐTBXH');
    expect(text).toContain('Văn Quan, ngày … tháng … năm …');
    expect(text).toContain('V/v đôn đốc thực hiện Kế hoạch số 45/KH-UBND');
    // The unit with the worst delay is addressed first.
    expect(text).toMatch(/Kính gửi:\s*- UBND xã Tân Đoàn;\s*- UBND xã Hữu Lễ\./);
    expect(text).toContain('tính đến ngày 16/05/2024');
    expect(text).toContain('(3 nhiệm vụ của 2 đơn vị)');
    for (const row of late) {
      expect(text).toContain(row.responsibility);
      expect(text).toContain(`${row.daysLate} ngày`);
    }
    expect(text).toContain('5 - Báo lãnh đạo phụ trách');
    expect(text).toContain('trước ngày 20/05/2024');
    expect(text).toContain('Nơi nhận:');
    expect(text).toMatch(/- Như trên;\s*- CT, các PCT UBND huyện;\s*- Phòng LĐTBXH-DT;\s*- Lưu: VT\./);
    expect(text).toMatch(/KT\. CHỦ TỊCH\s*PHÓ CHỦ TỊCH[\s\S]*Triệu Đức Dũng/);
  });

  it('fills the number and date when issued, with NĐ 30 leading zeros', async () => {
    const text = await docxText(await buildUrgingLetter({ issuer: { ...issuer, number: '512', date: new Date('2024-02-05T02:00:00Z') }, plan, asOf: data.asOf, late: late.slice(0, 1), signer }));
    expect(text).toContain('Số: 512/UBND-LĐTBXH');
    expect(text).toContain('Văn Quan, ngày 05 tháng 02 năm 2024');
    expect(text).toContain('Kính gửi: UBND xã Tân Đoàn.');
  });

  it('refuses to build a letter with nobody late', async () => {
    await expect(buildUrgingLetter({ issuer, plan, asOf: data.asOf, late: [], signer })).rejects.toThrow();
  });

  it('sets A4, the decree margins and Times New Roman', async () => {
    const xml = zipEntry(await buildUrgingLetter({ issuer, plan, asOf: data.asOf, late, signer }), 'word/document.xml');
    expect(xml).toContain('<w:pgSz w:w="11906" w:h="16838"');
    // 20 mm top and bottom, 15 mm right, 30 mm left.
    expect(xml).toMatch(/<w:pgMar w:top="1134" w:right="850" w:bottom="1134" w:left="1701"/);
    expect(xml).toContain('Times New Roman');
  });
});

describe('placeAndDate', () => {
  it('pads days below 10 and months 1 and 2 only', () => {
    expect(placeAndDate('Văn Quan', new Date('2024-05-09T02:00:00Z'))).toBe('Văn Quan, ngày 09 tháng 5 năm 2024');
    expect(placeAndDate('Văn Quan', new Date('2024-11-30T18:00:00Z'))).toBe('Văn Quan, ngày 01 tháng 12 năm 2024');
  });
});

describe('buildSummaryReport', () => {
  it('reports totals in the official vocabulary, per unit, indicators and late units', async () => {
    const text = await docxText(
      await buildSummaryReport({ issuer: { ...issuer, numberSuffix: 'BC-UBND' }, data, title: 'Kết quả thực hiện công tác trẻ em 6 tháng đầu năm 2024', recipient: 'Sở Lao động - Thương binh và Xã hội tỉnh Lạng Sơn', signer }),
    );
    expect(text).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(text).toContain('Số: …/BC-UBND');
    expect(text).toContain('BÁO CÁO');
    expect(text).toContain('Tổng số nhiệm vụ đã giao: 16 lượt');
    expect(text).toContain('- Hoàn thành đúng hạn: 8 (50%);');
    expect(text).toContain('- Hoàn thành quá hạn: 1 (6,3%);');
    expect(text).toContain('- Chưa hoàn thành – trong hạn: 1 (6,3%);');
    expect(text).toContain('- Chưa hoàn thành – quá hạn: 3 (18,8%);');
    expect(text).toContain('- Sắp đến hạn: 1 (6,3%);');
    expect(text).toContain('- Chưa có hạn: 2 (12,5%);');
    expect(text).toContain('Tổng cộng');
    expect(text).toContain('II.9. Tỷ lệ xã, thị trấn đạt tiêu chuẩn phù hợp với trẻ em');
    expect(text).toMatch(/15\/17\s*16\/17\s*Đạt/);
    expect(text).toMatch(/Chưa báo cáo\s*Chưa đánh giá/);
    expect(text).toContain('còn 2 cơ quan, đơn vị với 3 nhiệm vụ chưa hoàn thành quá hạn');
    expect(text).toMatch(/- Sở Lao động - Thương binh và Xã hội tỉnh Lạng Sơn \(b\/c\);\s*- Lưu: VT\./);
  });
});

describe('buildConsolidatedWorkbook', () => {
  it('writes the five sheets with their rows', async () => {
    const wb = new ExcelJS.Workbook();
    const xlsx = await buildConsolidatedWorkbook(data);
    await wb.xlsx.load(xlsx.buffer.slice(xlsx.byteOffset, xlsx.byteOffset + xlsx.byteLength) as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(Object.values(SHEET_NAMES));

    const summary = wb.getWorksheet(SHEET_NAMES.summary);
    expect(summary?.getRow(5).values).toEqual([undefined, 'Tình trạng', 'Số lượng', 'Tỷ lệ']);
    expect(summary?.getRow(6).getCell(1).value).toBe('Hoàn thành đúng hạn');
    expect(summary?.getRow(6).getCell(2).value).toBe(8);
    expect(summary?.getRow(12).getCell(2).value).toBe(16);
    expect(summary?.getCell('B2').value).toEqual(new Date('2024-05-16T00:00:00Z'));

    const units = wb.getWorksheet(SHEET_NAMES.units);
    expect(units?.rowCount).toBe(3);
    expect(units?.getRow(2).values).toEqual([undefined, 'XA_TAN_DOAN', 'UBND xã Tân Đoàn', 8, 3, 1, 0, 2, 1, 1, 3 / 8]);

    expect(wb.getWorksheet(SHEET_NAMES.responsibilities)?.getRow(2).getCell(4).value).toBe(17);
    expect(wb.getWorksheet(SHEET_NAMES.indicators)?.getRow(3).values).toEqual([undefined, 'II.7', 'Không có trẻ em lao động trái quy định', '0', '', undefined, 'Chưa đánh giá']);

    const lateSheet = wb.getWorksheet(SHEET_NAMES.late);
    expect(lateSheet?.rowCount).toBe(4);
    // Worst delay first; the deadline is the Vietnam calendar date.
    expect(lateSheet?.getRow(2).getCell(2).value).toBe('UBND xã Tân Đoàn');
    expect(lateSheet?.getRow(2).getCell(5).value).toEqual(new Date('2024-05-09T00:00:00Z'));
    expect(lateSheet?.getRow(2).getCell(6).value).toBe(7);
    expect(lateSheet?.getRow(4).getCell(6).value).toBe(3);
  });
});

describe('buildConsolidatedCsv', () => {
  it('starts with a UTF-8 BOM and parses back to the same rows', () => {
    const sut = buildConsolidatedCsv(data);
    expect([...sut.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parseCsv(sut.toString('utf8').slice(1));
    expect(rows[0]).toEqual(['Mã đơn vị', 'Cơ quan, đơn vị', 'Tổng số', 'Hoàn thành đúng hạn', 'Hoàn thành quá hạn', 'Chưa hoàn thành – trong hạn', 'Chưa hoàn thành – quá hạn', 'Sắp đến hạn', 'Chưa có hạn']);
    expect(rows.slice(1)).toEqual([
      ['XA_TAN_DOAN', 'UBND xã Tân Đoàn', '8', '3', '1', '0', '2', '1', '1'],
      ['XA_HUU_LE', 'UBND xã Hữu Lễ', '8', '5', '0', '1', '1', '0', '1'],
    ]);
  });

  it('quotes commas, quotes and line breaks (RFC 4180) in the late table', () => {
    const rows = parseCsv(buildConsolidatedCsv(data, 'late').toString('utf8').slice(1));
    expect(rows).toHaveLength(4);
    expect(rows[2]).toEqual(['XA_HUU_LE', 'UBND xã Hữu Lễ', 'VI.1', 'Báo cáo 6 tháng, "có biểu mẫu", kèm số liệu', '09/05/2024', '3', '4', '']);
  });

  it('defuses formula-like cells, a leading dash included (csv.spec.ts has every prefix)', () => {
    expect(csvField('- Rà soát')).toBe("'- Rà soát");
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField('a\nb')).toBe('"a\nb"');
  });
});
