import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadOrganisationDirectory } from '@app/domain';
import { draftChangeSchema } from '@app/contracts';
import { UnprocessableError } from './plan-errors';
import { toPlanChanges } from './plans.service';

const directory = loadOrganisationDirectory(readFileSync(join(__dirname, '../../../../deploy/seed/van-quan/organisation.yaml'), 'utf8'));
const parse = (c: unknown) => draftChangeSchema.safeParse(c);

describe('draft change schema', () => {
  it('keeps the path changes as they were: op defaults to set, remove needs no value', () => {
    expect(parse({ path: 'closing', value: 'x' }).data).toEqual({ op: 'set', path: 'closing', value: 'x' });
    expect(parse({ op: 'remove', path: 'responsibilities[V.1.1]' }).success).toBe(true);
    expect(parse({ path: 'closing' }).success).toBe(false);
  });

  it.each([
    ['add without a unit', { op: 'add', value: { text: 'x' } }],
    ['add with blank text', { op: 'add', value: { text: '  ', unit: 'VQ-Y-TE' } }],
    ['an unknown field', { op: 'add', value: { text: 'x', unit: 'VQ-Y-TE', unitRef: {} } }],
    ['an impossible date', { op: 'update', key: 'V.1.1', value: { deadline: { date: '2024-02-30' } } }],
    ['date and working days at once', { op: 'update', key: 'V.1.1', value: { deadline: { date: '2024-02-01', workingDays: 3 } } }],
    ['zero working days', { op: 'update', key: 'V.1.1', value: { deadline: { workingDays: 0 } } }],
    ["'once' with a cadence", { op: 'update', key: 'V.1.1', value: { recurrence: ['once', 'quarterly'] } }],
    ['a repeated cadence', { op: 'update', key: 'V.1.1', value: { recurrence: ['monthly', 'monthly'] } }],
    ['an empty update', { op: 'update', key: 'V.1.1', value: {} }],
    ['a split into one part', { op: 'split', key: 'V.1.1', parts: [{ text: 'a' }] }],
    ['a split part without text', { op: 'split', key: 'V.1.1', parts: [{ text: 'a' }, { unit: 'VQ-Y-TE' }] }],
    ['a merge of one', { op: 'merge', keys: ['V.1.1'] }],
    ['an unknown op', { op: 'rename', key: 'V.1.1' }],
  ])('refuses %s', (_name, change) => {
    expect(parse(change).success).toBe(false);
  });

  it('accepts each op in its documented shape', () => {
    for (const change of [
      { op: 'add', value: { text: 'Dạy bơi', unit: 'VQ-Y-TE', coordinatingUnits: ['VQ-NHOM-XA-TT'], deadline: { workingDays: 5 }, recurrence: ['quarterly'] } },
      { op: 'update', key: 'V.1.1', value: { deadline: null } },
      { op: 'delete', key: 'V.1.1' },
      { op: 'split', key: 'V.1.1', parts: [{ text: 'a' }, { text: 'b', deadline: { date: '2024-12-31' } }] },
      { op: 'merge', keys: ['V.1.1', 'V.1.2'], recurrence: ['semiannual', 'annual'] },
    ]) {
      expect([change.op, parse(change).success]).toEqual([change.op, true]);
    }
  });
});

describe('toPlanChanges', () => {
  it('turns directory codes into references: a unit as a unit, a group as a group, with the directory’s names', () => {
    const [change] = toPlanChanges(
      [{ op: 'add', value: { text: 'Dạy bơi', unit: 'VQ-Y-TE', coordinatingUnits: ['VQ-NHOM-XA-TT', 'VQ-HUYEN-DOAN'] } }],
      directory,
    );
    expect(change).toMatchObject({
      op: 'add',
      value: {
        unitRef: { kind: 'unit', code: 'VQ-Y-TE', text: directory.unit('VQ-Y-TE')?.name },
        coordinatingUnitRefs: [
          { kind: 'group', code: 'VQ-NHOM-XA-TT', text: 'UBND các xã, thị trấn' },
          { kind: 'unit', code: 'VQ-HUYEN-DOAN' },
        ],
      },
    });
  });

  it('refuses every unknown code at once, by field', () => {
    let error: unknown;
    try {
      toPlanChanges(
        [
          { op: 'update', key: 'V.1.1', value: { coordinatingUnits: ['VQ-Y-TE', 'KHONG-CO'] } },
          { op: 'split', key: 'V.1.2', parts: [{ text: 'a' }, { text: 'b', unit: 'CUNG-KHONG-CO' }] },
        ],
        directory,
      );
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(UnprocessableError);
    expect((error as UnprocessableError).code).toBe('UNKNOWN_UNIT');
    expect(Object.keys((error as UnprocessableError).fields ?? {})).toEqual(['changes.0.value.coordinatingUnits.1', 'changes.1.parts.1.unit']);
  });
});
