import { type PositionedWord, rebuildLines } from './layout';
import { fixOcrWords, fixRomanHeadings, splitGluedSyllables } from './ocr-fixes';
import { cropPgm, removeRules } from './rules';

const ocr = (text: string, confidence: number | null = 90) => ({ text, confidence });

/** Words of one printed line at y, 20 px tall, each word 10 px per letter with `gap` px between words. */
function line(text: string, y: number, x = 0, gap = 12): PositionedWord[] {
  let at = x;
  return text.split(' ').map((t) => {
    const word = { text: t, xMin: at, xMax: at + 10 * t.length, yMin: y, yMax: y + 20, confidence: 90 };
    at = word.xMax + gap;
    return word;
  });
}

describe('OCR corrections', () => {
  it('renumbers a bold Roman heading that lost a stroke, only in OCR text and only when the sequence says so', () => {
    const lines = [
      ocr('I. MỤC ĐÍCH, YÊU CẦU'),
      ocr('II. CHỦ ĐỀ, THỜI GIAN'),
      ocr('II. NỘI DUNG HOẠT ĐỘNG'),
      ocr('IV. KINH PHÍ'),
      ocr('IIH. KHÔNG ĐÚNG'),
    ];
    expect(fixRomanHeadings(lines).map((l) => l.text)).toEqual([
      'I. MỤC ĐÍCH, YÊU CẦU',
      'II. CHỦ ĐỀ, THỜI GIAN',
      'III. NỘI DUNG HOẠT ĐỘNG',
      'IV. KINH PHÍ',
      // V expected: "IIH" is not V with strokes lost, so it stays as read.
      'IIH. KHÔNG ĐÚNG',
    ]);
    // A text layer is what the document says; a sentence-case item is not a heading; a part restarts.
    const text = [ocr('I. A B C', null), ocr('I. A B C', null)];
    expect(fixRomanHeadings(text).map((l) => l.text)).toEqual(['I. A B C', 'I. A B C']);
    const items = [ocr('II. MỤC TIÊU'), ocr('II. Giám sát việc thực hiện')];
    expect(fixRomanHeadings(items)[1].text).toBe('II. Giám sát việc thực hiện');
    const parts = [ocr('I. MỤC TIÊU'), ocr('PHẦN II'), ocr('I. NHIỆM VỤ')];
    expect(fixRomanHeadings(parts)[2].text).toBe('I. NHIỆM VỤ');
  });

  it('restores the hook above in the phrases of a header, and leaves words that can mean something else', () => {
    const fixed = fixOcrWords([
      line('ÚY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHÚ NGHĨA VIỆT', 0),
      line('TINH LẠNG SƠN NAM', 30),
      line('Đề nghị Úy ban MTTQ tỉnh phát huy TINH THẦN', 60),
      line('hoàn thành trong Quý IIH/2024', 90),
    ]).map((l) => l.map((w) => w.text).join(' '));
    expect(fixed).toEqual([
      'ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT',
      'TỈNH LẠNG SƠN NAM',
      'Đề nghị Ủy ban MTTQ tỉnh phát huy TINH THẦN',
      'hoàn thành trong Quý III/2024',
    ]);
  });
});

describe('glued syllables', () => {
  it('splits words tesseract ran together at the syllable boundary Vietnamese spelling allows', () => {
    const split = (w: string) => splitGluedSyllables(w).join(' ');
    expect(
      ['cơsở', 'kếtquả', 'tậphuấn', 'SởGiáodục', 'tầngchủ', 'thaovà', 'nữtỉnh', 'kếhoạch', 'TRIỂNKHAI'].map(
        split,
      ),
    ).toEqual([
      'cơ sở',
      'kết quả',
      'tập huấn',
      'Sở Giáo dục',
      'tầng chủ',
      'thao và',
      'nữ tỉnh',
      'kế hoạch',
      'TRIỂN KHAI',
    ]);
    // One syllable each (qu, gi and glides included), no diacritic, or not only letters: left as read.
    for (const w of [
      'nghiệp',
      'khuyến',
      'quốc',
      'giữa',
      'Nguyễn',
      'thuyết',
      'Viettel',
      'Internet',
      'KH-UBND',
      '98/KH',
    ])
      expect(splitGluedSyllables(w)).toEqual([w]);
  });

  it('gives each syllable its share of the box and keeps punctuation with it', () => {
    const [fixed] = fixOcrWords([
      [{ text: 'cơsở,', xMin: 100, xMax: 150, yMin: 0, yMax: 20, confidence: 80 }],
    ]);
    expect(fixed.map((w) => [w.text, w.xMin, w.xMax])).toEqual([
      ['cơ', 100, 118],
      ['sở,', 122, 150],
    ]);
  });
});

describe('table rules on a scanned page', () => {
  it('whitens borders, keeps letters, and reports where the column and row borders are', () => {
    const width = 400;
    const height = 200;
    const header = Buffer.from(`P5\n${width} ${height}\n255\n`);
    const pixels = Buffer.alloc(width * height, 240);
    for (let y = 0; y < height; y += 1) pixels[y * width + 150] = 20; // column border
    pixels.fill(20, 120 * width, 121 * width); // row border
    for (let y = 40; y < 60; y += 1) pixels.fill(20, y * width + 60, y * width + 64); // a letter's stem
    const image = Buffer.concat([header, pixels]);
    const rules = removeRules(image, { minRun: 60 });
    const at = (x: number, y: number) => image[header.length + y * width + x];
    expect([at(150, 10), at(150, 190), at(10, 120), at(300, 120)]).toEqual([255, 255, 255, 255]);
    expect(at(61, 50)).toBe(20);
    expect(rules.vertical).toHaveLength(1);
    expect(rules.vertical[0].xMin).toBe(150);
    expect(rules.horizontal.map((r) => r.y)).toEqual([120]);
  });

  it('stays linear on a page of stripes and hands no borders on from it', () => {
    const size = 2000;
    const pixels = Buffer.alloc(size * size, 240);
    for (let y = 0; y < size; y += 1) for (let x = 0; x < size; x += 4) pixels[y * size + x] = 10;
    const image = Buffer.concat([Buffer.from(`P5\n${size} ${size}\n255\n`), pixels]);
    const started = Date.now();
    const rules = removeRules(image);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(rules).toEqual({ vertical: [], horizontal: [] });
  });

  it('cuts a line out of a page (clamped at the edges) for a second reading', () => {
    const pixels = Buffer.alloc(10 * 4);
    pixels.forEach((_, i) => (pixels[i] = i));
    const page = Buffer.concat([Buffer.from('P5\n10 4\n255\n'), pixels]);
    const crop = cropPgm(page, 8, 2, 5, 5);
    expect(crop?.subarray(0, 11).toString()).toBe('P5\n2 2\n255\n');
    expect([...(crop?.subarray(11) ?? [])]).toEqual([28, 29, 38, 39]);
    expect(cropPgm(Buffer.from('not a pgm'), 0, 0, 1, 1)).toBeNull();
  });

  it('splits cells at a column border however narrow the padding, and starts rows at row borders', () => {
    // Two columns 4 px apart (less than a space would need to be a column gap) with a border between them.
    const words = (text: string, right: string, y: number) => [
      ...line(text, y, 0, 4),
      ...line(right, y, 204, 4),
    ];
    const page = {
      width: 400,
      height: 400,
      lines: [
        words('1 Rà soát điểm', 'UBND huyện', 40),
        words('nguy cơ đuối nước', 'Văn Quan', 64),
        words('2 Tổ chức lớp', 'Sở Giáo dục', 110),
      ].map((l) => [...l, ...line('x y', l[0].yMin, 330, 4)]),
      rules: {
        vertical: [
          { xMin: 199, xMax: 201, yMin: 30, yMax: 140 },
          { xMin: 319, xMax: 321, yMin: 30, yMax: 140 },
        ],
        horizontal: [{ xMin: 0, xMax: 400, y: 100 }],
      },
    };
    const texts = rebuildLines([page]).map((l) => l.text);
    expect(texts).toEqual([
      '| 1 Rà soát điểm nguy cơ đuối nước | UBND huyện Văn Quan | x y x y |',
      '| 2 Tổ chức lớp | Sở Giáo dục | x y |',
    ]);
  });
});
