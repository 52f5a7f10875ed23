import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Links in emails open an assignment without a login round-trip, so they carry an HMAC over the
 * assignment id, the expiry and (optionally) the recipient they were sent to. Anyone who forwards
 * the mail forwards the access too; the expiry bounds that.
 */
export interface SignedLinkInput {
  publicUrl: string;
  assignmentId: string;
  secret: string;
  expiresAt: Date;
  /** Who the link was issued to (e.g. an email address or unit code); bound into the signature. */
  subject?: string;
}

export type SignedLinkFailure = 'malformed' | 'bad_signature' | 'expired';
export type SignedLinkVerification =
  | { ok: true; assignmentId: string; expiresAt: Date; subject?: string }
  | { ok: false; reason: SignedLinkFailure };

const MIN_SECRET_LENGTH = 16;

function sign(secret: string, assignmentId: string, exp: number, subject: string | undefined): string {
  // A unit separator keeps "a"+"bc" and "ab"+"c" distinct.
  const payload = ['a', assignmentId, String(exp), subject ?? ''].join('\u001f');
  return createHmac('sha256', secret).update(payload, 'utf8').digest('base64url');
}

function assertSecret(secret: string): void {
  if (secret.length < MIN_SECRET_LENGTH) throw new Error(`Link signing secret must be at least ${MIN_SECRET_LENGTH} characters`);
}

export function signedLink(input: SignedLinkInput): string {
  assertSecret(input.secret);
  const exp = Math.floor(input.expiresAt.getTime() / 1000);
  const params = new URLSearchParams({ exp: String(exp) });
  if (input.subject !== undefined) params.set('sub', input.subject);
  params.set('sig', sign(input.secret, input.assignmentId, exp, input.subject));
  return `${input.publicUrl.replace(/\/+$/, '')}/a/${encodeURIComponent(input.assignmentId)}?${params.toString()}`;
}

/** Accepts the full URL or just its path and query, since a web server sees only the latter. */
export function verifySignedLink(link: string, options: { secret: string; now?: Date }): SignedLinkVerification {
  assertSecret(options.secret);
  let url: URL;
  try {
    url = new URL(link, 'http://placeholder.invalid');
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  const match = /\/a\/([^/]+)$/.exec(url.pathname);
  const expRaw = url.searchParams.get('exp');
  const sig = url.searchParams.get('sig');
  if (!match?.[1] || !expRaw || !/^\d+$/.test(expRaw) || !sig) return { ok: false, reason: 'malformed' };
  let assignmentId: string;
  try {
    assignmentId = decodeURIComponent(match[1]);
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  const exp = Number(expRaw);
  const subject = url.searchParams.get('sub') ?? undefined;
  const expected = Buffer.from(sign(options.secret, assignmentId, exp, subject), 'utf8');
  const given = Buffer.from(sig, 'utf8');
  // Check the signature before the expiry so a forged link never learns whether its date was plausible.
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: 'bad_signature' };
  const now = options.now ?? new Date();
  if (now.getTime() >= exp * 1000) return { ok: false, reason: 'expired' };
  return { ok: true, assignmentId, expiresAt: new Date(exp * 1000), ...(subject !== undefined ? { subject } : {}) };
}
