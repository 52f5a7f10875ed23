import { cleanPastedLines } from './cleanup';
import { parsePlan } from './parse-plan';
import { vanQuanDirectory } from './test-support';

/**
 * Text as a PDF's text layer gives it (no bold, one line per printed line of a centred title), from
 * the bench misses of issue 12: a title wrapped inside a place name, the sub-headings of 'Mục đích,
 * yêu cầu', and the closing sentence glued to the last paragraph.
 */
const directory = vanQuanDirectory();
const text = (t: string) => parsePlan({ text: t, format: 'text' }, directory);

const HEADER = '| ỦY BAN NHÂN DÂN | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |\n| HUYỆN VĂN QUAN | Độc lập - Tự do - Hạnh phúc |\n| Số: 45/KH-UBND | Văn Quan, ngày 12 tháng 3 năm 2024 |';
const PREAMBLE = 'Căn cứ Quyết định số 749/QĐ-TTg ngày 03/6/2020 của Thủ tướng Chính phủ;';
const BODY = 'I. MỤC ĐÍCH, YÊU CẦU\n1. Mục đích\n- Bảo đảm an toàn thông tin.\n2. Yêu cầu\n- Tiết kiệm, hiệu quả.\nII. TỔ CHỨC THỰC HIỆN\n1. Phòng Tư pháp\n- Tuyên truyền pháp luật về chuyển đổi số.';

describe('a title a PDF wrapped onto a second line', () => {
  it.each([
    ['inside a place name', 'Thực hiện chuyển đổi số năm 2024 trên địa bàn huyện Văn\nQuan', 'Thực hiện chuyển đổi số năm 2024 trên địa bàn huyện Văn Quan'],
    ['after a level word', 'Tổ chức Tháng hành động vì trẻ em năm 2024 trên địa bàn tỉnh\nLạng Sơn', 'Tổ chức Tháng hành động vì trẻ em năm 2024 trên địa bàn tỉnh Lạng Sơn'],
    ['after "cho"', 'Tuyên truyền, phổ biến pháp luật cho\nNhân dân trên địa bàn huyện năm 2024', 'Tuyên truyền, phổ biến pháp luật cho Nhân dân trên địa bàn huyện năm 2024'],
    ['after "giai đoạn"', 'Triển khai công tác phòng, chống bạo lực gia đình giai đoạn\n2021 - 2025', 'Triển khai công tác phòng, chống bạo lực gia đình giai đoạn 2021 - 2025'],
    ['in lower case (as before)', 'Rà soát hộ nghèo,\nhộ cận nghèo năm 2024', 'Rà soát hộ nghèo, hộ cận nghèo năm 2024'],
  ])('%s', (_case, title, expected) => {
    const { plan } = text(`${HEADER}\nKẾ HOẠCH\n${title}\n${PREAMBLE}\n${BODY}`);
    expect(plan.metadata.title).toBe(expected);
    expect(plan.metadata.legalBasis.map((b) => b.documentNumber)).toEqual(['749/QĐ-TTg']);
  });

  it.each([
    ['the preamble', PREAMBLE],
    ['the issuing sentence', 'Ủy ban nhân dân huyện Văn Quan ban hành Kế hoạch như sau'],
    ['a sentence of the body', 'Năm 2023, công tác chuyển đổi số đạt nhiều kết quả.'],
  ])('stops before %s, even right after a capitalised word', (_case, next) => {
    const { plan } = text(`${HEADER}\nKẾ HOẠCH\nThực hiện chuyển đổi số năm 2024 trên địa bàn huyện Văn Quan\n${next}\n${BODY}`);
    expect(plan.metadata.title).toBe('Thực hiện chuyển đổi số năm 2024 trên địa bàn huyện Văn Quan');
  });

  it('stops at a line that ends a sentence, and after a title ending in a number', () => {
    const { plan } = text(`${HEADER}\nKẾ HOẠCH\nPhòng, chống thiên tai năm 2024\nNhân dân các xã chủ động phòng tránh.\n${BODY}`);
    expect(plan.metadata.title).toBe('Phòng, chống thiên tai năm 2024');
  });
});

describe('"1. Mục đích" / "2. Yêu cầu" without bold', () => {
  it('are the sub-headings of the purpose section, as in Markdown', () => {
    const { plan, warnings } = text(`${HEADER}\nKẾ HOẠCH\nThực hiện chuyển đổi số năm 2024\n${PREAMBLE}\n${BODY}`);
    expect(plan.purposes.map((p) => [p.key, p.text])).toEqual([['I.1.1', 'Bảo đảm an toàn thông tin.']]);
    expect(plan.requirements.map((p) => [p.key, p.text])).toEqual([['I.2.1', 'Tiết kiệm, hiệu quả.']]);
    expect(warnings.filter((w) => w.code === 'UNMAPPED_PARAGRAPH')).toEqual([]);
  });

  it('a numbered purpose that is a sentence stays an item', () => {
    const { plan } = text(`${HEADER}\nKẾ HOẠCH\nThực hiện chuyển đổi số năm 2024\n${PREAMBLE}\nI. MỤC ĐÍCH, YÊU CẦU\n1. Mục đích là đưa hoạt động lên môi trường số.\nII. TỔ CHỨC THỰC HIỆN\n1. Phòng Tư pháp\n- Tuyên truyền pháp luật.`);
    expect(plan.purposes.map((p) => p.key)).toEqual(['I.1']);
  });
});

describe('the closing sentence glued to the paragraph above', () => {
  it('is split back after the sentence end, with the original line', () => {
    const lines = cleanPastedLines(['Báo cáo kết quả về UBND huyện (có biểu mẫu kèm theo). Trên đây là Kế hoạch của UBND huyện./.']);
    expect(lines).toEqual([
      { text: 'Báo cáo kết quả về UBND huyện (có biểu mẫu kèm theo).', start: 1, end: 1 },
      { text: 'Trên đây là Kế hoạch của UBND huyện./.', start: 1, end: 1 },
    ]);
    // Not inside a sentence.
    expect(cleanPastedLines(['Nội dung Trên đây là tên riêng']).map((l) => l.text)).toEqual(['Nội dung Trên đây là tên riêng']);
  });

  it('is the plan’s closing, not part of its last reporting rule', () => {
    const { plan } = text(
      `${HEADER}\nKẾ HOẠCH\nThực hiện chuyển đổi số năm 2024\n${PREAMBLE}\n${BODY}\nIII. CHẾ ĐỘ BÁO CÁO\nYêu cầu UBND các xã, thị trấn định kỳ hằng quý (trước ngày 15 của tháng cuối quý) báo cáo kết quả về UBND huyện. Trên đây là Kế hoạch của UBND huyện Văn Quan./.\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nLương Văn Hòa`,
    );
    expect(plan.closing).toBe('Trên đây là Kế hoạch của UBND huyện Văn Quan./.');
    expect(plan.reportingRules.map((r) => [r.period, r.text])).toEqual([['quarterly', 'Yêu cầu UBND các xã, thị trấn định kỳ hằng quý (trước ngày 15 của tháng cuối quý) báo cáo kết quả về UBND huyện.']]);
  });
});
