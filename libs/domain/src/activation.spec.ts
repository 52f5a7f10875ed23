import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePlan } from '../../plan-parser/src';
import { planAssignments } from './activation';
import { loadOrganisationDirectory } from './organisation';

const root = join(__dirname, '..', '..', '..');
const org = loadOrganisationDirectory(readFileSync(join(root, 'deploy/seed/van-quan/organisation.yaml'), 'utf8'));
const sample = readFileSync(join(root, 'libs/plan-parser/fixtures/van-quan-2024-cong-tac-tre-em.md'), 'utf8');

/**
 * The sample plan, counted by hand:
 *  V.1 Phòng LĐTBXH-DT: 6 one-off duties + 'Hàng tháng, quý' (12 months + 4 quarters) + 'định kỳ 6 tháng, năm'
 *      (H1 + year)                                                               = 6 + 16 + 2 = 24
 *  V.2 the 14 related departments and bodies, one duty each                     = 14
 *  V.3 UBND các xã, thị trấn: 5 duties × 17 commune-level units                 = 85
 *  VI  two reports (before 10/5 and before 10/11) × (14 departments + 17 communes) = 62
 */
const EXPECTED_TOTAL = 24 + 14 + 85 + 62;

describe('planAssignments on the Văn Quan 2024 plan', () => {
  const { plan } = parsePlan({ text: sample, format: 'markdown' }, org);
  const sut = planAssignments(plan, org);
  const byUnit = (code: string) => sut.assignments.filter((a) => a.unitCode === code);

  it('creates exactly the expected number of assignments, with no unresolved unit', () => {
    expect(sut.problems).toEqual([]);
    expect(sut.assignments).toHaveLength(EXPECTED_TOTAL);
  });

  it('gives every commune its 5 duties and 2 reports', () => {
    const communes = org.resolveGroupMembers('VQ-NHOM-XA-TT');
    expect(communes).toHaveLength(17);
    for (const code of communes) {
      expect(byUnit(code).map((a) => `${a.itemKey}/${a.periodKey}`)).toEqual([
        'V.3.1/once',
        'V.3.2/once',
        'V.3.3/once',
        'V.3.4/once',
        'V.3.5/once',
        'VI.1/2024-H1',
        'VI.2/2024',
      ]);
    }
  });

  it('dates the drowning-site survey before the summer holidays and the reports before 10/5 and 10/11', () => {
    const anSon = byUnit('VQ-XA-AN-SON');
    const at = (key: string) => anSon.find((a) => a.itemKey === key)!.deadline;
    expect(at('V.3.4')).toBe('2024-05-31T16:59:59.999Z'); // end of 31/5 in Asia/Ho_Chi_Minh
    expect(at('VI.1')).toBe('2024-05-09T16:59:59.999Z');
    expect(at('VI.2')).toBe('2024-11-09T16:59:59.999Z');
  });

  it('splits the monthly-and-quarterly duty into 16 periods, each due at its period end', () => {
    const periods = sut.assignments.filter((a) => a.itemKey === 'V.1.6');
    expect(periods.map((a) => a.periodKey)).toEqual([
      ...Array.from({ length: 12 }, (_, i) => `2024-M${String(i + 1).padStart(2, '0')}`),
      '2024-Q1',
      '2024-Q2',
      '2024-Q3',
      '2024-Q4',
    ]);
    expect(periods.find((a) => a.periodKey === '2024-M02')!.deadline).toBe('2024-02-29T16:59:59.999Z');
  });

  it('is deterministic: the same plan always gives the same list', () => {
    expect(planAssignments(plan, org)).toEqual(sut);
  });

  it('reports a responsibility whose unit is unresolved instead of dropping it silently', () => {
    const broken = { ...plan, responsibilities: [{ ...plan.responsibilities[0], unitRef: { kind: 'unit' as const, code: null, text: 'Phòng X' } }] };
    const res = planAssignments(broken, org);
    expect(res.problems).toEqual([{ itemKey: 'V.1.1', code: 'UNRESOLVED_UNIT', text: 'Phòng X' }]);
  });
});
