import { createHash } from 'node:crypto';
import { createTransport } from 'nodemailer';
import { type SMTPSentMessageInfo, type SMTPTransportOptions } from 'nodemailer/lib/smtp-transport';

export interface MailerConfig {
  /** smtp://[user:pass@]host[:port] or smtps://… (implicit TLS). Credentials may be percent-encoded. */
  smtpUrl: string;
  /** "Name <address>" or a bare address. */
  from: string;
  replyTo?: string;
  /** Only for a relay with a self-signed certificate (e.g. the local sink in smtps mode). */
  tlsRejectUnauthorized?: boolean;
  timeouts?: { connectionMs?: number; greetingMs?: number; socketMs?: number };
}

export interface MailAttachment {
  filename: string;
  content: Buffer | string;
  contentType?: string;
}

export interface OutgoingMail {
  to: string[];
  cc?: string[];
  subject: string;
  text: string;
  html: string;
  /** From messageIdFor(outboxKey): a resend after a crash must carry the same id so clients can de-duplicate. */
  messageId: string;
  attachments?: MailAttachment[];
  headers?: Record<string, string>;
}

export interface RecipientRejection {
  address: string;
  /** The server's reply, e.g. "550 Mailbox unavailable". */
  reason: string;
  responseCode: number | null;
  /** false for a 4xx deferral: that recipient may accept the same message later. */
  permanent: boolean;
}

export interface SendResult {
  messageId: string;
  accepted: string[];
  rejected: RecipientRejection[];
  /** The server's final reply to the message. */
  response: string;
}

export enum MailErrorCode {
  CONNECTION_FAILED = 'MAIL_CONNECTION_FAILED',
  TIMEOUT = 'MAIL_TIMEOUT',
  /** A 4xx (or 421/503) at the session or message level. */
  TEMPORARILY_REJECTED = 'MAIL_TEMPORARILY_REJECTED',
  /** Nobody accepted the message and at least one recipient was only deferred. */
  RECIPIENTS_DEFERRED = 'MAIL_RECIPIENTS_DEFERRED',
  AUTH_FAILED = 'MAIL_AUTH_FAILED',
  /** A 5xx for the sender or the message itself (too large, policy…). */
  MESSAGE_REJECTED = 'MAIL_MESSAGE_REJECTED',
  INVALID_MESSAGE = 'MAIL_INVALID_MESSAGE',
  INVALID_CONFIG = 'MAIL_INVALID_CONFIG',
}

export abstract class MailError extends Error {
  abstract readonly transient: boolean;
  constructor(
    readonly code: MailErrorCode,
    message: string,
    readonly details: { responseCode?: number; response?: string; rejected?: RecipientRejection[]; cause?: unknown } = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Retrying later may succeed: the message was delivered to nobody, so a retry cannot duplicate it. */
export class MailTransientError extends MailError {
  readonly transient = true;
}

/** Retrying the same message will fail the same way: a Temporal activity should fail non-retryably. */
export class MailPermanentError extends MailError {
  readonly transient = false;
}

/** The shape nodemailer gives its errors; declared here so we depend on fields, not on its classes. */
interface SmtpFailure {
  message?: string;
  code?: string;
  originalCode?: string;
  command?: string;
  response?: string;
  responseCode?: number;
  recipient?: string;
  rejectedErrors?: SmtpFailure[];
}

// RFC 5321: 5yz is permanent, 4yz transient; 503 (bad sequence) says the session was confused, not that the
// message was refused, so it is worth another connection.
const isPermanentCode = (code: number | undefined): boolean => code !== undefined && code >= 500 && code < 600 && code !== 503;

const CONNECTION_CODES = new Set(['ECONNECTION', 'ESOCKET', 'EDNS', 'ETLS', 'EPROXY', 'ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);

function rejectionOf(err: SmtpFailure): RecipientRejection {
  return {
    address: err.recipient ?? '',
    reason: err.response ?? err.message ?? 'rejected',
    responseCode: err.responseCode ?? null,
    permanent: isPermanentCode(err.responseCode),
  };
}

/** Stable Message-ID for an outbox entry: the same key always yields the same id. */
export function messageIdFor(outboxKey: string, domain: string): string {
  if (!outboxKey) throw new MailPermanentError(MailErrorCode.INVALID_MESSAGE, 'Outbox key is empty');
  if (!/^[A-Za-z0-9.-]+$/.test(domain)) throw new MailPermanentError(MailErrorCode.INVALID_CONFIG, `Not a usable Message-ID domain: ${domain}`);
  // 128 bits of the hash: collision-free in practice and short enough to read in a header.
  const digest = createHash('sha256').update(outboxKey, 'utf8').digest('hex').slice(0, 32);
  return `<${digest}.dondoc@${domain.toLowerCase()}>`;
}

function transportOptions(config: MailerConfig): SMTPTransportOptions {
  let url: URL;
  try {
    url = new URL(config.smtpUrl);
  } catch {
    throw new MailPermanentError(MailErrorCode.INVALID_CONFIG, 'SMTP URL is not a URL');
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') {
    throw new MailPermanentError(MailErrorCode.INVALID_CONFIG, `SMTP URL must use smtp:// or smtps://, got ${url.protocol}`);
  }
  if (!url.hostname) throw new MailPermanentError(MailErrorCode.INVALID_CONFIG, 'SMTP URL has no host');
  const secure = url.protocol === 'smtps:';
  const options: SMTPTransportOptions = {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    connectionTimeout: config.timeouts?.connectionMs ?? 10_000,
    greetingTimeout: config.timeouts?.greetingMs ?? 10_000,
    socketTimeout: config.timeouts?.socketMs ?? 30_000,
    // Attachments are generated in memory; refusing paths and URLs keeps message data from reading the disk or network.
    disableFileAccess: true,
    disableUrlAccess: true,
  };
  if (url.username || url.password) {
    options.auth = { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) };
  }
  if (config.tlsRejectUnauthorized === false) options.tls = { rejectUnauthorized: false };
  return options;
}

const smtpTransport = (options: SMTPTransportOptions) => createTransport(options);

export class Mailer {
  private readonly transporter: ReturnType<typeof smtpTransport>;
  private readonly fromDomain: string;

  constructor(private readonly config: MailerConfig) {
    this.transporter = smtpTransport(transportOptions(config));
    const domain = /@([^>\s]+)>?\s*$/.exec(config.from)?.[1];
    if (!domain) throw new MailPermanentError(MailErrorCode.INVALID_CONFIG, `From address has no domain: ${config.from}`);
    this.fromDomain = domain;
  }

  /** messageIdFor with the domain of the From address. */
  messageIdFor(outboxKey: string): string {
    return messageIdFor(outboxKey, this.fromDomain);
  }

  /**
   * Sends one message. Per-recipient 5xx rejections are reported in `rejected` while everyone else
   * receives the mail. Throws MailTransientError when nobody received it and trying again may work
   * (no connection, timeout, 4xx), MailPermanentError when it never will (auth, 5xx for the message).
   *
   * A recipient deferred with 4xx while others accepted is reported with permanent: false instead of
   * throwing: a retry of the whole message would deliver it twice to those who already have it.
   */
  async send(mail: OutgoingMail): Promise<SendResult> {
    const to = mail.to.filter((a) => a.trim() !== '');
    const cc = (mail.cc ?? []).filter((a) => a.trim() !== '');
    if (to.length + cc.length === 0) throw new MailPermanentError(MailErrorCode.INVALID_MESSAGE, 'Message has no recipients');
    let info: SMTPSentMessageInfo;
    try {
      info = await this.transporter.sendMail({
        from: this.config.from,
        ...(this.config.replyTo ? { replyTo: this.config.replyTo } : {}),
        to,
        cc,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        messageId: mail.messageId,
        headers: mail.headers ?? {},
        attachments: (mail.attachments ?? []).map((a) => ({ filename: a.filename, content: a.content, ...(a.contentType ? { contentType: a.contentType } : {}) })),
      });
    } catch (err) {
      return this.failure(err as SmtpFailure, mail.messageId);
    }
    return {
      messageId: info.messageId,
      accepted: info.accepted.map((a: unknown) => (typeof a === 'string' ? a : String((a as { address?: string }).address ?? a))),
      rejected: ((info.rejectedErrors ?? []) as SmtpFailure[]).map(rejectionOf),
      response: info.response,
    };
  }

  /** Checks the relay is reachable and accepts our credentials; throws the same error types as send(). */
  async verify(): Promise<void> {
    try {
      await this.transporter.verify();
    } catch (err) {
      this.failure(err as SmtpFailure, '');
    }
  }

  close(): void {
    this.transporter.close();
  }

  private failure(err: SmtpFailure, messageId: string): SendResult {
    const details = {
      ...(err.responseCode !== undefined ? { responseCode: err.responseCode } : {}),
      ...(err.response !== undefined ? { response: err.response } : {}),
      cause: err,
    };
    const text = err.response ?? err.message ?? 'SMTP failure';
    // Every recipient refused at RCPT TO: report them like a partial rejection unless some may succeed later.
    if (err.code === 'EENVELOPE' && err.command === 'RCPT TO' && err.rejectedErrors?.length) {
      const rejected = err.rejectedErrors.map(rejectionOf);
      if (rejected.every((r) => r.permanent)) return { messageId, accepted: [], rejected, response: text };
      throw new MailTransientError(MailErrorCode.RECIPIENTS_DEFERRED, `All recipients were rejected, some only temporarily: ${text}`, { ...details, rejected });
    }
    if (err.code === 'EAUTH' || err.code === 'ENOAUTH') throw new MailPermanentError(MailErrorCode.AUTH_FAILED, `SMTP authentication failed: ${text}`, details);
    if (err.responseCode !== undefined && err.responseCode >= 400) {
      if (isPermanentCode(err.responseCode)) throw new MailPermanentError(MailErrorCode.MESSAGE_REJECTED, `SMTP server refused the message: ${text}`, details);
      throw new MailTransientError(MailErrorCode.TEMPORARILY_REJECTED, `SMTP server deferred the message: ${text}`, details);
    }
    if (err.code === 'ETIMEDOUT') throw new MailTransientError(MailErrorCode.TIMEOUT, `SMTP timeout: ${text}`, details);
    if ((err.code && CONNECTION_CODES.has(err.code)) || (err.originalCode && CONNECTION_CODES.has(err.originalCode))) {
      throw new MailTransientError(MailErrorCode.CONNECTION_FAILED, `SMTP connection failed: ${text}`, details);
    }
    if (err.code === 'ECONFIG' || err.code === 'EFILEACCESS' || err.code === 'EURLACCESS' || (err.code === 'EENVELOPE' && err.responseCode === undefined)) {
      throw new MailPermanentError(MailErrorCode.INVALID_MESSAGE, `Message could not be sent as built: ${text}`, details);
    }
    // Unknown failures are retried: the Message-ID stays the same, so a duplicate is recognisable, while a lost reminder is not.
    throw new MailTransientError(MailErrorCode.CONNECTION_FAILED, `SMTP failure: ${text}`, details);
  }
}
