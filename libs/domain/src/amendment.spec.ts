import { type PlannedAssignment } from './activation';
import { assignmentIdentity, diffPlannedAssignments } from './amendment';
import { DEFAULT_ESCALATION_POLICY } from './escalation';

function planned(itemKey: string, unitCode: string, periodKey: string, extra: Partial<PlannedAssignment> = {}): PlannedAssignment {
  return {
    itemKey,
    kind: 'responsibility',
    title: `Nhiệm vụ ${itemKey}`,
    role: 'lead',
    unitCode,
    leadUnitCode: 'PHONG_LDTBXH',
    periodKey,
    periodLabel: periodKey,
    deadline: '2024-05-31T16:59:59.999Z',
    escalation: [...DEFAULT_ESCALATION_POLICY],
    ...extra,
  };
}

describe('diffPlannedAssignments', () => {
  it('sorts work into added, removed, changed (naming the fields) and unchanged', () => {
    const before = [
      planned('V.3.1', 'XA_A', '2024'),
      planned('V.3.1', 'XA_B', '2024'),
      planned('V.3.2', 'XA_A', '2024'),
      planned('V.3.3', 'XA_A', '2024', { title: 'cũ' }),
    ];
    const after = [
      planned('V.3.1', 'XA_B', '2024'),
      planned('V.3.2', 'XA_A', '2024', { deadline: '2024-06-15T16:59:59.999Z' }),
      planned('V.3.3', 'XA_A', '2024', { title: 'mới' }),
      planned('V.3.4', 'XA_A', '2024'),
    ];
    const diff = diffPlannedAssignments(before, after);
    expect(diff.added.map(assignmentIdentity)).toEqual([assignmentIdentity(planned('V.3.4', 'XA_A', '2024'))]);
    expect(diff.removed.map((a) => `${a.itemKey}/${a.unitCode}`)).toEqual(['V.3.1/XA_A']);
    expect(diff.changed.map((c) => [c.after.itemKey, c.fields])).toEqual([
      ['V.3.2', ['deadline']],
      ['V.3.3', ['title']],
    ]);
    expect(diff.unchanged).toBe(1);
  });

  it('a new recurrence is different work: the old periods go, the new ones come', () => {
    const before = ['2024-Q1', '2024-Q2'].map((p) => planned('V.1.8', 'PHONG', p));
    const after = ['2024-H1', '2024'].map((p) => planned('V.1.8', 'PHONG', p));
    const diff = diffPlannedAssignments(before, after);
    expect(diff.removed.map((a) => a.periodKey)).toEqual(['2024-Q1', '2024-Q2']);
    expect(diff.added.map((a) => a.periodKey)).toEqual(['2024', '2024-H1']);
    expect(diff.changed).toEqual([]);
  });

  it('sees a changed ladder and context fields, ignores key order, and is deterministic', () => {
    const ladder = DEFAULT_ESCALATION_POLICY.map((s) => ({ ...s }));
    const reordered = ladder.map((s) => Object.fromEntries(Object.entries(s).reverse()) as typeof s);
    const shorter = ladder.slice(0, 3);
    const a = { ...planned('V.2.1', 'XA_A', '2024'), planTitle: 'Kế hoạch A' };
    const same = { ...planned('V.2.1', 'XA_A', '2024', { escalation: reordered }), planTitle: 'Kế hoạch A' };
    expect(diffPlannedAssignments([a], [same]).unchanged).toBe(1);
    const other = { ...planned('V.2.1', 'XA_A', '2024', { escalation: shorter }), planTitle: 'Kế hoạch A (sửa đổi)' };
    expect(diffPlannedAssignments([a], [other]).changed[0].fields).toEqual(['escalation', 'context']);
    const many = Array.from({ length: 50 }, (_, i) => planned(`V.${i % 7}`, `XA_${i % 5}`, `2024-M${i}`));
    const shuffled = [...many].reverse();
    expect(diffPlannedAssignments([], many).added).toEqual(diffPlannedAssignments([], shuffled).added);
  });

  it('the same identity is the same workflow: even a new kind is amended in place, never restarted', () => {
    const diff = diffPlannedAssignments([planned('R', 'XA_A', '2024')], [planned('R', 'XA_A', '2024', { kind: 'report' })]);
    expect(diff.removed).toHaveLength(0);
    expect(diff.added).toHaveLength(0);
    expect(diff.changed.map((c) => c.fields)).toEqual([['context']]);
  });
});
