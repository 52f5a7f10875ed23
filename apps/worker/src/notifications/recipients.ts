import { type OrganisationDirectory, type Unit } from '@app/domain';
import { type LeaderContact, type RecipientContext, type UnitContact } from '@app/notifications';
import { type AssignmentSnapshot } from '@app/contracts/workflow';

export class RecipientResolutionError extends Error {
  constructor(readonly code: 'UNKNOWN_UNIT', message: string) {
    super(message);
    this.name = 'RecipientResolutionError';
  }
}

const contactOf = (unit: Unit): UnitContact => ({
  code: unit.code,
  name: unit.name,
  emails: unit.emails,
  ...(unit.head ? { head: unit.head } : {}),
  locale: unit.locale,
});

/**
 * The leader of the final escalation step: the head of the top-level district committee (UBND huyện).
 * The seed records there the vice-chair in charge of the field, which is who the policy means.
 */
export function districtLeader(directory: OrganisationDirectory): LeaderContact | undefined {
  const committee = districtCommittee(directory);
  if (!committee?.head) return undefined;
  return { ...committee.head, locale: committee.locale };
}

/** The root unit of kind district_committee (the first one if a directory lists several). */
export function districtCommittee(directory: OrganisationDirectory): Unit | undefined {
  return directory.units.find((u) => u.kind === 'district_committee' && u.parentCode === null)
    ?? directory.units.find((u) => u.kind === 'district_committee');
}

/** Who the audience roles of an assignment point at, from the directory as it is now (a head may have changed since activation). */
export function recipientContextFor(directory: OrganisationDirectory, snapshot: AssignmentSnapshot): RecipientContext {
  const assignee = directory.unit(snapshot.unitCode);
  if (!assignee) throw new RecipientResolutionError('UNKNOWN_UNIT', `Unit ${snapshot.unitCode} is not in the organisation directory`);
  const supervisor = assignee.supervisorCode ? directory.unit(assignee.supervisorCode) : undefined;
  const lead = snapshot.input.leadUnitCode ? directory.unit(snapshot.input.leadUnitCode) : undefined;
  const leader = districtLeader(directory);
  return {
    assigneeUnit: contactOf(assignee),
    ...(supervisor ? { supervisorUnit: contactOf(supervisor) } : {}),
    ...(lead ? { leadUnit: contactOf(lead) } : {}),
    ...(leader ? { leader } : {}),
  };
}
