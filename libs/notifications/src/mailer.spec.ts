import { sampleContext } from './testing/sample-contexts';
import { Mailer, MailErrorCode, MailPermanentError, MailTransientError, messageIdFor } from './mailer';
import { resolveRecipients, type AudienceRole, type RecipientContext } from './recipients';
import { signedLink, verifySignedLink } from './signed-link';
import { startSmtpSink, type SmtpSink } from './smtp-sink';
import { NOTIFICATION_KINDS, type NotificationKind } from './templates/context';
import { SUBJECT_PREFIX } from './templates/copy';
import { renderNotificationContext } from './templates/render';

const SECRET = 'test-secret-0123456789abcdef';
const FROM = 'Dondoc Văn Quan <no-reply@vanquan.langson.gov.vn>';

const org: RecipientContext = {
  assigneeUnit: {
    code: 'XA_TAN_DOAN',
    name: 'UBND xã Tân Đoàn',
    emails: ['tandoan@vanquan.langson.gov.vn'],
    head: { name: 'Lăng Văn Hùng', title: 'Chủ tịch UBND xã', email: 'chutich.tandoan@vanquan.langson.gov.vn' },
  },
  leadUnit: { code: 'PHONG_LDTBXH', name: 'Phòng Lao động, Thương binh, Xã hội - Dân tộc', emails: ['ldtbxh@vanquan.langson.gov.vn'] },
  supervisorUnit: { code: 'PHONG_LDTBXH', name: 'Phòng Lao động, Thương binh, Xã hội - Dân tộc', emails: ['LDTBXH@vanquan.langson.gov.vn'] },
  leader: { name: 'Triệu Đức Dũng', title: 'Phó Chủ tịch UBND huyện', email: 'pct.dung@vanquan.langson.gov.vn', locale: 'en' },
};

// The default escalation policy's audiences (docs/domain.md), plus the kinds that go to the assignee.
const AUDIENCE: Record<NotificationKind, AudienceRole[]> = {
  assigned: ['assignee'],
  reminder: ['assignee'],
  overdue: ['assignee', 'assignee_head'],
  escalation: ['supervisor', 'lead_unit', 'assignee'],
  leadership: ['leader'],
  returned: ['assignee'],
  extension_granted: ['assignee'],
  extension_refused: ['assignee'],
  deadline_changed: ['assignee'],
  digest: ['assignee'],
  leader_summary: ['leader'],
};

describe('Mailer over real SMTP', () => {
  let sink: SmtpSink;
  let sut: Mailer;

  beforeAll(async () => {
    sink = await startSmtpSink({ rejectRecipients: (a) => (a.startsWith('nobody@') ? '5.1.1 Mailbox does not exist' : null) });
    sut = new Mailer({ smtpUrl: sink.url, from: FROM, replyTo: 'ldtbxh@vanquan.langson.gov.vn', timeouts: { connectionMs: 2000, greetingMs: 2000, socketMs: 5000 } });
  });
  afterAll(async () => {
    sut.close();
    await sink.stop();
  });
  beforeEach(() => sink.clear());

  it.each(NOTIFICATION_KINDS.map((k) => [k]))('delivers a %s notification to the resolved recipients with both bodies and a verifiable link', async (kind) => {
    const recipients = resolveRecipients(AUDIENCE[kind], org, { ccRoles: ['assignee_head', 'assignee'] });
    const locale = recipients[0]?.locale ?? 'vi';
    const expiresAt = new Date(Date.now() + 14 * 24 * 3600 * 1000);
    const link = signedLink({ publicUrl: 'https://dondoc.vanquan.gov.vn', assignmentId: `asg:45:${kind}:XA_TAN_DOAN:2024`, secret: SECRET, expiresAt });
    const rendered = renderNotificationContext(sampleContext(kind, locale, link));
    const outboxKey = `asg:45:${kind}:XA_TAN_DOAN:2024/step-1/${recipients[0]?.address}`;
    const attachments = kind === 'leadership' ? [{ filename: 'van-ban-don-doc.docx', content: Buffer.from('PK placeholder'), contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' }] : [];

    const result = await sut.send({
      to: recipients.filter((r) => r.kind === 'to').map((r) => r.address),
      cc: recipients.filter((r) => r.kind === 'cc').map((r) => r.address),
      ...rendered,
      messageId: sut.messageIdFor(outboxKey),
      attachments,
    });

    expect(result.rejected).toEqual([]);
    expect(result.accepted.map((a) => a.toLowerCase()).sort()).toEqual(recipients.map((r) => r.address.toLowerCase()).sort());
    const caught = await sink.waitFor((m) => m.messageId === messageIdFor(outboxKey, 'vanquan.langson.gov.vn'));
    expect(caught.subject).toBe(rendered.subject);
    expect(caught.subject.startsWith(SUBJECT_PREFIX[locale][kind])).toBe(true);
    expect(caught.from?.address).toBe('no-reply@vanquan.langson.gov.vn');
    expect(caught.replyTo.map((a) => a.address)).toEqual(['ldtbxh@vanquan.langson.gov.vn']);
    expect(caught.to.map((a) => a.address)).toEqual(recipients.filter((r) => r.kind === 'to').map((r) => r.address));
    expect(caught.cc.map((a) => a.address)).toEqual(recipients.filter((r) => r.kind === 'cc').map((r) => r.address));
    expect(caught.text.trim()).toBe(rendered.text.trim());
    expect(caught.html).toContain('09/05/2024');
    expect(caught.attachments.map((a) => a.filename)).toEqual(attachments.map((a) => a.filename));

    const linkInMail = /https:\/\/dondoc\.vanquan\.gov\.vn\/a\/\S+/.exec(caught.text)?.[0];
    expect(linkInMail).toBe(link);
    expect(caught.html).toContain(link.replace(/&/g, '&amp;'));
    expect(verifySignedLink(linkInMail ?? '', { secret: SECRET })).toEqual({ ok: true, assignmentId: `asg:45:${kind}:XA_TAN_DOAN:2024`, expiresAt: new Date(Math.floor(expiresAt.getTime() / 1000) * 1000) });
  });

  it('reports a permanently rejected recipient with the server reason while the others receive the mail', async () => {
    const result = await sut.send({ to: ['tandoan@vanquan.langson.gov.vn', 'nobody@vanquan.langson.gov.vn'], cc: ['ldtbxh@vanquan.langson.gov.vn'], subject: 's', text: 't', html: '<p>t</p>', messageId: sut.messageIdFor('partial') });

    expect(result.accepted).toEqual(['tandoan@vanquan.langson.gov.vn', 'ldtbxh@vanquan.langson.gov.vn']);
    expect(result.rejected).toEqual([{ address: 'nobody@vanquan.langson.gov.vn', reason: '550 5.1.1 Mailbox does not exist', responseCode: 550, permanent: true }]);
    const caught = await sink.waitFor((m) => m.messageId === sut.messageIdFor('partial'));
    expect(caught.envelope.to).toEqual(['tandoan@vanquan.langson.gov.vn', 'ldtbxh@vanquan.langson.gov.vn']);
  });

  it('returns (does not throw) when every recipient is permanently rejected', async () => {
    const result = await sut.send({ to: ['nobody@vanquan.langson.gov.vn'], subject: 's', text: 't', html: 't', messageId: sut.messageIdFor('none') });
    expect(result.accepted).toEqual([]);
    expect(result.rejected.map((r) => [r.address, r.responseCode, r.permanent])).toEqual([['nobody@vanquan.langson.gov.vn', 550, true]]);
    expect(sink.messages()).toHaveLength(0);
  });

  it('throws MailTransientError while the server is down and delivers after it comes back on the same port', async () => {
    const mail = { to: ['tandoan@vanquan.langson.gov.vn'], subject: '[Nhắc việc] outage', text: 't', html: 't', messageId: sut.messageIdFor('outage') };
    await sink.pause();
    try {
      const error = await sut.send(mail).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MailTransientError);
      expect((error as MailTransientError).code).toBe(MailErrorCode.CONNECTION_FAILED);
      expect((error as MailTransientError).transient).toBe(true);
    } finally {
      await sink.resume();
    }
    const result = await sut.send(mail);
    expect(result.accepted).toEqual(['tandoan@vanquan.langson.gov.vn']);
    const caught = await sink.waitFor((m) => m.subject === '[Nhắc việc] outage');
    expect(caught.messageId).toBe(sut.messageIdFor('outage'));
    expect(new URL(sink.url).port).toBe(String(sink.port));
  });

  it('rejects a message without recipients as permanent', async () => {
    await expect(sut.send({ to: [' '], subject: 's', text: 't', html: 't', messageId: sut.messageIdFor('x') })).rejects.toMatchObject({ code: MailErrorCode.INVALID_MESSAGE, transient: false });
  });
});

describe('Mailer error classification against a deferring server', () => {
  let sink: SmtpSink;
  beforeAll(async () => {
    sink = await startSmtpSink({ deferRecipients: (a) => (a.startsWith('busy@') ? '4.2.1 Mailbox busy, try later' : null) });
  });
  afterAll(() => sink.stop());

  it('throws MailTransientError with the per-recipient detail when the only recipient is deferred (4xx)', async () => {
    const sut = new Mailer({ smtpUrl: sink.url, from: FROM });
    const error = await sut.send({ to: ['busy@x.vn'], subject: 's', text: 't', html: 't', messageId: sut.messageIdFor('busy') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MailTransientError);
    expect((error as MailTransientError).code).toBe(MailErrorCode.RECIPIENTS_DEFERRED);
    expect((error as MailTransientError).details.rejected).toEqual([{ address: 'busy@x.vn', reason: '450 4.2.1 Mailbox busy, try later', responseCode: 450, permanent: false }]);
  });

  it('reports a deferred recipient as not permanent when others accepted, so only that one is retried', async () => {
    const sut = new Mailer({ smtpUrl: sink.url, from: FROM });
    const result = await sut.send({ to: ['ok@x.vn', 'busy@x.vn'], subject: 's', text: 't', html: 't', messageId: sut.messageIdFor('mixed') });
    expect(result.accepted).toEqual(['ok@x.vn']);
    expect(result.rejected).toEqual([expect.objectContaining({ address: 'busy@x.vn', responseCode: 450, permanent: false })]);
  });

  it('times out against a server that accepts TCP but never greets, as a transient TIMEOUT', async () => {
    const net = await import('node:net');
    const silent = net.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as import('node:net').AddressInfo).port;
    const sut = new Mailer({ smtpUrl: `smtp://127.0.0.1:${port}`, from: FROM, timeouts: { connectionMs: 300, greetingMs: 300, socketMs: 300 } });
    try {
      await expect(sut.send({ to: ['a@x.vn'], subject: 's', text: 't', html: 't', messageId: sut.messageIdFor('t') })).rejects.toMatchObject({ code: MailErrorCode.TIMEOUT, transient: true });
    } finally {
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});

describe('Mailer over smtps with credentials in the URL', () => {
  it('delivers over implicit TLS and authenticates with the percent-decoded user', async () => {
    const sink = await startSmtpSink({ secure: true });
    const sut = new Mailer({ smtpUrl: `smtps://vanquan%40relay:p%40ss@127.0.0.1:${sink.port}`, from: FROM, tlsRejectUnauthorized: false });
    try {
      await sut.send({ to: ['a@x.vn'], subject: 'tls', text: 't', html: 't', messageId: sut.messageIdFor('tls') });
      const caught = await sink.waitFor((m) => m.subject === 'tls');
      expect(sink.url.startsWith('smtps://')).toBe(true);
      expect(caught.authUser).toBe('vanquan@relay');
    } finally {
      await sink.stop();
    }
  });
});

describe('Mailer configuration and Message-ID', () => {
  it('derives the same Message-ID from the same outbox key, and different ones from different keys', () => {
    const a = messageIdFor('asg:45:III.1:XA_AN_SON:2024/reminder-7d/tandoan@x.vn', 'vanquan.gov.vn');
    expect(a).toBe(messageIdFor('asg:45:III.1:XA_AN_SON:2024/reminder-7d/tandoan@x.vn', 'vanquan.gov.vn'));
    expect(a).toMatch(/^<[0-9a-f]{32}\.dondoc@vanquan\.gov\.vn>$/);
    expect(messageIdFor('asg:45:III.1:XA_AN_SON:2024/reminder-1d/tandoan@x.vn', 'vanquan.gov.vn')).not.toBe(a);
    expect(new Mailer({ smtpUrl: 'smtp://localhost:2525', from: 'Dondoc <no-reply@VanQuan.gov.vn>' }).messageIdFor('k')).toBe(messageIdFor('k', 'vanquan.gov.vn'));
  });

  it.each([['http://localhost:25'], ['not a url'], ['smtp://']])('refuses the SMTP URL %s as INVALID_CONFIG', (smtpUrl) => {
    expect(() => new Mailer({ smtpUrl, from: 'a@b.vn' })).toThrow(MailPermanentError);
  });
});
