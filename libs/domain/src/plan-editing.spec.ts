import { type Plan, PlanSchema, type Responsibility, type UnitRef } from './plan';
import { applyPlanChanges, editPlan, nextKey, type PlanChange, PlanEditError, PlanOpError, planEditRefusal } from './plan-editing';

const TU_PHAP: UnitRef = { kind: 'unit', code: 'VQ-TU-PHAP', text: 'Phòng Tư pháp' };
const Y_TE: UnitRef = { kind: 'unit', code: 'VQ-Y-TE', text: 'Phòng Y tế' };
const XA: UnitRef = { kind: 'group', code: 'VQ-NHOM-XA-TT', text: 'UBND các xã, thị trấn' };
const DOAN: UnitRef = { kind: 'unit', code: 'VQ-DOAN', text: 'Huyện đoàn' };

/** A plan as the parser gives a header with two sections and no duties. */
function emptyPlan(): Plan {
  return PlanSchema.parse({
    metadata: {
      number: '99/KH-UBND',
      title: 'Phòng, chống đuối nước trẻ em năm 2024',
      issuer: 'UBND huyện Văn Quan',
      issuerUnitCode: 'VQ-UBND',
      issueDate: '2024-03-15',
      year: 2024,
      legalBasis: [],
      signer: null,
      distribution: [],
    },
    preamble: null,
    sections: [
      { key: 'I', title: 'MỤC ĐÍCH, YÊU CẦU', kind: 'purpose', source: { section: 'I', line: 13, endLine: 13 } },
      { key: 'II', title: 'TỔ CHỨC THỰC HIỆN', kind: 'implementation', source: { section: 'II', line: 17, endLine: 17 } },
    ],
    purposes: [],
    requirements: [],
    objectives: [],
    tasks: [],
    funding: [],
    responsibilitySections: [],
    responsibilities: [],
    reportingRules: [],
    footnotes: [],
    closing: null,
  });
}

function apply(plan: Plan, changes: PlanChange[], reserved?: Set<string>) {
  const out = applyPlanChanges(plan, changes, reserved);
  // Every result must still be a plan: the repository stores nothing else.
  return { plan: PlanSchema.parse(out.doc), applied: out.applied };
}

const keys = (plan: Plan) => plan.responsibilities.map((r) => r.key);

describe('plan ops', () => {
  it('adds duties under a section created for the unit, then under the same section', () => {
    const { plan, applied } = apply(emptyPlan(), [
      { op: 'add', value: { text: 'Rà soát điểm nước nguy hiểm.', unitRef: TU_PHAP, deadline: { date: '2024-06-30' } } },
      { op: 'add', value: { text: 'Tuyên truyền pháp luật.', unitRef: TU_PHAP, recurrence: ['quarterly'] } },
      { op: 'add', value: { text: 'Dạy bơi.', unitRef: Y_TE, coordinatingUnitRefs: [XA] } },
    ]);
    expect(plan.responsibilitySections.map((s) => [s.key, s.unitRef.code, s.heading])).toEqual([
      ['II.1', 'VQ-TU-PHAP', 'Phòng Tư pháp'],
      ['II.2', 'VQ-Y-TE', 'Phòng Y tế'],
    ]);
    expect(keys(plan)).toEqual(['II.1.1', 'II.1.2', 'II.2.1']);
    expect(plan.responsibilities[0]).toMatchObject({ role: 'lead', deadline: { date: '2024-06-30', kind: 'explicit' }, recurrence: { kinds: ['once'] } });
    expect(plan.responsibilities[1].recurrence).toEqual({ kinds: ['quarterly'] });
    expect(plan.responsibilities[2].coordinatingUnitRefs).toEqual([XA]);
    expect(applied.map((a) => [a.action, a.path])).toEqual([
      ['add-responsibility', 'responsibilities[II.1.1]'],
      ['add-responsibility', 'responsibilities[II.1.2]'],
      ['add-responsibility', 'responsibilities[II.2.1]'],
    ]);
    expect(applied[0].after).toMatchObject({ keys: ['II.1.1'], createdSections: [{ key: 'II.1' }] });
    expect(applied[1].after).not.toHaveProperty('createdSections');
  });

  it('inserts a new duty after its section’s last one, and never reuses a reserved key', () => {
    const first = apply(emptyPlan(), [
      { op: 'add', value: { text: 'A', unitRef: TU_PHAP } },
      { op: 'add', value: { text: 'B', unitRef: Y_TE } },
    ]).plan;
    const { plan } = apply(first, [{ op: 'add', value: { text: 'C', unitRef: TU_PHAP } }], new Set(['II.1.2', 'II.1.3']));
    expect(keys(plan)).toEqual(['II.1.1', 'II.1.4', 'II.2.1']);
  });

  it('resolves working days from the signing date with the working-day calendar', () => {
    const { plan } = apply(emptyPlan(), [{ op: 'add', value: { text: 'Kiện toàn Ban chỉ đạo.', unitRef: TU_PHAP, deadline: { workingDays: 5 } } }]);
    // Signed Friday 15/3/2024: the fifth working day after it is Friday 22/3.
    expect(plan.responsibilities[0].deadline).toMatchObject({ date: '2024-03-22', workingDays: 5, relativeTo: 'ngày ký kế hoạch' });
    const unsigned = emptyPlan();
    unsigned.metadata.issueDate = null;
    const later = apply(unsigned, [{ op: 'add', value: { text: 'X', unitRef: TU_PHAP, deadline: { workingDays: 5 } } }]).plan;
    expect(later.responsibilities[0].deadline).toMatchObject({ date: null, workingDays: 5 });
  });

  it('splits a duty: the first part keeps the key, the others keep unit, deadline and cadence unless changed', () => {
    const base = apply(emptyPlan(), [
      { op: 'add', value: { text: 'A và B', unitRef: TU_PHAP, deadline: { date: '2024-09-30' }, recurrence: ['monthly', 'quarterly'] } },
      { op: 'add', value: { text: 'C', unitRef: TU_PHAP } },
    ]).plan;
    const { plan, applied } = apply(base, [
      { op: 'split', key: 'II.1.1', parts: [{ text: 'A' }, { text: 'B', deadline: { date: '2024-12-31' } }, { text: 'B2', unitRef: Y_TE }] },
    ]);
    expect(keys(plan)).toEqual(['II.1.1', 'II.1.3', 'II.1.4', 'II.1.2']);
    const [a, b, b2] = plan.responsibilities;
    expect(a).toMatchObject({ text: 'A', deadline: { date: '2024-09-30' }, recurrence: { kinds: ['monthly', 'quarterly'] }, unitRef: TU_PHAP });
    expect(b).toMatchObject({ text: 'B', deadline: { date: '2024-12-31' }, recurrence: { kinds: ['monthly', 'quarterly'] }, unitRef: TU_PHAP });
    expect(b2).toMatchObject({ text: 'B2', unitRef: Y_TE, deadline: { date: '2024-09-30' }, sectionKey: 'II.1' });
    expect(applied[0]).toMatchObject({ action: 'split-responsibility', after: { keys: ['II.1.1', 'II.1.3', 'II.1.4'] } });
  });

  it('merges duties of one unit: texts joined, earliest deadline, union of partners, refusing other units, roles and cadences', () => {
    const base = apply(emptyPlan(), [
      { op: 'add', value: { text: 'Rà soát', unitRef: TU_PHAP, deadline: { date: '2024-09-30' }, coordinatingUnitRefs: [XA] } },
      { op: 'add', value: { text: 'Báo cáo.', unitRef: TU_PHAP, deadline: { workingDays: 5 }, coordinatingUnitRefs: [XA, DOAN] } },
      { op: 'add', value: { text: 'Tổng kết.', unitRef: TU_PHAP, deadline: null } },
      { op: 'add', value: { text: 'Khám sức khỏe.', unitRef: Y_TE } },
      { op: 'add', value: { text: 'Phối hợp.', unitRef: TU_PHAP, role: 'coordinate' } },
      { op: 'add', value: { text: 'Hằng quý.', unitRef: TU_PHAP, recurrence: ['quarterly'] } },
    ]).plan;
    const { plan, applied } = apply(base, [{ op: 'merge', keys: ['II.1.3', 'II.1.1', 'II.1.2'] }]);
    expect(keys(plan)).toEqual(['II.1.1', 'II.1.4', 'II.1.5', 'II.2.1']);
    expect(plan.responsibilities[0]).toMatchObject({
      text: 'Rà soát; Báo cáo. Tổng kết.',
      // Five working days after 15/3 comes before 30/9.
      deadline: { date: '2024-03-22', workingDays: 5 },
      coordinatingUnitRefs: [XA, DOAN],
    });
    expect(applied[0]).toMatchObject({ action: 'merge-responsibilities', path: 'responsibilities[II.1.1]', after: { keys: ['II.1.1', 'II.1.2', 'II.1.3'] } });

    const refusal = (changes: PlanChange[]) => {
      try {
        applyPlanChanges(base, changes);
      } catch (err) {
        return err instanceof PlanOpError ? err.code : String(err);
      }
      return 'accepted';
    };
    expect(refusal([{ op: 'merge', keys: ['II.1.1', 'II.2.1'] }])).toBe('MERGE_UNITS_DIFFER');
    expect(refusal([{ op: 'merge', keys: ['II.1.1', 'II.1.4'] }])).toBe('MERGE_ROLES_DIFFER');
    expect(refusal([{ op: 'merge', keys: ['II.1.1', 'II.1.5'] }])).toBe('MERGE_RECURRENCE_DIFFERS');
    expect(refusal([{ op: 'merge', keys: ['II.1.1', 'II.1.1'] }])).toBe('DUPLICATE_KEYS');
    expect(refusal([{ op: 'merge', keys: ['II.1.1', 'II.9.9'] }])).toBe('UNKNOWN_RESPONSIBILITY');
    expect(refusal([{ op: 'add', value: { text: 'x', unitRef: TU_PHAP, sectionKey: 'IX.1' } }])).toBe('UNKNOWN_SECTION');
    // A cadence chosen for the result settles the difference.
    const chosen = apply(base, [{ op: 'merge', keys: ['II.1.1', 'II.1.5'], recurrence: ['quarterly'], text: 'Một việc' }]).plan;
    expect(chosen.responsibilities[0]).toMatchObject({ text: 'Một việc', recurrence: { kinds: ['quarterly'] } });
  });

  it('updates fields by key and deletes by key, leaving the others alone', () => {
    const base = apply(emptyPlan(), [
      { op: 'add', value: { text: 'A', unitRef: TU_PHAP, deadline: { date: '2024-05-01' } } },
      { op: 'add', value: { text: 'B', unitRef: TU_PHAP } },
    ]).plan;
    const { plan, applied } = apply(base, [
      { op: 'update', key: 'II.1.2', value: { coordinatingUnitRefs: [XA, DOAN], recurrence: ['semiannual', 'annual'], deadline: null } },
      { op: 'delete', key: 'II.1.1' },
    ]);
    const only: Responsibility = plan.responsibilities[0];
    expect(keys(plan)).toEqual(['II.1.2']);
    expect(only).toMatchObject({ text: 'B', coordinatingUnitRefs: [XA, DOAN], recurrence: { kinds: ['semiannual', 'annual'] }, deadline: null });
    expect(applied.map((a) => a.action)).toEqual(['update-responsibility', 'delete-responsibility']);
    expect(applied[1].before).toMatchObject({ responsibilities: [{ key: 'II.1.1', text: 'A' }] });
  });

  it('moves a duty given to another unit under that unit’s section, keeping its key; an unresolved section keeps its duties', () => {
    const base = apply(emptyPlan(), [
      { op: 'add', value: { text: 'A', unitRef: TU_PHAP } },
      { op: 'add', value: { text: 'B', unitRef: TU_PHAP } },
      { op: 'add', value: { text: 'C', unitRef: Y_TE } },
    ]).plan;
    const moved = apply(base, [{ op: 'update', key: 'II.1.1', value: { unitRef: Y_TE } }]);
    expect(moved.plan.responsibilities.map((r) => [r.key, r.sectionKey])).toEqual([
      ['II.1.2', 'II.1'],
      ['II.2.1', 'II.2'],
      ['II.1.1', 'II.2'],
    ]);
    const created = apply(base, [{ op: 'update', key: 'II.1.2', value: { unitRef: DOAN } }]);
    expect(created.plan.responsibilities.find((r) => r.key === 'II.1.2')?.sectionKey).toBe('II.3');
    expect(created.applied[0].after).toMatchObject({ createdSections: [{ key: 'II.3', unitRef: DOAN }] });

    const unresolved = structuredClone(base);
    unresolved.responsibilitySections[0].unitRef = { kind: 'unit', code: null, text: 'Phòng Tư pháp huyện' };
    const stays = apply(unresolved, [{ op: 'update', key: 'II.1.1', value: { unitRef: TU_PHAP } }]).plan;
    expect(stays.responsibilities.map((r) => [r.key, r.sectionKey])).toEqual([
      ['II.1.1', 'II.1'],
      ['II.1.2', 'II.1'],
      ['II.2.1', 'II.2'],
    ]);
  });

  it('numbers keys above the highest used, ignoring keys of other parents', () => {
    expect(nextKey('V.1', ['V.1.1', 'V.1.10', 'V.10.3', 'V.1.2#2', 'V.1'])).toBe('V.1.11');
    expect(nextKey('BS', [])).toBe('BS.1');
  });
});

describe('editPlan', () => {
  it('returns the validated plan and one audit record per change, leaving the input untouched', () => {
    const plan = emptyPlan();
    const { plan: after, records } = editPlan(plan, {
      action: 'review',
      changes: [
        { path: 'metadata.title', value: 'Kế hoạch mới' },
        { op: 'add', value: { text: 'Tuyên truyền', unitRef: TU_PHAP } },
      ],
    });
    expect(after.metadata.title).toBe('Kế hoạch mới');
    expect(plan.metadata.title).toBe('Phòng, chống đuối nước trẻ em năm 2024');
    expect(plan.responsibilities).toHaveLength(0);
    expect(records.map((r) => [r.action, r.path])).toEqual([
      ['review', 'metadata.title'],
      ['add-responsibility', `responsibilities[${after.responsibilities[0].key}]`],
    ]);
  });

  it('refuses a field the schema does not know, a bad path, an invalid value and a refused op, each with its path', () => {
    const plan = emptyPlan();
    const refusal = (changes: PlanChange[]): PlanEditError => {
      try {
        editPlan(plan, { changes });
      } catch (err) {
        if (err instanceof PlanEditError) return err;
        throw err;
      }
      throw new Error('expected a refusal');
    };
    expect(refusal([{ path: 'metadata.titel', value: 'x' }]).issues).toEqual({ 'metadata.titel': ['trường không tồn tại'] });
    expect(Object.keys(refusal([{ path: 'status', value: 'active' }]).issues)).toEqual(['status']);
    expect(Object.keys(refusal([{ path: 'metadata.year', value: 'hai nghìn' }]).issues)).toEqual(['metadata.year']);
    const op = refusal([{ op: 'delete', key: 'V.9' }]);
    expect(op.reason).toBe('UNKNOWN_RESPONSIBILITY');
    expect(op.issues).toEqual({ 'responsibilities[V.9]': ['Không có nhiệm vụ V.9'] });
  });

  it('lets the caller’s check refuse the result', () => {
    expect(() =>
      editPlan(emptyPlan(), {
        changes: [{ op: 'add', value: { text: 'Kiểm tra', unitRef: Y_TE } }],
        verify: (_plan, applied) => {
          if (applied.some((c) => c.action === 'add-responsibility')) throw new Error('no adds here');
        },
      }),
    ).toThrow('no adds here');
  });
});

describe('planEditRefusal', () => {
  it('allows the statuses named and the current revision, and refuses the rest with the matching code', () => {
    expect(planEditRefusal({ status: 'draft', revision: 3 }, 3, ['draft'])).toBeNull();
    expect(planEditRefusal({ status: 'draft', revision: 3 }, undefined, ['draft'])).toBeNull();
    expect(planEditRefusal({ status: 'closed', revision: 3 }, 3, null)).toBeNull();
    expect(planEditRefusal({ status: 'active', revision: 3 }, 3, ['draft'])?.code).toBe('NOT_DRAFT');
    expect(planEditRefusal({ status: 'draft', revision: 3 }, 3, ['active'])?.code).toBe('NOT_ACTIVE');
    const stale = planEditRefusal({ status: 'draft', revision: 4 }, 3, ['draft']);
    expect(stale?.code).toBe('STALE_REVISION');
    expect(stale?.message).toContain('phiên bản 4');
  });
});
