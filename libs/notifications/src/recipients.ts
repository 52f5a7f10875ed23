import { type Locale } from './templates/context';

export type AudienceRole = 'assignee' | 'assignee_head' | 'supervisor' | 'lead_unit' | 'leader';

export interface UnitHead {
  name: string;
  title: string;
  email: string;
}

export interface UnitContact {
  code: string;
  name: string;
  emails: string[];
  head?: UnitHead;
  locale?: Locale;
}

export interface LeaderContact {
  name: string;
  title: string;
  email: string;
  locale?: Locale;
}

export interface RecipientContext {
  assigneeUnit: UnitContact;
  leadUnit?: UnitContact;
  supervisorUnit?: UnitContact;
  leader?: LeaderContact;
}

export interface CcRules {
  /** Roles that are copied rather than addressed; default none (every audience role is "to"). */
  ccRoles?: AudienceRole[];
  /** Extra addresses always copied, e.g. the office that archives correspondence. */
  alwaysCc?: Array<{ address: string; name: string; locale?: Locale }>;
}

export interface Recipient {
  address: string;
  name: string;
  /** The first role that produced this address; 'cc_rule' for alwaysCc entries. */
  role: AudienceRole | 'cc_rule';
  locale: Locale;
  kind: 'to' | 'cc';
}

const DEFAULT_LOCALE: Locale = 'vi';
// Deliberately loose: the SMTP server is the authority on deliverability; this only drops obvious junk
// (blank cells, names pasted into the email column) that would otherwise fail the whole send.
const PLAUSIBLE_ADDRESS = /^[^\s@<>,;]+@[^\s@<>,;]+\.[^\s@<>,;]+$/;

function candidates(role: AudienceRole, ctx: RecipientContext): Array<Omit<Recipient, 'kind' | 'role'>> {
  const fromUnit = (u: UnitContact | undefined): Array<Omit<Recipient, 'kind' | 'role'>> =>
    u ? u.emails.map((address) => ({ address, name: u.name, locale: u.locale ?? DEFAULT_LOCALE })) : [];
  switch (role) {
    case 'assignee':
      return fromUnit(ctx.assigneeUnit);
    case 'assignee_head': {
      const head = ctx.assigneeUnit.head;
      return head ? [{ address: head.email, name: `${head.title} ${head.name}`.trim(), locale: ctx.assigneeUnit.locale ?? DEFAULT_LOCALE }] : [];
    }
    case 'supervisor':
      return fromUnit(ctx.supervisorUnit);
    case 'lead_unit':
      return fromUnit(ctx.leadUnit);
    case 'leader':
      return ctx.leader ? [{ address: ctx.leader.email, name: `${ctx.leader.title} ${ctx.leader.name}`.trim(), locale: ctx.leader.locale ?? DEFAULT_LOCALE }] : [];
  }
}

/**
 * Addresses for one notification step, de-duplicated case-insensitively. When an address qualifies
 * twice, "to" wins over "cc" and the earlier role is kept, so a unit that is both assignee and lead
 * gets one message addressed to it.
 */
export function resolveRecipients(audience: readonly AudienceRole[], ctx: RecipientContext, ccRules: CcRules = {}): Recipient[] {
  const ccRoles = new Set(ccRules.ccRoles ?? []);
  const byKey = new Map<string, Recipient>();
  const add = (r: Recipient): void => {
    const address = r.address.trim();
    if (!PLAUSIBLE_ADDRESS.test(address)) return;
    const key = address.toLowerCase();
    const existing = byKey.get(key);
    if (!existing) byKey.set(key, { ...r, address });
    else if (existing.kind === 'cc' && r.kind === 'to') existing.kind = 'to';
  };
  for (const role of audience) {
    for (const c of candidates(role, ctx)) add({ ...c, role, kind: ccRoles.has(role) ? 'cc' : 'to' });
  }
  for (const extra of ccRules.alwaysCc ?? []) add({ address: extra.address, name: extra.name, locale: extra.locale ?? DEFAULT_LOCALE, role: 'cc_rule', kind: 'cc' });
  return [...byKey.values()];
}

/** Audience roles that produced no address: a step that would silently notify nobody should be visible to the caller. */
export function unresolvedAudience(audience: readonly AudienceRole[], ctx: RecipientContext): AudienceRole[] {
  return audience.filter((role) => !candidates(role, ctx).some((c) => PLAUSIBLE_ADDRESS.test(c.address.trim())));
}
