import { PlanSchema } from '../../domain/src/plan';
import { parsePlan } from './parse-plan';
import { vanQuanDirectory } from './test-support';

/**
 * The body structures of real plans (issue 12): assignments inline in the task list, unit
 * bullets, annex tables, reporting periods. Small inline plans, one per shape.
 */
const directory = vanQuanDirectory();
const parse = (text: string) => parsePlan({ text, format: 'markdown' }, directory);
const codes = (refs: ReadonlyArray<{ code: string | null; text: string }>) => refs.map((u) => u.code ?? u.text);

export const DISTRICT_INLINE = `**ỦY BAN NHÂN DÂN**
**HUYỆN VĂN QUAN**

Số: 201/KH-UBND

Văn Quan, ngày 02 tháng 7 năm 2024

**KẾ HOẠCH**
**Phổ biến, giáo dục pháp luật về trẻ em năm 2024**

**I. MỤC ĐÍCH, YÊU CẦU**

- Nâng cao hiểu biết pháp luật về quyền trẻ em.

**II. NHIỆM VỤ VÀ GIẢI PHÁP**

1. Tổ chức hội nghị phổ biến Luật Trẻ em cho cán bộ cơ sở. Giao Phòng Tư pháp chủ trì, phối hợp với Phòng Nội vụ, Phòng Văn hóa và Thông tin; hoàn thành trước ngày 30/9/2024.

2. Rà soát trẻ em có hoàn cảnh đặc biệt trên địa bàn. Cơ quan thực hiện: Phòng Lao động, Thương binh, Xã hội - Dân tộc; thời gian: trong 5 ngày làm việc kể từ ngày ký.

3. Đưa nội dung giáo dục kỹ năng sống vào trường học (Đơn vị chủ trì: Phòng Giáo dục và Đào tạo; Đơn vị phối hợp: Huyện đoàn, Hội LHPN huyện; Thời gian: Quý III/2024).

4. Tuyên truyền trên hệ thống loa truyền thanh

- Chủ trì: UBND các xã, thị trấn.
- Thời gian: từ 01/6 đến 31/8.

5. Kiểm tra việc thực hiện chính sách đối với trẻ em.

**III. TỔ CHỨC THỰC HIỆN**

- Phòng Tư pháp: theo dõi, tổng hợp kết quả thực hiện Kế hoạch.

Phòng Nội vụ: hướng dẫn các xã bố trí công chức phụ trách công tác trẻ em.

3. Phòng Văn hóa và Thông tin: chỉ đạo đài truyền thanh phát tin, bài; thời hạn: khi có văn bản của tỉnh.

**IV. CHẾ ĐỘ BÁO CÁO**

Yêu cầu UBND các xã, thị trấn định kỳ hằng quý (trước ngày 15 của tháng cuối quý) báo cáo kết quả về UBND huyện (qua Phòng Tư pháp).

Các phòng, ban, ngành huyện gửi báo cáo 6 tháng trước ngày 15/6 và báo cáo năm trước ngày 15/12 về UBND huyện.

Phòng Tư pháp báo cáo hằng tháng trước ngày 20 về UBND huyện.

Trên đây là Kế hoạch phổ biến, giáo dục pháp luật về trẻ em năm 2024./.

**Nơi nhận:**
- Lưu: VT.

**KT. CHỦ TỊCH**
**PHÓ CHỦ TỊCH**

Triệu Đức Dũng
`;

export const PROVINCE_ANNEX = `**ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN**

Số: 88/KH-UBND

Lạng Sơn, ngày 10 tháng 5 năm 2024

**KẾ HOẠCH**

**Tổ chức Tháng hành động vì trẻ em năm 2024**

**I. MỤC ĐÍCH, YÊU CẦU**

1. Nâng cao nhận thức về quyền trẻ em.

**II. NỘI DUNG**

Chi tiết tại Phụ lục kèm theo.

**III. TỔ CHỨC THỰC HIỆN**

1. Sở Lao động - Thương binh và Xã hội: chủ trì, hướng dẫn, tổng hợp báo cáo.

2. UBND các huyện, thành phố: tổ chức thực hiện các nội dung tại Phụ lục.

Trên đây là Kế hoạch tổ chức Tháng hành động vì trẻ em năm 2024./.

**Nơi nhận:**
- Như trên;
- Lưu: VT.

**KT. CHỦ TỊCH**
**PHÓ CHỦ TỊCH**

Đoàn Thu Hà

**PHỤ LỤC**

**DANH MỤC NHIỆM VỤ THÁNG HÀNH ĐỘNG VÌ TRẺ EM NĂM 2024**

| STT | Nội dung | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian | Sản phẩm |
|---|---|---|---|---|---|
| 1 | Tổ chức lễ phát động Tháng hành động | Sở Lao động - Thương binh và Xã hội | Sở Y tế, Sở GD&ĐT | Trước ngày 31/5/2024 | Lễ phát động |
| 2 | Truyền thông về phòng chống đuối nước | Sở Văn hóa, Thể thao và Du lịch | Đài PT-TH tỉnh | Tháng 6/2024 | Tin, bài |
| 3 | Kiểm tra công tác bảo vệ trẻ em | Sở Lao động - Thương binh và Xã hội | UBND các huyện, thành phố | Quý III/2024 | Báo cáo kiểm tra |
| 4 | Tổ chức hoạt động vui chơi | UBND các huyện, thành phố | | Từ 01/6 đến 30/6/2024 | |
`;

describe('a district plan that assigns work inline in its task list', () => {
  const { plan, warnings } = parse(DISTRICT_INLINE);
  const byKey = (key: string) => plan.responsibilities.find((r) => r.key === key);

  it('reads lead and coordinating units of each task', () => {
    expect(plan.tasks.map((t) => [t.key, codes(t.leadUnitRefs), codes(t.coordinatingUnitRefs)])).toEqual([
      ['II.1', ['VQ-TU-PHAP'], ['VQ-NOI-VU', 'VQ-VH-TT']],
      ['II.2', ['VQ-LDTBXH'], []],
      ['II.3', ['VQ-GD-DT'], ['VQ-HUYEN-DOAN', 'VQ-HOI-LHPN']],
      ['II.4', ['VQ-NHOM-XA-TT'], []],
      ['II.5', [], []],
    ]);
  });

  it('turns every assigned task into a lead responsibility with its coordinators and deadline', () => {
    expect(byKey('II.1.1')).toMatchObject({
      sectionKey: 'II.1',
      role: 'lead',
      unitRef: { code: 'VQ-TU-PHAP' },
      deadline: { date: '2024-09-29', kind: 'explicit', reason: 'Trước ngày 30/9/2024' },
    });
    expect(codes(byKey('II.1.1')?.coordinatingUnitRefs ?? [])).toEqual(['VQ-NOI-VU', 'VQ-VH-TT']);
    expect(byKey('II.2.1')?.deadline).toEqual({
      date: null,
      kind: 'explicit',
      workingDays: 5,
      relativeTo: 'kể từ ngày ký',
      reason: 'Trong 5 ngày làm việc kể từ ngày ký',
    });
    expect(byKey('II.3.1')?.deadline).toEqual({ date: '2024-09-30', kind: 'explicit', reason: 'Trong quý III/2024' });
    // The assignment is written in the bullets under task 4: they are part of the task.
    expect(byKey('II.4.1')).toMatchObject({
      unitRef: { kind: 'group', code: 'VQ-NHOM-XA-TT' },
      deadline: { date: '2024-08-31', startDate: '2024-06-01', kind: 'explicit' },
    });
    expect(byKey('II.5.1')).toBeUndefined();
  });

  it('reads unit bullets, unit paragraphs and numbered units in the implementation section', () => {
    expect(plan.responsibilitySections.filter((s) => s.key.startsWith('III.')).map((s) => [s.key, s.unitRef.code])).toEqual([
      ['III.1', 'VQ-TU-PHAP'],
      ['III.2', 'VQ-NOI-VU'],
      ['III.3', 'VQ-VH-TT'],
    ]);
    expect(byKey('III.1.1')?.text).toBe('theo dõi, tổng hợp kết quả thực hiện Kế hoạch.');
    expect(byKey('III.2.1')?.text).toBe('hướng dẫn các xã bố trí công chức phụ trách công tác trẻ em.');
  });

  it('warns about a deadline phrase it cannot read, naming it', () => {
    expect(warnings).toContainEqual({
      code: 'UNREAD_DEADLINE',
      message: expect.stringContaining('thời hạn: khi có văn bản của tỉnh'),
      section: 'III.3',
      line: expect.any(Number),
      text: 'thời hạn: khi có văn bản của tỉnh',
    });
  });

  it('reads quarterly, semi-annual, annual and monthly reporting with their deadline rules', () => {
    expect(plan.reportingRules.map((r) => [r.key, r.period, r.deadline.date, r.deadlineRule ?? null, codes(r.reporterRefs), r.recipientText, r.viaUnitRef?.code ?? null])).toEqual([
      ['IV.1', 'quarterly', '2024-03-14', { kind: 'before', day: 15, monthsAfterPeriodEnd: 0 }, ['VQ-NHOM-XA-TT'], 'UBND huyện', 'VQ-TU-PHAP'],
      ['IV.2', 'semiannual', '2024-06-14', null, ['VQ-NHOM-PHONG-BAN'], 'UBND huyện', null],
      ['IV.3', 'annual', '2024-12-14', null, ['VQ-NHOM-PHONG-BAN'], 'UBND huyện', null],
      ['IV.4', 'monthly', '2024-01-19', { kind: 'before', day: 20, monthsAfterPeriodEnd: 0 }, ['VQ-TU-PHAP'], 'UBND huyện', null],
    ]);
  });

  it('is a valid plan', () => {
    expect(PlanSchema.parse(JSON.parse(JSON.stringify(plan)))).toEqual(plan);
  });
});

describe('a province plan whose duties live in an annex table', () => {
  const { plan, warnings } = parse(PROVINCE_ANNEX);
  const annex = plan.responsibilities.filter((r) => r.sectionKey.startsWith('PL.'));

  it('makes one lead responsibility per row and lead unit, coordinators listed, product kept', () => {
    expect(annex.map((r) => [r.key, r.unitRef.code ?? r.unitRef.text, codes(r.coordinatingUnitRefs), r.text, r.deadline?.date])).toEqual([
      ['PL.1.1', 'LS-SO-LDTBXH', ['Sở Y tế', 'Sở GD&ĐT'], 'Tổ chức lễ phát động Tháng hành động (Sản phẩm: Lễ phát động)', '2024-05-30'],
      ['PL.2.1', 'Sở Văn hóa, Thể thao và Du lịch', ['Đài PT-TH tỉnh'], 'Truyền thông về phòng chống đuối nước (Sản phẩm: Tin, bài)', '2024-06-30'],
      ['PL.1.2', 'LS-SO-LDTBXH', ['UBND các huyện, thành phố'], 'Kiểm tra công tác bảo vệ trẻ em (Sản phẩm: Báo cáo kiểm tra)', '2024-09-30'],
      ['PL.3.1', 'UBND các huyện, thành phố', [], 'Tổ chức hoạt động vui chơi', '2024-06-30'],
    ]);
    expect(annex[3].deadline).toMatchObject({ startDate: '2024-06-01' });
    expect(annex[3].unitRef.kind).toBe('group');
    expect(annex.every((r) => r.role === 'lead')).toBe(true);
  });

  it('keeps the unit sections of the body and warns about units outside the directory', () => {
    expect(plan.responsibilitySections.map((s) => s.key)).toEqual(['III.1', 'III.2', 'PL.1', 'PL.2', 'PL.3']);
    expect(warnings.filter((w) => w.code === 'UNRESOLVED_UNIT').map((w) => w.text)).toEqual(
      expect.arrayContaining(['Sở Y tế', 'Sở GD&ĐT', 'Sở Văn hóa, Thể thao và Du lịch', 'Đài PT-TH tỉnh']),
    );
    expect(warnings.filter((w) => w.code === 'UNMAPPED_PARAGRAPH')).toEqual([]);
  });
});

describe('duty tables as real documents lay them out', () => {
  const plan = (table: string) => parse(`${HEAD}**III. TỔ CHỨC THỰC HIỆN**\n\n1. Phòng Tư pháp: theo dõi chung.\n\n${table}\n`);

  it('does not collide with numbered unit headings of the same section (was INVALID_STRUCTURE: duplicate key)', () => {
    const { plan: p } = plan(`| Nội dung | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian |\n|---|---|---|---|\n| Kiểm tra | Phòng Nội vụ | | Tháng 9/2024 |`);
    expect(p.responsibilitySections.map((s) => [s.key, s.unitRef.code])).toEqual([
      ['III.1', 'VQ-TU-PHAP'],
      ['III.2', 'VQ-NOI-VU'],
    ]);
  });

  it('reads two-row headers, group rows, repeated headers, rows continued across a page and merged lead cells', () => {
    const { plan: p, warnings } = plan(
      [
        '| STT | Nội dung | Cơ quan thực hiện | | Thời gian hoàn thành |',
        '|---|---|---|---|---|',
        '| | | Chủ trì | Phối hợp | |',
        '| (1) | (2) | (3) | (4) | (5) |',
        '| I | HOẠT ĐỘNG TRUYỀN THÔNG | | | |',
        '| 1 | Tuyên truyền trên loa truyền thanh | UBND các xã, thị trấn | Phòng Văn hóa và Thông tin | Quý II/2024 |',
        '| | và trên trang thông tin điện tử | | | |',
        '| STT | Nội dung | Cơ quan thực hiện | | Thời gian hoàn thành |',
        '| 2 | Tổ chức diễn đàn trẻ em | Phòng Tư pháp, Huyện đoàn | Phòng Giáo dục và Đào tạo | 30/10/2024 |',
        '| 3 | Tổng kết diễn đàn | | | |',
        '| 4 | | Phòng Y tế | | |',
      ].join('\n'),
    );
    const rows = p.responsibilities.filter((r) => r.key !== 'III.1.1');
    expect(rows.map((r) => [r.unitRef.code, r.text, codes(r.coordinatingUnitRefs), r.deadline?.date])).toEqual([
      ['VQ-NHOM-XA-TT', 'Tuyên truyền trên loa truyền thanh và trên trang thông tin điện tử', ['VQ-VH-TT'], '2024-06-30'],
      ['VQ-TU-PHAP', 'Tổ chức diễn đàn trẻ em', ['VQ-GD-DT'], '2024-10-30'],
      ['VQ-HUYEN-DOAN', 'Tổ chức diễn đàn trẻ em', ['VQ-GD-DT'], '2024-10-30'],
      // Row 3's lead cell is merged with row 2's: both leads, and the time of the row above.
      ['VQ-TU-PHAP', 'Tổng kết diễn đàn', [], '2024-10-30'],
      ['VQ-HUYEN-DOAN', 'Tổng kết diễn đàn', [], '2024-10-30'],
    ]);
    expect(new Set(p.responsibilities.map((r) => r.key)).size).toBe(p.responsibilities.length);
    expect(warnings.filter((w) => w.code === 'INCOMPLETE_TABLE_ROW').map((w) => w.text)).toEqual(['4 |  | Phòng Y tế |  | ']);
  });
});

const HEAD = `**ỦY BAN NHÂN DÂN**\n**HUYỆN VĂN QUAN**\n\nSố: 9/KH-UBND\n\nVăn Quan, ngày 02 tháng 7 năm 2024\n\n**KẾ HOẠCH**\n**Thử bảng năm 2024**\n\n**I. MỤC ĐÍCH**\n\n- Thử.\n\n**II. NHIỆM VỤ**\n\n1. Thử nghiệm.\n\n`;

describe('implementation and reporting sentences that open with their units', () => {
  const { plan } = parse(
    `${HEAD}**III. TỔ CHỨC THỰC HIỆN**\n\n` +
      '1. Phòng Lao động, Thương binh, Xã hội - Dân tộc là cơ quan thường trực, hướng dẫn, theo dõi việc thực hiện; tổng hợp kết quả, báo cáo UBND huyện trước ngày 15/7/2024.\n\n' +
      '2. Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam huyện Văn Quan và Huyện đoàn phối hợp tuyên truyền, vận động đoàn viên tham gia.\n\n' +
      '**3. Trạm Y tế xã Tràng Các**\n\n' +
      '- Chủ trì, phối hợp với Trung tâm Y tế huyện khám sức khỏe cho trẻ em; hoàn thành trong Quý III/2024.\n\n' +
      '**IV. CHẾ ĐỘ BÁO CÁO**\n\n' +
      '1. Trưởng các thôn báo cáo kết quả hoạt động hè về UBND xã trước ngày 05/9/2024.\n\n' +
      '2. Các phòng, ban, ngành huyện và UBND các xã, thị trấn định kỳ hằng quý báo cáo kết quả về UBND huyện (qua Phòng Văn hóa và Thông tin), trước ngày 15 của tháng cuối quý.\n',
  );
  const rows = plan.responsibilities.map((r) => [r.sectionKey, r.unitRef.code ?? r.unitRef.text, r.role, codes(r.coordinatingUnitRefs), r.deadline?.date ?? null]);

  it('gives each unit named at the start of a numbered sentence its duty, in its role', () => {
    expect(rows).toEqual([
      ['III.1', 'VQ-LDTBXH', 'lead', [], '2024-07-14'],
      ['III.2', 'VQ-MTTQ', 'coordinate', [], '2024-12-31'],
      ['III.2#2', 'VQ-HUYEN-DOAN', 'coordinate', [], '2024-12-31'],
      ['III.3', 'Trạm Y tế xã Tràng Các', 'lead', ['VQ-TTYT'], '2024-09-30'],
      // A report due once is a duty of its own, not a periodic rule.
      ['IV.1', 'Trưởng các thôn', 'lead', [], '2024-09-04'],
    ]);
    expect(plan.responsibilities.find((r) => r.sectionKey === 'III.1')?.text).toMatch(/^cơ quan thường trực, hướng dẫn/u);
  });

  it('finds a per-period deadline at the end of the sentence', () => {
    expect(plan.reportingRules.map((r) => [r.period, r.deadlineRule, codes(r.reporterRefs), r.viaUnitRef?.code])).toEqual([
      ['quarterly', { kind: 'before', day: 15, monthsAfterPeriodEnd: 0 }, ['VQ-NHOM-PHONG-BAN', 'VQ-NHOM-XA-TT'], 'VQ-VH-TT'],
    ]);
  });
});

describe('an annex table as PDF text gives it: header cells merged, a row wrapped, the table broken by that line', () => {
  const text = [
    'ỦY BAN NHÂN DÂN',
    'HUYỆN VĂN QUAN',
    'Số: 9/KH-UBND',
    'Văn Quan, ngày 02 tháng 7 năm 2024',
    'KẾ HOẠCH',
    'Thử bảng năm 2024',
    'I. TỔ CHỨC THỰC HIỆN',
    '1. Phòng Tư pháp: theo dõi chung.',
    'Trên đây là Kế hoạch./.',
    'PHỤ LỤC',
    '(Kèm theo Kế hoạch số 9/KH-UBND của UBND huyện',
    'Văn Quan)',
    '| STT | Nội dung | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian Sản phẩm hoàn thành |',
    '| 1 | Hướng dẫn sơ cứu cho | Phòng Y tế | Huyện đoàn | 7/2024 | Tài liệu |',
    'cha mẹ và người chăm sóc trẻ',
    '| 2 | Mở cửa nhà văn hóa | Phòng Văn hóa và Thông tin | | Quý III/2024 | Điểm vui chơi |',
  ].join('\n');
  const { plan, warnings } = parsePlan({ text, format: 'text' }, directory);

  it('joins the wrapped line to its row and reads the rows after it with the header above', () => {
    expect(plan.responsibilities.filter((r) => r.sectionKey.startsWith('PL.')).map((r) => [r.unitRef.code, r.text, r.deadline?.date, r.source.line, r.source.endLine])).toEqual([
      ['VQ-Y-TE', 'Hướng dẫn sơ cứu cho cha mẹ và người chăm sóc trẻ', '2024-07-31', 14, 15],
      ['VQ-VH-TT', 'Mở cửa nhà văn hóa', '2024-09-30', 16, 16],
    ]);
    expect(warnings.filter((w) => w.section?.startsWith('PL'))).toEqual([]);
  });
});

describe('a task whose lettered bullets each assign their own unit', () => {
  const { plan } = parse(
    `${HEAD.replace('1. Thử nghiệm.\n\n', '')}1. Công tác tuyên truyền\n\na) Tuyên truyền trên loa truyền thanh. Giao Phòng Văn hóa và Thông tin chủ trì; hoàn thành trong tháng 9/2024.\n\nb) Tổ chức diễn đàn trẻ em. Giao Huyện đoàn chủ trì, phối hợp với Phòng Giáo dục và Đào tạo; thời gian: Quý IV/2024.\n\n**III. TỔ CHỨC THỰC HIỆN**\n\n1. Phòng Tư pháp: theo dõi chung.\n`,
  );

  it('gives each bullet its own lead responsibility under the task', () => {
    expect(plan.tasks.map((t) => [t.key, codes(t.leadUnitRefs)])).toEqual([['II.1', ['VQ-VH-TT', 'VQ-HUYEN-DOAN']]]);
    expect(plan.responsibilities.filter((r) => r.sectionKey.startsWith('II.')).map((r) => [r.sectionKey, r.unitRef.code, codes(r.coordinatingUnitRefs), r.deadline?.date, r.text.split('\n')[1]])).toEqual([
      ['II.1', 'VQ-VH-TT', [], '2024-09-30', 'Tuyên truyền trên loa truyền thanh. Giao Phòng Văn hóa và Thông tin chủ trì; hoàn thành trong tháng 9/2024.'],
      ['II.1#2', 'VQ-HUYEN-DOAN', ['VQ-GD-DT'], '2024-12-31', 'Tổ chức diễn đàn trẻ em. Giao Huyện đoàn chủ trì, phối hợp với Phòng Giáo dục và Đào tạo; thời gian: Quý IV/2024.'],
    ]);
  });
});

describe('reporting rules written as an item of Tổ chức thực hiện', () => {
  const { plan, warnings } = parse(
    `${HEAD}**III. TỔ CHỨC THỰC HIỆN**\n\n1. Phòng Tư pháp: theo dõi chung; phát tin hằng tuần.\n\n` +
      '2. Chế độ báo cáo: UBND các xã, thị trấn báo cáo hằng tháng trước ngày 25 về UBND huyện (qua Phòng Tư pháp).\n\n' +
      '- Các phòng, ban, ngành huyện báo cáo năm trước ngày 10/12.\n\n' +
      '3. Phòng Nội vụ: tổng hợp thi đua.\n',
  );

  it('reads them as reporting rules, not as a unit called "Chế độ báo cáo"', () => {
    expect(plan.responsibilitySections.map((s) => [s.key, s.unitRef.code])).toEqual([
      ['III.1', 'VQ-TU-PHAP'],
      ['III.3', 'VQ-NOI-VU'],
    ]);
    expect(plan.reportingRules.map((r) => [r.period, r.deadline.date, codes(r.reporterRefs), r.viaUnitRef?.code ?? null])).toEqual([
      ['monthly', '2024-01-24', ['VQ-NHOM-XA-TT'], 'VQ-TU-PHAP'],
      ['annual', '2024-12-09', ['VQ-NHOM-PHONG-BAN'], null],
    ]);
    expect(warnings.filter((w) => w.code === 'UNRESOLVED_UNIT')).toEqual([]);
  });

  it('warns that a weekly duty has no cadence activation can follow', () => {
    expect(warnings).toContainEqual(expect.objectContaining({ code: 'UNREAD_DEADLINE', section: 'III.1', text: 'hằng tuần' }));
  });
});
