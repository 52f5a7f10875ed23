import { type PlanChangeInput } from '@app/contracts';
import { type PlanChange } from '@app/persistence';

/** Path changes as parsed from a request, in the repository's form (a remove carries no value). */
export function toPlanChanges(changes: ReadonlyArray<PlanChangeInput>): PlanChange[] {
  return changes.map((c) => (c.op === 'remove' ? { op: 'remove', path: c.path } : { op: 'set', path: c.path, value: c.value }));
}
