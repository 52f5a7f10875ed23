import { DeadlineSchema, EscalationPolicySchema, PlanSchema, RecurrenceSchema, SourceLocationSchema, UnitRefSchema } from './plan';
import { cleanText, foldDiacritics, normaliseKey } from './text';

const source = { section: 'V.1', line: 3, endLine: 4 };
const unit = { kind: 'unit' as const, code: 'VQ-LDTBXH', text: 'Phòng LĐTBXH-DT' };

function minimalPlan() {
  return {
    metadata: {
      number: null,
      title: 'Kế hoạch thử',
      issuer: 'UBND huyện Văn Quan',
      issuerUnitCode: 'VQ-UBND',
      issueDate: '2024-04-01',
      year: 2024,
      legalBasis: [],
      signer: null,
      distribution: [],
    },
    preamble: null,
    sections: [],
    purposes: [],
    requirements: [],
    objectives: [],
    tasks: [],
    funding: [],
    responsibilitySections: [{ key: 'V.1', heading: 'Phòng LĐTBXH-DT', unitRef: unit, source }],
    responsibilities: [
      {
        key: 'V.1.1',
        sectionKey: 'V.1',
        unitRef: unit,
        role: 'lead',
        text: 'Rà soát',
        deadline: { date: '2024-05-09', kind: 'explicit', reason: 'Trước ngày 10/5/2024' },
        recurrence: { kinds: ['once'] },
        escalationPolicy: [{ key: 'r1', offset: '-P7D', basis: 'calendar', audience: ['assignee'], kind: 'reminder' }],
        source,
      },
    ],
    reportingRules: [],
    footnotes: [],
    closing: null,
  };
}

describe('PlanSchema', () => {
  it('accepts a minimal plan and fills defaults', () => {
    const sut = PlanSchema.parse(minimalPlan());
    expect(sut.status).toBe('draft');
    expect(sut.responsibilities[0]).toMatchObject({ leadUnitRefs: [], coordinatingUnitRefs: [] });
  });

  it('rejects duplicate keys and responsibilities of unknown sections', () => {
    const plan = minimalPlan();
    const sut = PlanSchema.safeParse({
      ...plan,
      responsibilities: [...plan.responsibilities, { ...plan.responsibilities[0] }, { ...plan.responsibilities[0], key: 'X.1', sectionKey: 'X' }],
    });
    expect(sut.success).toBe(false);
    expect(sut.error?.issues.map((i) => i.path.join('.'))).toEqual(['responsibilities', 'responsibilities.2.sectionKey']);
  });

  it.each([
    ['an impossible date', { issueDate: '2024-02-30' }],
    ['a non-ISO date', { issueDate: '10/5/2024' }],
    ['a status', { year: 1800 }],
  ])('rejects %s in metadata', (_label, patch) => {
    const plan = minimalPlan();
    expect(PlanSchema.safeParse({ ...plan, metadata: { ...plan.metadata, ...patch } }).success).toBe(false);
  });
});

describe('parts of the plan model', () => {
  it('recurrence: a set of kinds, "once" alone', () => {
    expect(RecurrenceSchema.safeParse({ kinds: ['monthly', 'quarterly'], cue: 'Hàng tháng, quý' }).success).toBe(true);
    expect(RecurrenceSchema.safeParse({ kinds: ['once', 'monthly'] }).success).toBe(false);
    expect(RecurrenceSchema.safeParse({ kinds: ['annual', 'annual'] }).success).toBe(false);
    expect(RecurrenceSchema.safeParse({ kinds: [] }).success).toBe(false);
  });

  it('deadline: a date or working days', () => {
    expect(DeadlineSchema.safeParse({ date: null, kind: 'explicit', reason: 'x', workingDays: 5 }).success).toBe(true);
    expect(DeadlineSchema.safeParse({ date: null, kind: 'explicit', reason: 'x' }).success).toBe(false);
  });

  it.each(['-P7D', 'P3D', 'PT30S', '-PT1H30M', 'P1W', 'P0D'])('escalation offset %s is a duration', (offset) => {
    expect(EscalationPolicySchema.safeParse([{ key: 'a', offset, basis: 'working', audience: ['head'], kind: 'overdue' }]).success).toBe(true);
  });

  it.each(['7D', 'P', '-PT', 'P1DT', 'P-1D'])('escalation offset %s is not', (offset) => {
    expect(EscalationPolicySchema.safeParse([{ key: 'a', offset, basis: 'calendar', audience: ['head'], kind: 'overdue' }]).success).toBe(false);
  });

  it('source lines run forward; unit refs may be unresolved', () => {
    expect(SourceLocationSchema.safeParse({ section: 'II', line: 5, endLine: 4 }).success).toBe(false);
    expect(UnitRefSchema.safeParse({ kind: 'group', code: null, text: 'đơn vị liên quan' }).success).toBe(true);
  });
});

describe('text normalisation', () => {
  it('folds Vietnamese, including đ/Đ, and punctuation', () => {
    expect(foldDiacritics('Đồng Giáp, Điềm He, Hữu Lễ')).toBe('Dong Giap, Diem He, Huu Le');
    expect(normaliseKey('  Phòng  LĐTBXH-DT: ')).toBe('phong ldtbxh dt');
    expect(normaliseKey('Hòa Bình') === normaliseKey('Hoà Bình'.normalize('NFD'))).toBe(true);
    expect(cleanText('a\u00a0 b\n c')).toBe('a b c');
  });
});
