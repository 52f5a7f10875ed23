import { cleanPastedLines, joinBrokenLines } from './cleanup';
import { PlanParseError } from './errors';
import { levelOf, readHeader } from './header';
import { parsePlan } from './parse-plan';
import { vanQuanDirectory } from './test-support';

const directory = vanQuanDirectory();
const text = (t: string, options = {}) => parsePlan({ text: t, format: 'text' }, directory, options);
const codes = (t: string, options = {}) => text(t, options).warnings.map((w) => w.code);
const header = (...lines: string[]) => readHeader(lines.map((plain, index) => ({ plain, index })));

const BODY = 'I. MỤC ĐÍCH, YÊU CẦU\n1. Mục đích\n- Bảo đảm an toàn.';

describe('readHeader: layouts sites and PDF viewers produce', () => {
  it('one item per line, with the level on its own line', () => {
    expect(header('UỶ BAN NHÂN DÂN', '', 'XÃ DÂN  LỰC', 'Số: 12/KH-UBND', 'Dân Lực, ngày 18 tháng 02 năm 2021')).toMatchObject({
      issuer: 'UBND xã Dân Lực',
      number: '12/KH-UBND',
      issueDate: '2021-02-18',
      place: 'Dân Lực',
      found: true,
      leftovers: [],
    });
  });

  it('a two-column table flattened into "|" rows: columns de-interleaved, number spaces removed', () => {
    expect(
      header('ỦY BAN NHÂN DÂN | CỘNG HÕA XÃ HỘI CHỦ NGHĨA VIỆT NAM |', 'XÃ XUÂN TÍN | Độc lập - Tự do - Hạnh phúc |', 'Số: 36 /KH - UBND |', 'Xuân Tín, ngày 07 tháng 5 năm 2025 |'),
    ).toMatchObject({ issuer: 'UBND xã Xuân Tín', number: '36/KH-UBND', issueDate: '2025-05-07', place: 'Xuân Tín', leftovers: [] });
  });

  it('cells between lone "|" lines, with words and the date broken over lines', () => {
    const lines = ['ỦY', 'BAN NHÂN DÂN', 'TỈNH TIỀN GIANG', '-------', '|', 'CỘNG', 'HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'Độc lập - Tự do - Hạnh phúc', '|', 'Số:', '383/KH-UBND', '|', 'Tiền', 'Giang, ngày 07 tháng 12 năm 2022', '|'];
    expect(header(...lines)).toMatchObject({ issuer: 'UBND tỉnh Tiền Giang', number: '383/KH-UBND', issueDate: '2022-12-07', place: 'Tiền Giang', leftovers: [] });
  });

  it('both columns interleaved on one line: the superior body and the motto\'s stray "NAM" are not the issuer', () => {
    const line = 'THÀNH PHỐ HỒ CHÍ MINH CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT ỦY BAN NHÂN DÂN HUYỆN NAM CẦN GIỜ Độc lập – Tự do – Hạnh phúc ----- ------- Số: 25/KH-UBND Cần Giờ, ngày 26 tháng 3 năm 2008';
    expect(header(line)).toMatchObject({ issuer: 'UBND huyện Cần Giờ', number: '25/KH-UBND', issueDate: '2008-03-26', place: 'Cần Giờ', leftovers: [] });
  });

  it('blank number and blank day: no number, no date, the place kept', () => {
    expect(header('ỦY BAN NHÂN DÂN', 'XÃ HÒA PHONG', '', 'Số:       /KH-UBND', 'Hòa Phong, ngày      tháng 01 năm 2017')).toMatchObject({
      number: null,
      numberBlank: true,
      issueDate: null,
      dayBlank: true,
      place: 'Hòa Phong',
    });
  });

  it('a first letter the site dropped; a header without the place line gives "UBND"', () => {
    expect(header('Y BAN NHÂN DÂN', 'TỈNH KON TUM').issuer).toBe('UBND tỉnh Kon Tum');
    expect(header('ỦY BAN NHÂN DÂN | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |', 'Số: 4851/KH-UBND | Bình Dương, ngày 11 tháng 10 năm 2018 |')).toMatchObject({
      issuer: 'UBND',
      number: '4851/KH-UBND',
      place: 'Bình Dương',
    });
  });

  it('a Markdown table header with its separator row', () => {
    const rows = ['| ỦY BAN NHÂN DÂN | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |', '| --- | --- |', '| TỈNH LẠNG SƠN | Độc lập - Tự do - Hạnh phúc |', '| Số: 98/KH-UBND | Lạng Sơn, ngày 22 tháng 4 năm 2024 |'];
    expect(header(...rows)).toMatchObject({ issuer: 'UBND tỉnh Lạng Sơn', number: '98/KH-UBND', issueDate: '2024-04-22', place: 'Lạng Sơn', leftovers: [] });
  });

  it('a department under its province: the department issues', () => {
    expect(header('UBND TỈNH LẠNG SƠN', 'SỞ Y TẾ', 'Số: 9/KH-SYT', 'Lạng Sơn, ngày 02 tháng 3 năm 2024')).toMatchObject({ issuer: 'SỞ Y TẾ', number: '9/KH-SYT', leftovers: [] });
    expect(levelOf('SỞ Y TẾ')).toBe('department');
  });

  it('a PDF header as table rows and "KẾ HOẠCH" with its title on one line', () => {
    const t = [
      '| ỦY BAN NHÂN DÂN | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |',
      '| HUYỆN VĂN QUAN | Độc lập - Tự do - Hạnh phúc |',
      '| Số: 125/KH-UBND | Văn Quan, ngày 15 tháng 4 năm 2024 |',
      'KẾ HOẠCH Phòng, chống đuối nước trẻ em năm 2024',
      BODY,
    ].join('\n');
    expect(parsePlan({ text: t, format: 'text' }, directory).plan.metadata).toMatchObject({
      issuer: 'UBND huyện Văn Quan',
      issuerUnitCode: 'VQ-UBND',
      number: '125/KH-UBND',
      issueDate: '2024-04-15',
      place: 'Văn Quan',
      title: 'Phòng, chống đuối nước trẻ em năm 2024',
    });
  });

  it('reports a site metadata block as lines it did not read', () => {
    const read = header('Số hiệu: 155/KH-UBND Loại văn bản: Văn bản khác', '', 'ỦY BAN NHÂN DÂN', 'TỈNH BẮC NINH', 'Số: 155/KH-UBND');
    expect(read.number).toBe('155/KH-UBND');
    expect(read.leftovers.map((l) => l.index)).toEqual([0]);
  });
});

describe('levelOf', () => {
  it.each([
    ['UBND huyện Cần Giờ', 'district'],
    ['UBND thành phố Hà Nội', 'province'],
    ['UBND thành phố Lạng Sơn', 'district'],
    ['UBND xã An Sơn', 'commune'],
    ['UBND thị trấn Văn Quan', 'commune'],
    ['Sở Y tế', 'department'],
    ['UBND', null],
  ])('%s → %s', (name, level) => {
    expect(levelOf(name)).toBe(level);
  });
});

describe('cleanup of pasted text', () => {
  it('drops page numbers and running headers, keeps the first copy, and remembers original lines', () => {
    const raw = ['Kế hoạch số 5/KH-UBND ngày 1/2/2024', 'a.', '2', 'Kế hoạch số 5/KH-UBND ngày 1/2/2024', 'b.', '- 3 -', 'Kế hoạch số 5/KH-UBND ngày 1/2/2024', 'Trang 4/9', 'c.'];
    const lines = cleanPastedLines(raw);
    expect(lines.map((l) => [l.text, l.start])).toEqual([
      ['Kế hoạch số 5/KH-UBND ngày 1/2/2024', 1],
      ['a.', 2],
      ['b.', 5],
      ['c.', 9],
    ]);
  });

  it('joins lines broken mid-sentence and wrapped headings, not list items', () => {
    const lines = cleanPastedLines(['I. MỤC ĐÍCH,', 'YÊU CẦU', '- Công tác phòng, chống thiên', 'tai phải được tiến hành chủ động.', 'Quyết định số', '957/QĐ-TTg ngày 06/7/2020.', '1. Mục đích']);
    expect(joinBrokenLines(lines, 0).map((l) => [l.text, l.start, l.end])).toEqual([
      ['I. MỤC ĐÍCH, YÊU CẦU', 1, 2],
      ['- Công tác phòng, chống thiên tai phải được tiến hành chủ động.', 3, 4],
      ['Quyết định số 957/QĐ-TTg ngày 06/7/2020.', 5, 6],
      ['1. Mục đích', 7, 7],
    ]);
  });

  it('warnings point at the lines the coordinator sees, after joins and dropped page numbers', () => {
    const t = ['ỦY BAN NHÂN DÂN', 'HUYỆN VĂN QUAN', 'Số: 5/KH-UBND', 'Văn Quan, ngày 02 tháng 4 năm 2024', 'KẾ HOẠCH', 'Thử nghiệm năm 2024', 'II. KHÁC', 'Một đoạn bị', 'ngắt dòng giữa câu.', '7', 'Đoạn sau trang.'].join('\n');
    const { plan, warnings } = text(t);
    expect(plan.sections.map((s) => [s.key, s.source.line])).toEqual([['II', 7]]);
    expect(warnings.filter((w) => w.code === 'UNMAPPED_PARAGRAPH').map((w) => [w.line, w.text])).toEqual([
      [8, 'Một đoạn bị ngắt dòng giữa câu.'],
      [11, 'Đoạn sau trang.'],
    ]);
  });
});

describe('titles and top-level sections', () => {
  it('a multi-line title in capitals; "V/v" dropped; a sentence-case title carried on in lower case', () => {
    expect(text(`KẾ HOẠCH\nPHÒNG, CHỐNG THIÊN TAI\nNĂM 2025\nCăn cứ Luật Phòng, chống thiên tai;\n${BODY}`).plan.metadata.title).toBe('PHÒNG, CHỐNG THIÊN TAI NĂM 2025');
    expect(text(`KẾ HOẠCH\nV/v tổ chức Tết Trung thu năm 2024\n\n${BODY}`).plan.metadata.title).toBe('tổ chức Tết Trung thu năm 2024');
    expect(text(`KẾ HOẠCH\n\nRà soát hộ nghèo,\n\nhộ cận nghèo năm 2021\n\nThực hiện Kế hoạch số 164/KH-UBND ngày 29/8/2021 của UBND tỉnh.\n${BODY}`).plan.metadata.title).toBe(
      'Rà soát hộ nghèo, hộ cận nghèo năm 2021',
    );
  });

  it('a Markdown heading "Kế hoạch <title>" is type and title together; a sentence "Kế hoạch này …" is not', () => {
    const md = (t: string) => parsePlan({ text: t, format: 'markdown' }, directory, { fallbackYear: 2024 });
    expect(md(`# Kế hoạch phòng, chống dịch năm 2024\n\n${BODY}`).plan.metadata.title).toBe('phòng, chống dịch năm 2024');
    expect(md(`Kế hoạch này thay thế kế hoạch cũ.\n\n${BODY}`).warnings.map((w) => w.code)).toContain('MISSING_TITLE');
  });

  it('a preamble right after KẾ HOẠCH is no title: MISSING_TITLE, placeholder kept', () => {
    const { plan, warnings } = text(`KẾ HOẠCH\nThực hiện Kế hoạch số 164/KH-UBND ngày 29/8/2021 của UBND tỉnh, UBND huyện xây dựng kế hoạch năm 2021.\n${BODY}`);
    expect(plan.metadata.title).toBe('Kế hoạch');
    expect(warnings.map((w) => w.code)).toContain('MISSING_TITLE');
    expect(plan.metadata.legalBasis.map((b) => b.documentNumber)).toEqual(['164/KH-UBND']);
  });

  it('"Phần thứ nhất" / "Phần II" with Roman sections inside, keyed by their part', () => {
    const t = 'KẾ HOẠCH\nThử năm 2024\nPhần thứ nhất\nKẾT QUẢ NĂM 2023\nI. TÌNH HÌNH CHUNG\nNăm qua tốt.\nPhần II\nNHIỆM VỤ NĂM 2024\nI. MỤC TIÊU\n1. Đạt 100% xã.\nII. NHIỆM VỤ\n1. Tuyên truyền.';
    expect(text(t).plan.sections.map((s) => [s.key, s.kind])).toEqual([
      ['Phần I', 'other'],
      ['Phần I.I', 'other'],
      ['Phần II', 'tasks'],
      ['Phần II.I', 'objectives'],
      ['Phần II.II', 'tasks'],
    ]);
  });

  it('letters "A ." and Arabic top level (1. with 1.1. inside), a misnumbered Roman item stays an item', () => {
    expect(text('KẾ HOẠCH\nThử năm 2024\nA . MỤC ĐÍCH, YÊU CẦU:\n1. Tuyên truyền.\nB. NHIỆM VỤ\n1. Làm.').plan.sections.map((s) => s.key)).toEqual(['A', 'B']);
    expect(text('KẾ HOẠCH\nTHỬ NĂM 2024\n1. Kỷ niệm ngày 3/2:\n1.1. Hình thức: mít tinh.\n2. Kỷ niệm ngày 30/4:\n2.1. Hình thức: báo công.').plan.sections.map((s) => s.key)).toEqual(['1', '2']);
    const misnumbered = 'KẾ HOẠCH\nThử năm 2018\nI. MỤC TIÊU CHUNG\nGiảm mắc bệnh.\nII. MỤC TIÊU CỤ THỂ\nI. Giám sát chặt chẽ, phát hiện sớm, đáp ứng nhanh các ổ dịch.';
    expect(text(misnumbered).plan.sections.map((s) => s.key)).toEqual(['I', 'II']);
  });
});

describe('never refuse a plan: a draft with warnings instead', () => {
  it('"KẾ HOẠCH" and a title only: a draft whose body is missing, with the last line named', () => {
    const { plan, warnings } = text('KẾ HOẠCH\nKhông có mục nào cả', { fallbackYear: 2024 });
    expect(plan.metadata.title).toBe('Không có mục nào cả');
    expect(warnings.find((w) => w.code === 'MISSING_BODY')).toMatchObject({ line: 2 });
  });

  it('a header without KẾ HOẠCH or title (the site dropped both)', () => {
    const t = 'ỦY BAN NHÂN DÂN | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |\nSố: 7822/KH-UBND | Bến Tre, ngày 26 tháng 11 năm 2021 |\nCăn cứ Quyết định số 1662/QĐ-TTg ngày 04/10/2021 của Thủ tướng Chính phủ;\n1. Mục đích\nQuản lý rừng.';
    expect(codes(t)).toEqual(expect.arrayContaining(['MISSING_TITLE', 'MISSING_BODY']));
    expect(text(t).plan.metadata).toMatchObject({ number: '7822/KH-UBND', issueDate: '2021-11-26', place: 'Bến Tre' });
  });

  it('no header at all but a plan\'s section: issuer unknown, still a draft', () => {
    // A portal post flattened onto one line: split back at its bullets.
    const t =
      'I. CĂN CỨ LẬP KẾ HOẠCH - Quyết định số 749/QĐ-TTg ngày 03/6/2020 của Thủ tướng Chính phủ về phê duyệt Chương trình chuyển đổi số quốc gia đến năm 2025, định hướng năm 2030; - Quyết định số 942/QĐ-TTg ngày 15/6/2021 của Thủ tướng Chính phủ về phê duyệt Chiến lược phát triển Chính phủ điện tử; - Kế hoạch số 194/KH-UBND ngày 02/3/2024 của UBND huyện về chuyển đổi số trên địa bàn huyện năm 2024.';
    const { plan, warnings } = text(t);
    expect(t.length).toBeGreaterThan(300);
    expect(plan.metadata.legalBasis.map((b) => b.documentNumber)).toEqual(['749/QĐ-TTg', '942/QĐ-TTg', '194/KH-UBND']);
    expect(warnings.map((w) => w.code)).toEqual(expect.arrayContaining(['MISSING_ISSUER', 'MISSING_TITLE', 'MISSING_BODY', 'MISSING_YEAR']));
    expect(plan.metadata.year).toBe(2024);
  });

  it('NOT_A_PLAN only without header, KẾ HOẠCH and plan sections, or for another document type', () => {
    for (const t of ['Chào anh, chiều nay họp lúc 3 giờ nhé.', 'BÁO CÁO\nI. MỤC TIÊU\n1. Đã đạt.', '# Ghi chú\n\n1. Mua sữa.']) {
      expect(() => text(t)).toThrow(PlanParseError);
    }
  });
});
