import {
  type LeaderContact,
  type Locale,
  type NotificationContextInputAny,
  type Recipient,
  signedLink,
} from '@app/notifications';
import { type AssignmentEventRecord, type AssignmentSnapshot, type NotificationRequest } from '@app/contracts/workflow';

/** How long a link in a mail opens the assignment without logging in. */
export const LINK_VALIDITY_MS = 14 * 24 * 60 * 60 * 1000;

export interface ContentSettings {
  publicUrl: string;
  secretKey: string;
}

export interface ContentFacts {
  request: NotificationRequest;
  /** Workflow time of the step (not the wall clock): day counts must match the schedule, also under time skipping. */
  asOf: Date;
  assigneeUnitName: string;
  leadUnitName?: string;
  leader?: LeaderContact;
  /** Everyone this step goes to, so each message can say who else was told. */
  recipients: Recipient[];
  letterFilename?: string;
  /** Display names of the user ids that appear as actors in the snapshot's events. */
  actorNames?: Record<string, string>;
}

const STEP_LABEL: Record<Locale, Record<'reminder' | 'overdue' | 'escalation' | 'leadership', string>> = {
  vi: { reminder: 'Nhắc việc', overdue: 'Thông báo quá hạn', escalation: 'Báo cơ quan quản lý', leadership: 'Báo lãnh đạo phụ trách' },
  en: { reminder: 'Reminder', overdue: 'Overdue notice', escalation: 'Supervisor informed', leadership: 'Leader informed' },
};

export class NotificationContentError extends Error {
  constructor(readonly code: 'NO_DEADLINE' | 'MISSING_EVENT' | 'NO_LEADER', message: string) {
    super(message);
    this.name = 'NotificationContentError';
  }
}

/** The newest event of a type: the workflow records it just before asking for the notification. */
function lastEvent(snapshot: AssignmentSnapshot, type: string): AssignmentEventRecord {
  const event = [...snapshot.recentEvents].reverse().find((e) => e.type === type);
  if (!event) throw new NotificationContentError('MISSING_EVENT', `No ${type} event in the snapshot of ${snapshot.workflowId}`);
  return event;
}

function dateField(event: AssignmentEventRecord, field: string): Date {
  const value = event.data?.[field];
  if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) {
    throw new NotificationContentError('MISSING_EVENT', `Event ${event.type} has no date in ${field}`);
  }
  return new Date(value);
}

/** The template context for one recipient: same facts for everyone, but their own locale, greeting and signed link. */
export function contextFor(facts: ContentFacts, recipient: Recipient, settings: ContentSettings): NotificationContextInputAny {
  const { request, asOf } = facts;
  const snapshot = request.snapshot;
  if (!snapshot.deadline) throw new NotificationContentError('NO_DEADLINE', `Assignment ${snapshot.workflowId} has no deadline to write about`);
  const locale = recipient.locale;
  const nameOf = (actor: string): string => facts.actorNames?.[actor] ?? actor;
  const link = signedLink({
    publicUrl: settings.publicUrl,
    assignmentId: snapshot.workflowId,
    secret: settings.secretKey,
    expiresAt: new Date(asOf.getTime() + LINK_VALIDITY_MS),
    subject: recipient.address.toLowerCase(),
  });
  const common = {
    locale,
    now: asOf,
    link,
    recipientName: recipient.name,
    informed: facts.recipients.filter((r) => r.address !== recipient.address).map((r) => r.name),
    plan: { ...(snapshot.input.planNumber ? { number: snapshot.input.planNumber } : {}), title: snapshot.input.planTitle },
    responsibility: snapshot.input.title,
    assigneeUnit: facts.assigneeUnitName,
    deadline: new Date(snapshot.deadline),
    ...(snapshot.input.periodLabel ? { periodLabel: snapshot.input.periodLabel } : {}),
  };
  const escalation = (kind: 'reminder' | 'overdue' | 'escalation' | 'leadership') => ({
    level: Math.max(0, snapshot.escalationLevel),
    stepLabel: STEP_LABEL[locale][kind],
  });
  switch (request.kind) {
    case 'assigned':
      return { kind: 'assigned', ...common, role: snapshot.input.role, ...(facts.leadUnitName && snapshot.input.role === 'coordinate' ? { leadUnit: facts.leadUnitName } : {}) };
    case 'reminder':
      return { kind: 'reminder', ...common, escalation: escalation('reminder') };
    case 'overdue':
      return { kind: 'overdue', ...common, escalation: escalation('overdue') };
    case 'escalation':
      return { kind: 'escalation', ...common, escalation: escalation('escalation') };
    case 'leadership': {
      if (!facts.leader) throw new NotificationContentError('NO_LEADER', 'The directory names no district leader');
      return {
        kind: 'leadership',
        ...common,
        escalation: escalation('leadership'),
        leaderName: facts.leader.name,
        leaderTitle: facts.leader.title,
        attachmentName: facts.letterFilename ?? 'van-ban-don-doc.docx',
      };
    }
    case 'returned': {
      const event = lastEvent(snapshot, 'returned');
      return { kind: 'returned', ...common, reviewerName: nameOf(event.actor), comment: event.comment ?? '—' };
    }
    case 'extension_granted': {
      const event = lastEvent(snapshot, 'extension_granted');
      return { kind: 'extension_granted', ...common, previousDeadline: dateField(event, 'from'), decidedBy: nameOf(event.actor), ...(event.comment ? { comment: event.comment } : {}) };
    }
    case 'deadline_changed': {
      const event = lastEvent(snapshot, 'amended');
      const from = event.data?.from;
      return {
        kind: 'deadline_changed',
        ...common,
        previousDeadline: typeof from === 'string' ? dateField(event, 'from') : null,
        changedBy: nameOf(event.actor),
        ...(event.comment ? { comment: event.comment } : {}),
      };
    }
    case 'extension_refused': {
      const event = lastEvent(snapshot, 'extension_refused');
      return { kind: 'extension_refused', ...common, requestedDeadline: dateField(event, 'requested'), decidedBy: nameOf(event.actor), ...(event.comment ? { comment: event.comment } : {}) };
    }
  }
}
