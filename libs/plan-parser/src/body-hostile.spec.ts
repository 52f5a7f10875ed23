import { readDutyTable } from './annex';
import { inlineAssignment } from './assignments';
import { labelNumberedParagraphs, readNumbering } from './docx-numbering';
import { parsePlan } from './parse-plan';
import { periodClauses } from './reporting';
import { vanQuanDirectory } from './test-support';
import { splitUnitNames, unitRefsIn, unitsThenDuty } from './units';

/**
 * The body readers on long hostile input: each must stay linear. Sizes are chosen so that a
 * quadratic reader would take minutes; the bound leaves room for a busy 2-core machine.
 */
const directory = vanQuanDirectory();
const BOUND_MS = 4000;

function timed(run: () => unknown): number {
  const started = Date.now();
  run();
  return Date.now() - started;
}

describe('body readers stay linear on hostile input', () => {
  it.each([
    ['a unit list of 20,000 names', () => unitRefsIn('Sở Xây dựng, '.repeat(20_000), directory)],
    ['a unit list of 50,000 commas without names', () => splitUnitNames(`Sở ${'a, '.repeat(50_000)}`, directory)],
    ['a sentence of 100,000 spaces after a unit', () => unitsThenDuty(`Phòng Tư pháp ${' '.repeat(100_000)}x`, directory)],
    ['10,000 partners after Giao', () => inlineAssignment(`Giao Phòng Tư pháp chủ trì, phối hợp với ${'Phòng Nội vụ, '.repeat(10_000)}`)],
    ['10,000 labels', () => inlineAssignment('Chủ trì: Phòng Y tế; Thời gian: '.repeat(10_000))],
    ['5,000 reporting periods', () => periodClauses('báo cáo hằng tháng trước ngày 20, '.repeat(5_000), 2024)],
    ['a period word followed by 100,000 spaces', () => periodClauses(`định kỳ hằng quý${' '.repeat(100_000)}trước ngày`, 2024)],
    [
      'a duty table of 20,000 rows continued without STT',
      () => readDutyTable([['STT', 'Nội dung', 'Cơ quan chủ trì'], ['1', 'Việc', 'Phòng Y tế'], ...Array.from({ length: 20_000 }, () => ['', 'tiếp', ''])]),
    ],
    [
      'a document.xml of 50,000 unclosed numbered paragraphs',
      () =>
        labelNumberedParagraphs(
          '<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/>'.repeat(50_000),
          readNumbering('<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:numFmt w:val="upperRoman"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num>'),
        ),
    ],
    [
      'a document.xml of 20,000 numbered paragraphs',
      () =>
        labelNumberedParagraphs(
          '<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>x</w:t></w:r></w:p>'.repeat(20_000),
          readNumbering('<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num>'),
        ),
    ],
  ])('%s', (_name, run) => {
    expect(timed(run)).toBeLessThan(BOUND_MS);
  });

  it('labels every one of many numbered paragraphs, in order', () => {
    const xml = labelNumberedParagraphs(
      '<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>x</w:t></w:r></w:p>'.repeat(3000),
      readNumbering('<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:numFmt w:val="upperRoman"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num>'),
    );
    expect(xml).toContain('<w:t xml:space="preserve">MMM. </w:t>');
  });

  it('parses a plan body of 3,000 unit bullets and a 3,000-row annex in bounded time, every duty kept', () => {
    const bullets = Array.from({ length: 3000 }, (_, i) => `- Phòng Tư pháp: việc thứ ${i + 1}, hoàn thành trước ngày 30/9/2024.`).join('\n\n');
    const rows = Array.from({ length: 3000 }, (_, i) => `| ${i + 1} | Việc ${i + 1} | Phòng Y tế, Huyện đoàn | Phòng Nội vụ | Quý III/2024 |`).join('\n');
    const text =
      '**ỦY BAN NHÂN DÂN**\n**HUYỆN VĂN QUAN**\n\nSố: 1/KH-UBND\n\nVăn Quan, ngày 02 tháng 7 năm 2024\n\n**KẾ HOẠCH**\n**Thử năm 2024**\n\n' +
      `**I. TỔ CHỨC THỰC HIỆN**\n\n${bullets}\n\nTrên đây là Kế hoạch./.\n\n**PHỤ LỤC**\n\n| STT | Nội dung | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian |\n|---|---|---|---|---|\n${rows}\n`;
    let count = 0;
    const ms = timed(() => {
      count = parsePlan({ text, format: 'markdown' }, directory).plan.responsibilities.length;
    });
    expect(count).toBe(3000 + 2 * 3000);
    expect(ms).toBeLessThan(30_000);
  });
});
