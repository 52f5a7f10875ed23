// The one contract between the assignment workflow, its activities, the worker and the API.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import { type PlannedAssignment } from '../../../domain/src/activation';
import { type EscalationAudience, type EscalationKind, type EscalationStepConfig } from '../../../domain/src/escalation';
import { type AssignmentStatus } from '../../../domain/src/timeliness';

// The vocabulary is the domain's; the contract only adds what crosses the wire.
export type { AssignmentStatus } from '../../../domain/src/timeliness';
export type Audience = EscalationAudience;
export type StepKind = EscalationKind;
export type EscalationStepSpec = EscalationStepConfig;

/** One planned assignment (what activation computes) plus the plan it belongs to. */
export interface AssignmentInput extends PlannedAssignment {
  planId: string;
  planNumber: string | null;
  planTitle: string;
}

export interface Actor {
  /** Who acts: a user id, or 'system'. */
  actor: string;
  comment?: string;
  /**
   * For a unit user: the unit they act for. The workflow refuses the action unless the assignment is that
   * unit's now (the API's scope check reads the read model, which may lag a reassignment by a moment).
   */
  unitCode?: string;
}

export interface IndicatorValue {
  indicatorKey: string;
  value: number;
  denominator?: number;
}

export interface Submission {
  text: string;
  indicatorValues: IndicatorValue[];
  attachments: { id: string; name: string; size: number }[];
  submittedAt: string;
  submittedBy: string;
}

export interface ExtensionRequest {
  newDeadline: string;
  reason: string;
  requestedBy: string;
  requestedAt: string;
}

export interface AssignmentEventRecord {
  seq: number;
  type: string;
  actor: string;
  at: string;
  comment?: string;
  data?: Record<string, unknown>;
}

/** What the query returns and what the projection writes to PostgreSQL. */
export interface AssignmentSnapshot {
  workflowId: string;
  input: AssignmentInput;
  unitCode: string;
  status: AssignmentStatus;
  progress: number;
  progressNote: string | null;
  deadline: string | null;
  completedAt: string | null;
  submission: Submission | null;
  pendingExtension: ExtensionRequest | null;
  firedSteps: string[];
  escalationLevel: number;
  lastStepKey: string | null;
  seq: number;
  /** The newest events, bounded; the full history lives in PostgreSQL. */
  recentEvents: AssignmentEventRecord[];
  /** The last plan amendment applied, so a retried amendment changes nothing twice. Absent before the first. */
  lastAmendmentId?: string;
}

/** A plan amendment reaching one running assignment: its new planned content. */
export interface AmendmentChange extends Actor {
  amendmentId: string;
  /** The assignment as the amended plan plans it (same plan, responsibility, unit and period). */
  input: AssignmentInput;
  /** The deadline the plan gave before the amendment: a different current deadline means an extension was granted. */
  previousDeadline: string | null;
  /** What the amendment changed, for the event record. */
  fields: string[];
}

export const getStateQuery = defineQuery<AssignmentSnapshot>('getState');

export const acknowledgeUpdate = defineUpdate<AssignmentSnapshot, [Actor]>('acknowledge');
export const updateProgressUpdate = defineUpdate<AssignmentSnapshot, [Actor & { percent: number }]>('updateProgress');
export const submitUpdate = defineUpdate<
  AssignmentSnapshot,
  [Actor & { text: string; indicatorValues?: IndicatorValue[]; attachments?: Submission['attachments'] }]
>('submit');
export const approveUpdate = defineUpdate<AssignmentSnapshot, [Actor]>('approve');
export const returnUpdate = defineUpdate<AssignmentSnapshot, [Actor & { comment: string }]>('return');
export const requestExtensionUpdate = defineUpdate<AssignmentSnapshot, [Actor & { newDeadline: string; reason: string }]>(
  'requestExtension',
);
export const decideExtensionUpdate = defineUpdate<AssignmentSnapshot, [Actor & { grant: boolean }]>('decideExtension');
export const reassignUpdate = defineUpdate<AssignmentSnapshot, [Actor & { unitCode: string }]>('reassign');
export const cancelUpdate = defineUpdate<AssignmentSnapshot, [Actor & { reason: string }]>('cancel');
export const amendUpdate = defineUpdate<AssignmentSnapshot, [AmendmentChange]>('amend');

export function assignmentWorkflowId(planId: string, itemKey: string, unitCode: string, periodKey: string): string {
  return `asg:${planId}:${itemKey}:${unitCode}:${periodKey}`;
}
