import { vanQuanDirectory } from './test-support';
import { splitUnitNames, unitLabel, unitRefOf, unitRefsIn, unitsThenDuty } from './units';

const directory = vanQuanDirectory();

describe('splitUnitNames', () => {
  it.each([
    ['Sở Y tế, Sở GD&ĐT', ['Sở Y tế', 'Sở GD&ĐT']],
    ['UBND các huyện, thành phố', ['UBND các huyện, thành phố']],
    ['Sở Văn hóa, Thể thao và Du lịch; Công an tỉnh', ['Sở Văn hóa, Thể thao và Du lịch', 'Công an tỉnh']],
    ['Phòng Tư pháp, Huyện đoàn', ['Phòng Tư pháp', 'Huyện đoàn']],
    ['Huyện đoàn và Bưu điện huyện Văn Quan', ['Huyện đoàn', 'Bưu điện huyện Văn Quan']],
    ['Các sở, ban, ngành, UBND các huyện, thành phố', ['Các sở, ban, ngành', 'UBND các huyện, thành phố']],
    ['Trung tâm VH-TT-TT, Hội LHPN huyện', ['Trung tâm VH-TT-TT', 'Hội LHPN huyện']],
  ])('%s', (text, names) => {
    expect(splitUnitNames(text, directory)).toEqual(names);
  });
});

describe('unitRefsIn', () => {
  it('resolves known names and keeps the others as written, groups as groups', () => {
    const { refs, unresolved } = unitRefsIn('Phòng Nội vụ tổ chức, UBND các xã, thị trấn và các hội, đoàn thể', directory);
    expect(refs.map((r) => [r.kind, r.code, r.text])).toEqual([
      ['unit', 'VQ-NOI-VU', 'Phòng Nội vụ'],
      ['group', 'VQ-NHOM-XA-TT', 'UBND các xã, thị trấn'],
      ['group', null, 'các hội, đoàn thể'],
    ]);
    expect(unresolved).toEqual(['các hội, đoàn thể']);
  });

  it('does not take a body of another level for the district one of a similar name', () => {
    const codes = unitRefsIn('Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh; Công an xã; Ủy ban MTTQ Việt Nam huyện', directory).refs.map((r) => r.code);
    expect(codes).toEqual([null, null, 'VQ-MTTQ']);
  });

  it('applies the same rule to a single unit heading or bullet', () => {
    expect(unitRefOf('Công an xã', directory)).toEqual({ ref: { kind: 'unit', code: null, text: 'Công an xã' }, resolved: false });
    expect(unitRefOf('Công an huyện', directory).ref.code).toBe('VQ-CONG-AN');
  });
});

describe('unit labels and sentences', () => {
  it.each([
    ['Sở Y tế: chủ trì hướng dẫn', { label: 'Sở Y tế', body: 'chủ trì hướng dẫn' }],
    ['Phòng Tư pháp: theo dõi', { label: 'Phòng Tư pháp', body: 'theo dõi' }],
    ['Thời gian: Quý II/2024', null],
    ['Cơ quan chủ trì: Phòng Y tế', null],
    ['Bảo vệ trẻ em: nhiệm vụ trọng tâm', null],
    ['Hội nghị sơ kết: tháng 7', null],
  ])('%s', (text, expected) => {
    expect(unitLabel(text, directory)).toEqual(expected);
  });

  it('splits the units that open a sentence from their duty', () => {
    expect(unitsThenDuty('Đề nghị Ủy ban MTTQ huyện và các tổ chức chính trị - xã hội phối hợp tuyên truyền', directory)).toEqual({
      units: 'Ủy ban MTTQ huyện và các tổ chức chính trị - xã hội',
      duty: 'phối hợp tuyên truyền',
    });
    expect(unitsThenDuty('Sở Lao động - Thương binh và Xã hội là cơ quan thường trực', directory)).toEqual({
      units: 'Sở Lao động - Thương binh và Xã hội',
      duty: 'cơ quan thường trực',
    });
    expect(unitsThenDuty('Tăng cường công tác tuyên truyền', directory)).toBeNull();
  });
});
