// What a form on the review page sends: an op built from the form's values, with only the fields that
// changed for an update, so the audit row shows what the coordinator actually touched.
import dayjs, { type Dayjs } from 'dayjs';
import type {
  DeadlineInput,
  DutyFields,
  DutyOp,
  RecurrenceKind,
  Responsibility,
  UnitRef,
} from '../../api/types';

export type DeadlineMode = 'none' | 'date' | 'workingDays';

export interface DutyFormValues {
  text: string;
  unit?: string;
  role: 'lead' | 'coordinate';
  leadUnits?: string[];
  coordinatingUnits?: string[];
  deadlineMode: DeadlineMode;
  date?: Dayjs | null;
  workingDays?: number | null;
  recurrence: RecurrenceKind[];
}

const codes = (refs: UnitRef[] | undefined): string[] =>
  (refs ?? []).map((r) => r.code).filter((c): c is string => !!c);
const sameList = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');

export function initialValues(duty: Responsibility | null): DutyFormValues {
  if (!duty)
    return {
      text: '',
      role: 'lead',
      leadUnits: [],
      coordinatingUnits: [],
      deadlineMode: 'date',
      date: null,
      workingDays: null,
      recurrence: ['once'],
    };
  const d = duty.deadline;
  return {
    text: duty.text,
    unit: duty.unitRef.code ?? undefined,
    role: duty.role,
    leadUnits: codes(duty.leadUnitRefs),
    coordinatingUnits: codes(duty.coordinatingUnitRefs),
    deadlineMode: !d ? 'none' : d.workingDays !== undefined ? 'workingDays' : 'date',
    date: d?.date && d.workingDays === undefined ? dayjs(d.date) : null,
    workingDays: d?.workingDays ?? null,
    recurrence: [...duty.recurrence.kinds],
  };
}

export function deadlineOf(v: DutyFormValues): DeadlineInput | null {
  if (v.deadlineMode === 'date' && v.date) return { date: v.date.format('YYYY-MM-DD') };
  if (v.deadlineMode === 'workingDays' && v.workingDays) return { workingDays: v.workingDays };
  return null;
}

/** 'Một lần' excludes the cadences and the other way round: the last choice wins. */
export function normaliseRecurrence(next: RecurrenceKind[], previous: RecurrenceKind[]): RecurrenceKind[] {
  const added = next.find((k) => !previous.includes(k));
  if (added === 'once') return ['once'];
  const rest = next.filter((k) => k !== 'once');
  return rest.length > 0 ? rest : ['once'];
}

/** The op a submitted form means, or null when an edit changed nothing. */
export function dutyOp(duty: Responsibility | null, v: DutyFormValues): DutyOp | null {
  const deadline = deadlineOf(v);
  const text = v.text.trim();
  if (!duty) {
    return {
      op: 'add',
      value: {
        text,
        unit: v.unit ?? '',
        role: v.role,
        ...(v.role === 'coordinate' && v.leadUnits?.length ? { leadUnits: v.leadUnits } : {}),
        coordinatingUnits: v.coordinatingUnits ?? [],
        deadline,
        recurrence: v.recurrence,
      },
    };
  }
  const value: DutyFields = {};
  if (text !== duty.text) value.text = text;
  if (v.unit && v.unit !== duty.unitRef.code) value.unit = v.unit;
  if (v.role !== duty.role) value.role = v.role;
  if (v.leadUnits && !sameList(v.leadUnits, codes(duty.leadUnitRefs))) value.leadUnits = v.leadUnits;
  if (v.coordinatingUnits && !sameList(v.coordinatingUnits, codes(duty.coordinatingUnitRefs)))
    value.coordinatingUnits = v.coordinatingUnits;
  const d = duty.deadline;
  const unchangedDeadline =
    deadline === null
      ? d === null
      : 'date' in deadline
        ? d?.date === deadline.date && d.workingDays === undefined
        : d?.workingDays === deadline.workingDays;
  if (!unchangedDeadline) value.deadline = deadline;
  if (!sameList(v.recurrence, duty.recurrence.kinds)) value.recurrence = v.recurrence;
  return Object.keys(value).length > 0 ? { op: 'update', key: duty.key, value } : null;
}
