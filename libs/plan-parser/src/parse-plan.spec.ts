import fc from 'fast-check';
import { PlanSchema } from '../../domain/src/plan';
import { PlanParseError } from './errors';
import { parsePlan } from './parse-plan';
import { SAMPLE_PLAN, fixture, vanQuanDirectory } from './test-support';

const directory = vanQuanDirectory();
const group = (code: string, text: string) => ({ kind: 'group', code, text });
const unit = (code: string, text: string) => ({ kind: 'unit', code, text });
const LDTBXH = unit('VQ-LDTBXH', 'Phòng Lao động, Thương binh, Xã hội - Dân tộc');
const END_OF_YEAR = { date: '2024-12-31', kind: 'suggested', reason: 'Cuối năm kế hoạch' };
const SUMMER = { date: '2024-05-31', kind: 'suggested', reason: 'Dịp nghỉ hè: trước 31/5' };
const ONCE = { kinds: ['once'] };

function errorCode(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return error instanceof PlanParseError ? error.code : 'NOT_A_PLAN_PARSE_ERROR';
  }
  return undefined;
}

describe('parsePlan on the Văn Quan 2024 sample', () => {
  const sut = () => parsePlan({ text: fixture(SAMPLE_PLAN), format: 'markdown' }, directory);
  const { plan, warnings } = sut();

  it('reads the metadata', () => {
    expect(plan.status).toBe('draft');
    expect(plan.metadata).toEqual({
      number: null,
      title: 'Triển khai thực hiện công tác trẻ em năm 2024 trên địa bàn huyện Văn Quan',
      issuer: 'UBND huyện Văn Quan',
      issuerUnitCode: 'VQ-UBND',
      issueDate: null,
      place: null,
      year: 2024,
      legalBasis: [
        {
          text: 'Kế hoạch số 59/KH-SLĐTBXH ngày 22/3/2024 của Sở Lao động, Thương binh và Xã hội tỉnh Lạng Sơn',
          documentType: 'Kế hoạch',
          documentNumber: '59/KH-SLĐTBXH',
          date: '2024-03-22',
          issuer: 'Sở Lao động, Thương binh và Xã hội tỉnh Lạng Sơn',
        },
      ],
      signer: { name: 'Triệu Đức Dũng', title: 'KT. CHỦ TỊCH PHÓ CHỦ TỊCH', onBehalfOf: 'KT. CHỦ TỊCH', position: 'PHÓ CHỦ TỊCH' },
      distribution: [
        { text: 'Sở Lao động - Thương binh và Xã hội', note: 'b/c', unitRef: unit('LS-SO-LDTBXH', 'Sở Lao động - Thương binh và Xã hội'), archive: false },
        { text: 'TT Huyện ủy; TT HĐND huyện', note: 'b/c', unitRef: null, archive: false },
        { text: 'CT, các phó CT UBND huyện', note: null, unitRef: null, archive: false },
        { text: 'CVP, các PCVP HĐND&UBND huyện', note: null, unitRef: null, archive: false },
        { text: 'Các phòng, ban, ngành huyện', note: null, unitRef: group('VQ-NHOM-PHONG-BAN', 'Các phòng, ban, ngành huyện'), archive: false },
        { text: 'UBND các xã, thị trấn', note: null, unitRef: group('VQ-NHOM-XA-TT', 'UBND các xã, thị trấn'), archive: false },
        { text: 'Lưu: VT, LĐTBXHDT', note: null, unitRef: null, archive: true },
      ],
    });
    expect(plan.closing).toBe('Trên đây là Kế hoạch triển khai thực hiện công tác trẻ em năm 2024 trên địa bàn huyện Văn Quan./.');
    expect(plan.preamble).toMatch(/^Thực hiện Kế hoạch số 59\/KH-SLĐTBXH/);
  });

  it('warns only that number and issue date are missing', () => {
    expect(warnings.map((w) => w.code)).toEqual(['MISSING_NUMBER', 'MISSING_ISSUE_DATE']);
    expect(warnings.filter((w) => w.section !== null)).toEqual([]);
  });

  it('maps the six Roman sections, including the ones behind other heading levels', () => {
    expect(plan.sections.map((s) => [s.key, s.kind, s.source.line])).toEqual([
      ['I', 'purpose', 9],
      ['II', 'objectives', 23],
      ['III', 'tasks', 51],
      ['IV', 'funding', 81],
      ['V', 'implementation', 87],
      ['VI', 'reporting', 125],
    ]);
    expect(plan.purposes.map((p) => [p.key, p.source.line])).toEqual([['I.1.1', 13], ['I.1.2', 15]]);
    expect(plan.requirements.map((p) => [p.key, p.source.line])).toEqual([['I.2.1', 19], ['I.2.2', 21]]);
    expect(plan.funding.map((p) => [p.key, p.source.line])).toEqual([['IV.1', 83], ['IV.2', 85]]);
  });

  it('reads 12 objectives; objective 1 is joined across the page break', () => {
    expect(plan.objectives.map((o) => o.key)).toEqual(Array.from({ length: 12 }, (_v, i) => `II.${i + 1}`));
    const [first] = plan.objectives;
    expect(first.source).toEqual({ section: 'II', line: 25, endLine: 27 });
    expect(first.text).toContain('được hưởng các phúc lợi xã hội và các hình thức trợ giúp khác; 100% học sinh');
    expect(first.text).not.toContain('*');
    expect(first.indicators.map((i) => [i.kind, i.target])).toEqual([['percent', 100], ['percent', 100]]);
    expect(first.indicators[1].subject).toMatch(/^học sinh được hướng dẫn/);
  });

  it('reads every indicator', () => {
    const summary = plan.objectives.map((o) => o.indicators.map((i) => `${i.kind}:${i.target}${i.denominator ? `/${i.denominator}` : ''}`));
    expect(summary).toEqual([
      ['percent:100', 'percent:100'],
      ['percent:100', 'percent:100'],
      ['percent:100'],
      [],
      ['percent:95', 'percent:75'],
      ['percent:100'],
      ['percent:90', 'percent:90', 'zero:0'],
      ['percent:100', 'percent:90'],
      ['ratio:15/17'],
      ['percent:80'],
      ['percent:100'],
      [],
    ]);
    expect(plan.objectives[8].indicators[0]).toEqual({
      kind: 'ratio',
      target: 15,
      denominator: 17,
      unitText: 'xã',
      subject: 'xã, thị trấn đạt tiêu chuẩn xã, thị trấn phù hợp với trẻ em',
      trend: 'maintain_or_increase',
      baseline: { value: 15, denominator: 17, year: 2022 },
    });
    expect(plan.objectives[6].indicators[2].subject).toBe('trẻ em và người chưa thành niên lao động trái quy định của pháp luật');
    expect(plan.objectives[7].indicators[0].subject).toBe('trẻ em');
  });

  it('reads 11 tasks; task 7 continues after the footnotes and keeps its marker', () => {
    expect(plan.tasks.map((t) => [t.key, t.number, t.source.line, t.footnotes])).toEqual([
      ['III.1', 1, 53, [1]],
      ['III.2', 2, 55, []],
      ['III.3', 3, 57, [2]],
      ['III.4', 4, 59, []],
      ['III.5', 5, 61, []],
      ['III.6', 6, 63, []],
      ['III.7', 7, 71, [3]],
      ['III.8', 8, 73, []],
      ['III.9', 9, 75, []],
      ['III.10', 10, 77, []],
      ['III.11', 11, 79, []],
    ]);
    expect(plan.tasks.every((t) => t.leadUnitRefs.length === 0 && t.coordinatingUnitRefs.length === 0)).toBe(true);
    expect(plan.tasks[0].text).not.toContain('<sup>');
  });

  it('attaches the footnotes to the plan with the section they interrupt', () => {
    expect(plan.footnotes.map((f) => [f.number, f.source])).toEqual([
      [1, { section: 'III', line: 67, endLine: 67 }],
      [2, { section: 'III', line: 69, endLine: 69 }],
      [3, { section: 'V', line: 93, endLine: 93 }],
    ]);
    expect(plan.footnotes[2].text).toMatch(/^Kế hoạch số 58\/KH-SLĐTBXH/);
  });

  it('reads the three responsibility sections', () => {
    expect(plan.responsibilitySections).toEqual([
      { key: 'V.1', heading: 'Phòng Lao động, Thương binh, Xã hội - Dân tộc', unitRef: LDTBXH, source: { section: 'V', line: 89, endLine: 89 } },
      {
        key: 'V.2',
        heading: 'Các phòng, ban, ngành liên quan',
        unitRef: group('VQ-NHOM-PHONG-BAN', 'Các phòng, ban, ngành liên quan'),
        source: { section: 'V', line: 111, endLine: 111 },
      },
      { key: 'V.3', heading: 'UBND các xã, thị trấn', unitRef: group('VQ-NHOM-XA-TT', 'UBND các xã, thị trấn'), source: { section: 'V', line: 113, endLine: 113 } },
    ]);
  });

  it('reads every bullet of Phòng LĐTBXH-DT (eight in the source)', () => {
    const v1 = plan.responsibilities.filter((r) => r.sectionKey === 'V.1');
    expect(v1.map((r) => [r.key, r.role, r.unitRef.code, r.deadline, r.recurrence, r.source.line])).toEqual([
      ['V.1.1', 'lead', 'VQ-LDTBXH', END_OF_YEAR, ONCE, 95],
      ['V.1.2', 'lead', 'VQ-LDTBXH', END_OF_YEAR, ONCE, 97],
      ['V.1.3', 'lead', 'VQ-LDTBXH', SUMMER, ONCE, 99],
      ['V.1.4', 'lead', 'VQ-LDTBXH', END_OF_YEAR, ONCE, 101],
      ['V.1.5', 'lead', 'VQ-LDTBXH', END_OF_YEAR, ONCE, 103],
      ['V.1.6', 'lead', 'VQ-LDTBXH', null, { kinds: ['monthly', 'quarterly'], cue: 'Hàng tháng, quý' }, 105],
      ['V.1.7', 'lead', 'VQ-LDTBXH', END_OF_YEAR, ONCE, 107],
      ['V.1.8', 'lead', 'VQ-LDTBXH', null, { kinds: ['semiannual', 'annual'], cue: 'định kỳ 6 tháng, năm' }, 109],
    ]);
    expect(v1[0].coordinatingUnitRefs).toEqual([
      group('VQ-NHOM-PHONG-BAN', 'các phòng, ban, ngành'),
      group('VQ-NHOM-MTTQ-DOAN-THE', 'tổ chức chính trị - xã hội'),
      { kind: 'group', code: null, text: 'đơn vị liên quan' },
    ]);
    expect(v1.filter((r) => r.recurrence.kinds.includes('monthly'))).toHaveLength(1);
  });

  it('reads the related departments as coordinating with Phòng LĐTBXH-DT', () => {
    const v2 = plan.responsibilities.filter((r) => r.sectionKey === 'V.2');
    expect(v2).toEqual([
      {
        key: 'V.2.1',
        sectionKey: 'V.2',
        unitRef: group('VQ-NHOM-PHONG-BAN', 'Các phòng, ban, ngành liên quan'),
        role: 'coordinate',
        leadUnitRefs: [LDTBXH],
        coordinatingUnitRefs: [],
        text: expect.stringMatching(/^căn cứ chức năng, nhiệm vụ, phối hợp chặt chẽ với Phòng Lao động.*ngành, đơn vị\.$/),
        deadline: END_OF_YEAR,
        recurrence: ONCE,
        source: { section: 'V', line: 111, endLine: 111 },
      },
    ]);
  });

  it('reads five duties of the communes; the fourth has the summer deadline', () => {
    const v3 = plan.responsibilities.filter((r) => r.sectionKey === 'V.3');
    expect(v3.map((r) => [r.key, r.role, r.unitRef.code, r.deadline, r.source.line])).toEqual([
      ['V.3.1', 'lead', 'VQ-NHOM-XA-TT', END_OF_YEAR, 115],
      ['V.3.2', 'lead', 'VQ-NHOM-XA-TT', END_OF_YEAR, 117],
      ['V.3.3', 'lead', 'VQ-NHOM-XA-TT', END_OF_YEAR, 119],
      ['V.3.4', 'lead', 'VQ-NHOM-XA-TT', SUMMER, 121],
      ['V.3.5', 'lead', 'VQ-NHOM-XA-TT', END_OF_YEAR, 123],
    ]);
    expect(directory.resolveGroupMembers('VQ-NHOM-XA-TT')).toHaveLength(17);
  });

  it('reads two reporting rules with "before" deadlines', () => {
    const common = {
      reporterRefs: [group('VQ-NHOM-PHONG-BAN', 'các phòng, ban, ngành liên quan'), group('VQ-NHOM-XA-TT', 'UBND các xã, thị trấn')],
      recipientText: 'UBND huyện',
      recipientUnitRef: unit('VQ-UBND', 'UBND huyện'),
      viaUnitRef: LDTBXH,
      text: expect.stringMatching(/^Yêu cầu các phòng/),
      source: { section: 'VI', line: 127, endLine: 127 },
    };
    expect(plan.reportingRules).toEqual([
      { key: 'VI.1', period: 'semiannual', deadline: { date: '2024-05-09', kind: 'explicit', reason: 'Trước ngày 10/5/2024' }, ...common },
      { key: 'VI.2', period: 'annual', deadline: { date: '2024-11-09', kind: 'explicit', reason: 'Trước ngày 10/11/2024' }, ...common },
    ]);
  });

  it('produces a plan the schema accepts as API input', () => {
    expect(PlanSchema.parse(JSON.parse(JSON.stringify(plan)))).toEqual(plan);
  });

  it('reads the same plan from plain text without Markdown', () => {
    const text = fixture(SAMPLE_PLAN)
      .replace(/<sup>(\d)<\/sup>/g, '<sup>$1</sup>')
      .replace(/\*\*|^#+\s*/gm, '');
    const result = parsePlan({ text, format: 'text' }, directory);
    expect(result.plan.objectives).toHaveLength(12);
    expect(result.plan.tasks).toHaveLength(11);
    expect(result.plan.responsibilities.map((r) => r.key)).toEqual(plan.responsibilities.map((r) => r.key));
    expect(result.plan.reportingRules.map((r) => r.deadline.date)).toEqual(['2024-05-09', '2024-11-09']);
  });
});

describe('parsePlan rejects what is not a plan', () => {
  const sut = (text: string, options = {}) => () => parsePlan({ text, format: 'markdown' }, directory, options);

  it.each([
    ['EMPTY_DOCUMENT', ''],
    ['EMPTY_DOCUMENT', ' \n\t\n '],
    ['BINARY_CONTENT', 'PK\u0003\u0004\u0000\u0000binary'],
    ['BINARY_CONTENT', '\ufffd\ufffd\u0001'.repeat(20)],
    ['NOT_A_PLAN', 'Chào anh, chiều nay họp lúc 3 giờ nhé.'],
    ['NOT_A_PLAN', '**THÔNG BÁO**\n\nKhông có mục nào cả.'],
    ['NOT_A_PLAN', '# BÁO CÁO\n\n## I. KẾT QUẢ\n\n1. Đã làm.'],
  ])('%s for %j', (code, text) => {
    expect(errorCode(sut(text))).toBe(code);
  });

  it('TOO_LARGE above the limit (default 5 MB)', () => {
    expect(errorCode(sut('a'.repeat(2_000), { maxBytes: 1_000 }))).toBe('TOO_LARGE');
    expect(errorCode(sut('KẾ HOẠCH '.repeat(600_000)))).toBe('TOO_LARGE');
  });

  it('UNSUPPORTED_FORMAT for an unknown format', () => {
    const input = { text: 'x', format: 'html' } as unknown as Parameters<typeof parsePlan>[0];
    expect(errorCode(() => parsePlan(input, directory))).toBe('UNSUPPORTED_FORMAT');
  });
});

describe('parsePlan never crashes', () => {
  const isPlanOrParseError = (text: string, format: 'markdown' | 'text'): boolean => {
    try {
      const { plan } = parsePlan({ text, format }, directory, { fallbackYear: 2024 });
      return PlanSchema.safeParse(plan).success;
    } catch (error) {
      return error instanceof PlanParseError;
    }
  };

  it('on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), fc.constantFrom('markdown' as const, 'text' as const), (text, format) =>
        isPlanOrParseError(text, format),
      ),
      { numRuns: 300 },
    );
  });

  it('on the sample plan with arbitrary lines spliced in', () => {
    const lines = fixture(SAMPLE_PLAN).split('\n');
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(lines.length), fc.oneof(fc.string({ unit: 'grapheme' }), fc.constantFrom('- ', '1. ', '**', '---', '<sup>9</sup>', 'IX. ', '| a | b |', '### 4. Các xã'))), { maxLength: 8 }),
        (insertions) => {
          const copy = [...lines];
          for (const [at, text] of insertions) copy.splice(at, 0, text);
          return isPlanOrParseError(copy.join('\n'), 'markdown');
        },
      ),
      { numRuns: 60 },
    );
  });
});
