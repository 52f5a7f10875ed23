import { formatPlanReport } from './format';
import { parsePlan } from './parse-plan';
import { SAMPLE_PLAN, fixture, vanQuanDirectory } from './test-support';

describe('formatPlanReport', () => {
  const { plan, warnings } = parsePlan({ text: fixture(SAMPLE_PLAN), format: 'markdown' }, vanQuanDirectory());

  it('lists sections, indicators, duties with role, deadline kind and recurrence, rules and warnings', () => {
    const sut = formatPlanReport(plan, warnings);
    expect(sut).toContain('Người ký: Triệu Đức Dũng (KT. CHỦ TỊCH PHÓ CHỦ TỊCH)');
    expect(sut).toContain('↳ ratio 15/17 xã: xã, thị trấn đạt tiêu chuẩn xã, thị trấn phù hợp với trẻ em · gốc 15/17 (2022)');
    expect(sut).toMatch(/V\.1\.3\s+chủ trì\s+2024-05-31 \(gợi ý: Dịp nghỉ hè: trước 31\/5\)\s+một lần/);
    expect(sut).toMatch(/V\.1\.6\s+chủ trì\s+theo kỳ\s+hàng tháng \+ hàng quý/);
    expect(sut).toContain('VI.2 hàng năm:');
    expect(sut).toContain('[MISSING_NUMBER] văn bản');
  });

  it('emits the plan and warnings as JSON on request', () => {
    expect(JSON.parse(formatPlanReport(plan, warnings, { json: true }))).toEqual(JSON.parse(JSON.stringify({ plan, warnings })));
  });
});
