import { resolveRecipients, unresolvedAudience, type RecipientContext } from './recipients';

const ctx: RecipientContext = {
  assigneeUnit: {
    code: 'XA_AN_SON',
    name: 'UBND xã An Sơn',
    emails: ['anson@vanquan.gov.vn', ' VanThu.AnSon@vanquan.gov.vn '],
    head: { name: 'Hoàng Văn Nam', title: 'Chủ tịch', email: 'ANSON@vanquan.gov.vn' },
  },
  leadUnit: { code: 'PHONG_LDTBXH', name: 'Phòng LĐTBXH-DT', emails: ['ldtbxh@vanquan.gov.vn'], locale: 'vi' },
  supervisorUnit: { code: 'PHONG_LDTBXH', name: 'Phòng LĐTBXH-DT', emails: ['LDTBXH@vanquan.gov.vn', 'not-an-address'] },
  leader: { name: 'Triệu Đức Dũng', title: 'Phó Chủ tịch', email: 'pct@vanquan.gov.vn', locale: 'en' },
};

describe('resolveRecipients', () => {
  it('collects every audience role once, case-insensitively, keeping the first role', () => {
    const sut = resolveRecipients(['assignee', 'assignee_head', 'supervisor', 'lead_unit', 'leader'], ctx);
    expect(sut.map((r) => [r.address, r.role, r.kind, r.locale])).toEqual([
      ['anson@vanquan.gov.vn', 'assignee', 'to', 'vi'],
      ['VanThu.AnSon@vanquan.gov.vn', 'assignee', 'to', 'vi'],
      ['LDTBXH@vanquan.gov.vn', 'supervisor', 'to', 'vi'],
      ['pct@vanquan.gov.vn', 'leader', 'to', 'en'],
    ]);
  });

  it('puts cc roles in cc, but an address that is also "to" stays "to"', () => {
    const sut = resolveRecipients(['assignee_head', 'assignee', 'supervisor'], ctx, { ccRoles: ['assignee_head', 'supervisor'] });
    expect(sut.find((r) => r.address.toLowerCase() === 'anson@vanquan.gov.vn')?.kind).toBe('to');
    expect(sut.find((r) => r.role === 'supervisor')?.kind).toBe('cc');
  });

  it('adds always-cc addresses without duplicating recipients', () => {
    const sut = resolveRecipients(['leader'], ctx, { alwaysCc: [{ address: 'vanphong@vanquan.gov.vn', name: 'Văn phòng' }, { address: 'PCT@vanquan.gov.vn', name: 'dup' }] });
    expect(sut.map((r) => [r.address, r.role, r.kind])).toEqual([
      ['pct@vanquan.gov.vn', 'leader', 'to'],
      ['vanphong@vanquan.gov.vn', 'cc_rule', 'cc'],
    ]);
  });

  it('names the head with the title and skips a missing unit', () => {
    const sut = resolveRecipients(['assignee_head', 'lead_unit'], { assigneeUnit: ctx.assigneeUnit });
    expect(sut).toEqual([{ address: 'ANSON@vanquan.gov.vn', name: 'Chủ tịch Hoàng Văn Nam', role: 'assignee_head', locale: 'vi', kind: 'to' }]);
    expect(unresolvedAudience(['assignee_head', 'lead_unit', 'leader'], { assigneeUnit: ctx.assigneeUnit })).toEqual(['lead_unit', 'leader']);
  });
});
