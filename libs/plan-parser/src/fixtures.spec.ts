import { loadOrganisationDirectory } from '../../domain/src/organisation';
import { parsePlan } from './parse-plan';
import { fixture, vanQuanDirectory } from './test-support';

const vanQuan = vanQuanDirectory();
const ONCE = { kinds: ['once'] };

describe('(a) commune plan with villages (xã An Sơn, own directory)', () => {
  const directory = loadOrganisationDirectory(fixture('xa-an-son-org.yaml'));
  const sut = () => parsePlan({ text: fixture('xa-an-son-2025-phong-chong-duoi-nuoc.md'), format: 'markdown' }, directory);
  const { plan, warnings } = sut();

  it('reads the header of a commune', () => {
    expect(plan.metadata).toMatchObject({
      number: '27/KH-UBND',
      title: 'Phòng, chống đuối nước trẻ em trên địa bàn xã An Sơn năm 2025',
      issuer: 'UBND xã An Sơn',
      issuerUnitCode: 'AS-UBND',
      issueDate: '2025-04-14',
      year: 2025,
      signer: { name: 'Hoàng Văn Dũng', title: 'TM. ỦY BAN NHÂN DÂN CHỦ TỊCH', onBehalfOf: 'TM. ỦY BAN NHÂN DÂN', position: 'CHỦ TỊCH' },
    });
    expect(plan.metadata.legalBasis).toEqual([
      { text: 'Kế hoạch số 41/KH-UBND ngày 02/4/2025 của UBND huyện Văn Quan', documentType: 'Kế hoạch', documentNumber: '41/KH-UBND', date: '2025-04-02', issuer: 'UBND huyện Văn Quan' },
    ]);
    expect(warnings).toEqual([]);
  });

  it('reads percent, count and ratio-with-baseline objectives', () => {
    expect(plan.objectives.map((o) => [o.key, o.indicators])).toEqual([
      ['II.1', [{ kind: 'percent', target: 100, subject: 'thôn, bản có điểm nguy hiểm về đuối nước được cắm biển cảnh báo' }]],
      ['II.2', [{ kind: 'count', target: 3, unitText: 'lớp', subject: 'lớp dạy bơi an toàn cho trẻ em từ 6 đến 15 tuổi' }]],
      [
        'II.3',
        [
          {
            kind: 'ratio',
            target: 2,
            denominator: 3,
            unitText: 'thôn',
            subject: 'thôn, bản có nhóm trông trẻ mùa hè',
            trend: 'maintain',
            baseline: { value: 2, denominator: 3, year: 2024 },
          },
        ],
      ],
    ]);
  });

  it('reads lead and coordinating units of general tasks', () => {
    expect(plan.tasks.map((t) => [t.key, t.leadUnitRefs.map((r) => r.code), t.coordinatingUnitRefs.map((r) => r.code)])).toEqual([
      ['III.1', ['AS-VHXH'], ['AS-NHOM-THON-BAN']],
      ['III.2', ['AS-DOAN-TN'], []],
    ]);
  });

  it('reads village duties with explicit, seasonal and recurring deadlines', () => {
    expect(plan.responsibilitySections.map((s) => [s.key, s.unitRef.kind, s.unitRef.code])).toEqual([
      ['IV.1', 'unit', 'AS-VHXH'],
      ['IV.2', 'group', 'AS-NHOM-THON-BAN'],
      ['IV.3', 'unit', 'AS-TRAM-Y-TE'],
      // Tasks III.1 and III.2 name their lead ('Chủ trì: ...'): each is work of its own.
      ['III.1', 'unit', 'AS-VHXH'],
      ['III.2', 'unit', 'AS-DOAN-TN'],
    ]);
    expect(plan.responsibilities.map((r) => [r.key, r.role, r.leadUnitRefs.map((u) => u.code), r.deadline, r.recurrence])).toEqual([
      ['IV.1.1', 'lead', [], { date: '2025-05-14', kind: 'explicit', reason: 'Trước ngày 15/5/2025' }, ONCE],
      ['IV.1.2', 'coordinate', ['AS-TRAM-Y-TE'], { date: '2025-06-30', kind: 'suggested', reason: 'Tháng hành động vì trẻ em (1/6–30/6)' }, ONCE],
      ['IV.2.1', 'lead', [], { date: '2025-05-30', kind: 'explicit', reason: 'Trước ngày 31/5/2025' }, { kinds: ['monthly'], cue: 'hằng tháng' }],
      ['IV.3.1', 'lead', [], { date: '2025-12-31', kind: 'suggested', reason: 'Cuối năm kế hoạch' }, ONCE],
      ['III.1.1', 'lead', [], { date: '2025-12-31', kind: 'suggested', reason: 'Cuối năm kế hoạch' }, ONCE],
      ['III.2.1', 'lead', [], { date: '2025-05-31', kind: 'suggested', reason: 'Dịp nghỉ hè: trước 31/5' }, ONCE],
    ]);
    expect(plan.responsibilities.find((r) => r.key === 'III.1.1')?.coordinatingUnitRefs.map((u) => u.code)).toEqual(['AS-NHOM-THON-BAN']);
    expect(directory.resolveGroupMembers('AS-NHOM-THON-BAN')).toEqual(['AS-THON-NA-PAN', 'AS-BAN-KHUON-PHAY', 'AS-THON-BO-LAN']);
  });

  it('reads the reporting rule of villages', () => {
    expect(plan.reportingRules.map((r) => [r.key, r.period, r.deadline.date, r.reporterRefs.map((u) => u.code), r.recipientUnitRef?.code, r.viaUnitRef?.code])).toEqual([
      ['V.1', 'semiannual', '2025-06-14', ['AS-NHOM-THON-BAN'], 'AS-UBND', 'AS-VHXH'],
      ['V.2', 'annual', '2025-11-14', ['AS-NHOM-THON-BAN'], 'AS-UBND', 'AS-VHXH'],
    ]);
  });
});

describe('(b) responsibilities in a Markdown table', () => {
  const sut = () => parsePlan({ text: fixture('van-quan-2024-bang-phan-cong.md'), format: 'markdown' }, vanQuan);
  const { plan, warnings } = sut();

  it('groups rows into one section per lead unit', () => {
    expect(plan.metadata).toMatchObject({ number: '118/KH-UBND', issuer: 'UBND huyện Văn Quan', issueDate: '2024-05-20', year: 2024 });
    expect(plan.responsibilitySections.map((s) => [s.key, s.heading, s.unitRef.code])).toEqual([
      ['III.1', 'Phòng Giáo dục và Đào tạo', 'VQ-GD-DT'],
      ['III.2', 'Phòng LĐTBXH - DT', 'VQ-LDTBXH'],
      ['III.3', 'Phòng Văn hóa và Thông tin', 'VQ-VH-TT'],
      ['III.4', 'UBND các xã, thị trấn', 'VQ-NHOM-XA-TT'],
      ['III.5', 'Hội Chữ thập đỏ huyện', null],
    ]);
  });

  it('reads coordinators and the time column of each row', () => {
    expect(plan.responsibilities.map((r) => [r.key, r.text, r.coordinatingUnitRefs.map((u) => u.code), r.deadline, r.recurrence.kinds, r.source.line])).toEqual([
      ['III.1.1', 'Xây dựng và ban hành hướng dẫn sinh hoạt hè', ['VQ-HUYEN-DOAN'], { date: '2024-05-30', kind: 'explicit', reason: 'Trước ngày 31/5/2024' }, ['once'], 26],
      ['III.2.1', 'Tổ chức lễ phát động Tháng hành động vì trẻ em', ['VQ-TT-VHTTTT', 'VQ-HOI-LHPN'], { date: '2024-06-30', kind: 'explicit', reason: 'Trong tháng 6/2024' }, ['once'], 27],
      ['III.3.1', 'Kiểm tra an toàn các điểm bơi', ['VQ-CONG-AN'], { date: '2024-09-30', kind: 'explicit', reason: 'Trong quý III/2024' }, ['once'], 28],
      ['III.2.2', 'Tổng hợp kết quả hoạt động hè', ['VQ-NHOM-XA-TT'], { date: '2024-09-14', kind: 'explicit', reason: 'Trước ngày 15/9/2024' }, ['once'], 29],
      ['III.4.1', 'Tổ chức Tết Trung thu cho trẻ em', ['VQ-HUYEN-DOAN'], { date: '2024-09-17', kind: 'suggested', reason: 'Tết Trung thu (15/8 âm lịch): 17/9/2024' }, ['once'], 30],
      ['III.5.1', 'Hỗ trợ trẻ em khó khăn vui hè', [], null, ['monthly'], 31],
    ]);
  });

  it('warns about the unit missing from the directory, with its line', () => {
    expect(warnings).toEqual([
      { code: 'UNRESOLVED_UNIT', message: expect.any(String), section: 'III.5', line: 31, text: 'Hội Chữ thập đỏ huyện' },
    ]);
    expect(plan.objectives[1].indicators).toEqual([{ kind: 'zero', target: 0, subject: 'xảy ra trẻ em bị đuối nước tại các điểm sinh hoạt hè' }]);
  });
});

describe('(c) plain text with explicit per-item deadlines', () => {
  const sut = () => parsePlan({ text: fixture('van-quan-2024-han-cu-the.txt'), format: 'text' }, vanQuan);
  const { plan, warnings } = sut();

  it('reads header lines of a plain-text plan', () => {
    expect(plan.metadata).toMatchObject({
      number: '131/KH-UBND',
      title: 'Rà soát, cập nhật dữ liệu trẻ em có hoàn cảnh đặc biệt năm 2024',
      issuerUnitCode: 'VQ-UBND',
      issueDate: '2024-06-03',
      signer: { name: 'Triệu Đức Dũng', title: 'KT. CHỦ TỊCH PHÓ CHỦ TỊCH', onBehalfOf: 'KT. CHỦ TỊCH', position: 'PHÓ CHỦ TỊCH' },
    });
    expect(plan.metadata.distribution.map((d) => d.unitRef?.code ?? null)).toEqual(['LS-SO-LDTBXH', 'VQ-NHOM-XA-TT', null]);
  });

  it('reads working days, dates, months, quarters and lunar festivals', () => {
    expect(plan.responsibilities.map((r) => [r.key, r.unitRef.code, r.deadline])).toEqual([
      ['III.1.1', 'VQ-LDTBXH', { date: null, kind: 'explicit', workingDays: 5, relativeTo: 'kể từ ngày Kế hoạch được ký ban hành', reason: 'Trong 5 ngày làm việc kể từ ngày Kế hoạch được ký ban hành' }],
      ['III.1.2', 'VQ-LDTBXH', { date: '2024-08-15', kind: 'explicit', reason: 'Chậm nhất ngày 15/8/2024' }],
      ['III.1.3', 'VQ-LDTBXH', { date: '2024-08-31', kind: 'explicit', reason: 'Trước ngày 1/9/2024' }],
      ['III.2.1', 'VQ-NHOM-XA-TT', { date: '2024-07-31', kind: 'explicit', reason: 'Trong tháng 7/2024' }],
      ['III.2.2', 'VQ-NHOM-XA-TT', { date: '2024-12-19', kind: 'explicit', reason: 'Trước ngày 20/12/2024' }],
      ['III.2.3', 'VQ-NHOM-XA-TT', { date: '2024-09-17', kind: 'suggested', reason: 'Tết Trung thu (15/8 âm lịch): 17/9/2024' }],
      ['III.3.1', 'VQ-TTYT', { date: '2024-09-30', kind: 'explicit', reason: 'Trong quý III/2024' }],
      ['III.4.1', null, { date: '2024-12-31', kind: 'suggested', reason: 'Cuối năm kế hoạch' }],
    ]);
  });

  it('reports what it could not read, with locations, instead of dropping it', () => {
    expect(warnings.map((w) => [w.code, w.section, w.line])).toEqual([
      ['UNRESOLVED_UNIT', 'III.4', 22],
    ]);
    // 'báo cáo hằng quý (trước ngày 20 của tháng cuối quý)': one rule, its deadline relative to each quarter.
    expect(plan.reportingRules.map((r) => [r.key, r.period, r.deadline.date, r.deadlineRule, r.reporterRefs.map((u) => u.code), r.recipientUnitRef?.code])).toEqual([
      ['IV.1', 'quarterly', '2024-03-19', { kind: 'before', day: 20, monthsAfterPeriodEnd: 0 }, ['VQ-NHOM-XA-TT'], 'VQ-LDTBXH'],
    ]);
  });
});
