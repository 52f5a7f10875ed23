import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OrganisationFileError, loadOrganisationDirectory, unitNameKey } from './organisation';

const yaml = readFileSync(join(__dirname, '../../../deploy/seed/van-quan/organisation.yaml'), 'utf8');

describe('the Văn Quan sample directory', () => {
  const sut = loadOrganisationDirectory(yaml);

  it('has the province department, the committee, 12 departments, 6 bodies and 17 commune-level units', () => {
    const count = (kind: string) => sut.units.filter((u) => u.kind === kind).length;
    expect([count('province_department'), count('district_committee'), count('district_department')]).toEqual([1, 1, 12]);
    expect(count('district_body') + count('mass_organisation')).toBe(6);
    expect(count('commune') + count('town')).toBe(17);
    expect(sut.units.every((u) => u.head !== undefined && u.emails.length > 0)).toBe(true);
    expect(sut.units.flatMap((u) => [...u.emails, u.head?.email ?? '']).every((e) => e.endsWith('@vanquan.example.vn'))).toBe(true);
    expect(sut.unit('VQ-UBND')?.head?.name).toBe('Triệu Đức Dũng');
  });

  it('resolves groups to members', () => {
    expect(sut.resolveGroupMembers('VQ-NHOM-XA-TT')).toEqual([
      'VQ-TT-VAN-QUAN',
      'VQ-XA-AN-SON',
      'VQ-XA-BINH-PHUC',
      'VQ-XA-DIEM-HE',
      'VQ-XA-DONG-GIAP',
      'VQ-XA-HOA-BINH',
      'VQ-XA-HUU-LE',
      'VQ-XA-KHANH-KHE',
      'VQ-XA-LIEN-HOI',
      'VQ-XA-LUONG-NANG',
      'VQ-XA-TAN-DOAN',
      'VQ-XA-TRAN-NINH',
      'VQ-XA-TRANG-CAC',
      'VQ-XA-TRANG-PHAI',
      'VQ-XA-TRI-LE',
      'VQ-XA-TU-XUYEN',
      'VQ-XA-YEN-PHUC',
    ]);
    expect(sut.resolveGroupMembers('VQ-NHOM-PHONG-BAN')).toHaveLength(14);
    expect(sut.resolveGroupMembers('VQ-NHOM-PHONG-BAN')).not.toContain('VQ-LDTBXH');
    expect(sut.resolveGroupMembers('VQ-NHOM-MTTQ-DOAN-THE')).toEqual(['VQ-MTTQ', 'VQ-HUYEN-DOAN', 'VQ-HOI-LHPN']);
    expect(sut.resolveGroupMembers('NO-SUCH-GROUP')).toEqual([]);
  });

  it.each([
    ['Phòng Lao động, Thương binh, Xã hội - Dân tộc', 'VQ-LDTBXH'],
    ['phòng lao động thương binh xã hội dân tộc', 'VQ-LDTBXH'],
    ['Phòng LĐTBXH-DT', 'VQ-LDTBXH'],
    ['Phòng LĐTBXH - DT huyện', 'VQ-LDTBXH'],
    ['Phòng Lao động - Thương binh và Xã hội - Dân tộc', 'VQ-LDTBXH'],
    ['PHÒNG LAO ĐỘNG, THƯƠNG BINH, XÃ HỘI - DÂN TỘC', 'VQ-LDTBXH'],
    ['Sở Lao động - Thương binh và Xã hội', 'LS-SO-LDTBXH'],
    ['Sở LĐTBXH', 'LS-SO-LDTBXH'],
    ['UBND huyện', 'VQ-UBND'],
    ['Ủy ban nhân dân huyện Văn Quan', 'VQ-UBND'],
    ['Uỷ ban nhân dân huyện Văn Quan', 'VQ-UBND'],
    ['UBND xã Điềm He', 'VQ-XA-DIEM-HE'],
    ['xa diem he', 'VQ-XA-DIEM-HE'],
    ['UBND xã Đồng Giáp', 'VQ-XA-DONG-GIAP'],
    ['TT Văn Quan', 'VQ-TT-VAN-QUAN'],
    ['UBND thị trấn Văn Quan', 'VQ-TT-VAN-QUAN'],
    ['Ủy ban MTTQ huyện', 'VQ-MTTQ'],
    ['Ủy ban Mặt trận Tổ quốc Việt Nam huyện Văn Quan', 'VQ-MTTQ'],
    ['Phòng Nông nghiệp và PTNT', 'VQ-NN-PTNT'],
    ['Văn phòng HĐND và UBND huyện', 'VQ-VP'],
    ['Trung tâm VH-TT-TT', 'VQ-TT-VHTTTT'],
    ['Hội LHPN huyện', 'VQ-HOI-LHPN'],
    ['Phòng GD&ĐT', 'VQ-GD-DT'],
    ['UBND các xã, thị trấn', 'VQ-NHOM-XA-TT'],
    ['Ủy ban nhân dân các xã, thị trấn', 'VQ-NHOM-XA-TT'],
    ['Các phòng, ban, ngành liên quan:', 'VQ-NHOM-PHONG-BAN'],
    ['các phòng ban ngành liên quan', 'VQ-NHOM-PHONG-BAN'],
    ['Mặt trận Tổ quốc, các tổ chức chính trị - xã hội', 'VQ-NHOM-MTTQ-DOAN-THE'],
  ])('resolves %j to %s', (text, code) => {
    expect(sut.resolveUnitRef(text)?.code).toBe(code);
  });

  it('tells units from groups and grades confidence', () => {
    expect(sut.resolveUnitRef('UBND các xã, thị trấn')).toMatchObject({ kind: 'group', confidence: 1 });
    expect(sut.resolveUnitRef('Phòng LĐTBXH-DT')).toMatchObject({ kind: 'unit', confidence: 1 });
    expect(sut.resolveUnitRef('Tư pháp huyện')).toMatchObject({ code: 'VQ-TU-PHAP', confidence: 0.95 });
    expect(sut.resolveUnitRef('Phòng Tài nguyên Môi trường huyện Văn Quan')?.code).toBe('VQ-TN-MT');
  });

  it.each(['', 'Hội Chữ thập đỏ huyện', 'Bộ Quốc phòng', 'UBND xã Không Có'])('answers null for %j', (text) => {
    expect(sut.resolveUnitRef(text)).toBeNull();
  });

  it('finds the unit that opens a sentence, although names contain commas', () => {
    const text = 'Phòng Lao động, Thương binh, Xã hội - Dân tộc hướng dẫn, theo dõi';
    expect(sut.matchAtStart(text)).toMatchObject({ match: { code: 'VQ-LDTBXH' }, length: 45 });
    expect(sut.matchAtStart('các phòng, ban, ngành liên quan và UBND các xã')).toMatchObject({ match: { code: 'VQ-NHOM-PHONG-BAN' }, length: 31 });
    expect(sut.matchAtStart('không phải đơn vị')).toBeNull();
  });
});

describe('loadOrganisationDirectory', () => {
  const unit = { code: 'A', name: 'Đơn vị A', shortName: 'A', kind: 'commune' };

  it('reads JSON too', () => {
    const sut = loadOrganisationDirectory(JSON.stringify({ version: 1, name: 'x', units: [unit] }));
    expect(sut.unit('A')).toMatchObject({ aliases: [], parentCode: null, locale: 'vi' });
  });

  it.each([
    ['broken YAML', 'units: [\n  - a'],
    ['a bad code', JSON.stringify({ version: 1, name: 'x', units: [{ ...unit, code: 'a b' }] })],
    ['a duplicate code', JSON.stringify({ version: 1, name: 'x', units: [unit, unit] })],
    ['a dangling parent', JSON.stringify({ version: 1, name: 'x', units: [{ ...unit, parentCode: 'B' }] })],
    ['a group of unknown units', JSON.stringify({ version: 1, name: 'x', units: [unit], groups: [{ code: 'G', name: 'g', members: { codes: ['B'] } }] })],
    ['a bad e-mail', JSON.stringify({ version: 1, name: 'x', units: [{ ...unit, emails: ['not-mail'] }] })],
  ])('rejects %s', (_label, text) => {
    expect(() => loadOrganisationDirectory(text)).toThrow(OrganisationFileError);
  });
});

describe('unitNameKey', () => {
  it('folds case, diacritics (đ), punctuation, "và" and abbreviations to one form', () => {
    expect(unitNameKey('Phòng LĐTBXH-DT')).toBe(unitNameKey('Phòng Lao động, Thương binh và Xã hội - Dân tộc'));
    expect(unitNameKey('ĐIỀM HE')).toBe('diem he');
    expect(unitNameKey('UBND')).toBe('uy ban nhan dan');
  });
});
