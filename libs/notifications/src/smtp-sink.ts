import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { mkdir, readdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { type AddressInfo } from 'node:net';
import { join } from 'node:path';
// Type-only at the top: smtp-server and mailparser are dev dependencies (the local demo and the tests), so a
// production install, whose API reads caught mail through this module's file helpers, must not load them.
import type { AddressObject, HeaderValue } from 'mailparser';
import type { SMTPServer, SMTPServerAddress, SMTPServerDataStream, SMTPServerError, SMTPServerSession } from 'smtp-server';

/**
 * A real SMTP server on loopback that keeps what it receives. Tests and the local demo send through
 * the same nodemailer path as production, so protocol behaviour (refused connections, per-recipient
 * 5xx, encodings) is exercised for real instead of mocked.
 */

export interface MailAddress {
  address: string;
  name: string;
}

/** JSON-safe, so the same shape is kept in memory, written to storeDir and read back by another process. */
export interface CaughtMessage {
  id: string;
  /** ISO-8601 instant the server finished receiving the message. */
  receivedAt: string;
  /** SMTP envelope: who the client said it was and every accepted RCPT TO (Bcc included). */
  envelope: { from: string; to: string[] };
  authUser: string | null;
  from: MailAddress | null;
  to: MailAddress[];
  cc: MailAddress[];
  replyTo: MailAddress[];
  subject: string;
  text: string;
  html: string;
  messageId: string | null;
  headers: Record<string, string>;
  attachments: Array<{ filename: string; contentType: string; size: number }>;
  size: number;
}

export interface SmtpSinkOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** Return a reason to refuse the recipient permanently (550), or null to accept it. */
  rejectRecipients?: (address: string) => string | null;
  /** Return a reason to defer the recipient (450, try again later), or null to accept it. */
  deferRecipients?: (address: string) => string | null;
  /** Persist each message as <id>.json + <id>.eml so another process can list them. */
  storeDir?: string;
  /** Implicit TLS (smtps) with smtp-server's built-in self-signed certificate: clients must not verify it. */
  secure?: boolean;
  /** Largest message accepted, in bytes (default 25 MB). */
  maxSize?: number;
}

export interface SmtpSink {
  readonly port: number;
  readonly host: string;
  /** smtp://host:port (smtps:// when secure). */
  readonly url: string;
  messages(): CaughtMessage[];
  /** Resolves with the first caught message (already received or future) matching predicate. */
  waitFor(predicate: (m: CaughtMessage) => boolean, timeoutMs?: number): Promise<CaughtMessage>;
  /** Resolves once `count` messages match predicate. */
  waitForCount(count: number, predicate?: (m: CaughtMessage) => boolean, timeoutMs?: number): Promise<CaughtMessage[]>;
  /** Forgets caught messages, in memory and in storeDir. */
  clear(): Promise<void>;
  /** Stops listening but keeps the port number and messages: clients get "connection refused" until resume(). */
  pause(): Promise<void>;
  /** Listens again on the same port. */
  resume(): Promise<void>;
  readonly paused: boolean;
  stop(): Promise<void>;
}

const DEFAULT_WAIT_MS = 5000;
const ID_PATTERN = /^[0-9]{13}-[0-9a-f]{12}$/;

function toAddresses(value: AddressObject | AddressObject[] | undefined): MailAddress[] {
  const objects = value === undefined ? [] : Array.isArray(value) ? value : [value];
  const out: MailAddress[] = [];
  for (const o of objects) {
    for (const a of o.value) {
      if (a.address) out.push({ address: a.address, name: a.name });
      for (const g of a.group ?? []) if (g.address) out.push({ address: g.address, name: g.name });
    }
  }
  return out;
}

function headerText(value: HeaderValue): string {
  if (typeof value === 'string') return value;
  if (value instanceof Date) return value.toISOString();
  const parts: unknown[] = Array.isArray(value) ? value : [value];
  return parts
    .map((v) => {
      if (typeof v === 'string') return v;
      if (v && typeof v === 'object' && 'text' in v && typeof v.text === 'string') return v.text;
      if (v && typeof v === 'object' && 'value' in v && typeof v.value === 'string') return v.value;
      // The combined List-* headers have no single text form.
      return JSON.stringify(v);
    })
    .join(', ');
}

async function writeAtomic(path: string, data: string | Buffer): Promise<void> {
  // Rename is atomic on one filesystem, so a reader never sees half a file.
  const tmp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(tmp, data);
  await rename(tmp, path);
}

export async function startSmtpSink(options: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const { simpleParser } = await import('mailparser');
  const { SMTPServer } = await import('smtp-server');
  const host = options.host ?? '127.0.0.1';
  const caught: CaughtMessage[] = [];
  const events = new EventEmitter();
  events.setMaxListeners(0);
  if (options.storeDir) await mkdir(options.storeDir, { recursive: true });

  const refuse = (reason: string, responseCode: number): SMTPServerError => Object.assign(new Error(reason), { responseCode });

  async function receive(raw: Buffer, session: SMTPServerSession): Promise<CaughtMessage> {
    const parsed = await simpleParser(raw);
    const receivedAt = new Date();
    const headers: Record<string, string> = {};
    for (const [key, value] of parsed.headers) headers[key] = headerText(value);
    const message: CaughtMessage = {
      id: `${receivedAt.getTime()}-${randomBytes(6).toString('hex')}`,
      receivedAt: receivedAt.toISOString(),
      envelope: {
        from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
        to: session.envelope.rcptTo.map((r) => r.address),
      },
      authUser: typeof session.user === 'string' ? session.user : null,
      from: toAddresses(parsed.from)[0] ?? null,
      to: toAddresses(parsed.to),
      cc: toAddresses(parsed.cc),
      replyTo: toAddresses(parsed.replyTo),
      subject: parsed.subject ?? '',
      text: parsed.text ?? '',
      html: typeof parsed.html === 'string' ? parsed.html : '',
      messageId: parsed.messageId ?? null,
      headers,
      attachments: parsed.attachments.map((a) => ({ filename: a.filename ?? '', contentType: a.contentType, size: a.size })),
      size: raw.length,
    };
    if (options.storeDir) {
      // The .eml first: the .json is the index entry, so its presence means the message is complete.
      await writeAtomic(join(options.storeDir, `${message.id}.eml`), raw);
      await writeAtomic(join(options.storeDir, `${message.id}.json`), JSON.stringify(message, null, 2));
    }
    return message;
  }

  function createServer(): SMTPServer {
    const server = new SMTPServer({
      secure: options.secure ?? false,
      // Accept any credentials or none: the sink stands in for a relay, it is not testing auth.
      authOptional: true,
      allowInsecureAuth: true,
      disabledCommands: options.secure ? [] : ['STARTTLS'],
      size: options.maxSize ?? 25 * 1024 * 1024,
      logger: false,
      // A pause must take effect promptly even if a client keeps a connection open.
      closeTimeout: 200,
      onAuth(auth, _session, callback) {
        callback(null, { user: auth.username ?? 'anonymous' });
      },
      onRcptTo(address: SMTPServerAddress, _session, callback) {
        const rejected = options.rejectRecipients?.(address.address);
        if (rejected) return callback(refuse(rejected, 550));
        const deferred = options.deferRecipients?.(address.address);
        if (deferred) return callback(refuse(deferred, 450));
        callback();
      },
      onData(stream: SMTPServerDataStream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('error', (err: Error) => callback(err));
        stream.on('end', () => {
          if (stream.sizeExceeded) return callback(refuse('Message exceeds the size limit', 552));
          receive(Buffer.concat(chunks), session).then(
            (message) => {
              caught.push(message);
              events.emit('message', message);
              callback(null, `Queued as ${message.id}`);
            },
            (err: unknown) => callback(refuse(`Could not store the message: ${String(err)}`, 451)),
          );
        });
      },
    });
    // Without a listener an 'error' (e.g. a client resetting mid-session) would crash the test process.
    server.on('error', () => undefined);
    return server;
  }

  function listen(server: SMTPServer, port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      const onError = (err: Error): void => reject(err);
      server.server.once('error', onError);
      server.listen(port, host, () => {
        server.server.off('error', onError);
        resolve((server.server.address() as AddressInfo).port);
      });
    });
  }

  const close = (server: SMTPServer): Promise<void> => new Promise((resolve) => server.close(() => resolve()));

  let server: SMTPServer | null = createServer();
  const port = await listen(server, options.port ?? 0);
  let stopped = false;

  const matching = (predicate: (m: CaughtMessage) => boolean): CaughtMessage[] => caught.filter(predicate);

  const sink: SmtpSink = {
    port,
    host,
    url: `${options.secure ? 'smtps' : 'smtp'}://${host}:${port}`,
    get paused() {
      return server === null && !stopped;
    },
    messages: () => [...caught],
    waitFor(predicate, timeoutMs = DEFAULT_WAIT_MS) {
      return sink.waitForCount(1, predicate, timeoutMs).then((found) => found[0] as CaughtMessage);
    },
    waitForCount(count, predicate = () => true, timeoutMs = DEFAULT_WAIT_MS) {
      const now = matching(predicate);
      if (now.length >= count) return Promise.resolve(now.slice(0, count));
      return new Promise((resolve, reject) => {
        const onMessage = (): void => {
          const found = matching(predicate);
          if (found.length >= count) {
            clearTimeout(timer);
            events.off('message', onMessage);
            resolve(found.slice(0, count));
          }
        };
        const timer = setTimeout(() => {
          events.off('message', onMessage);
          reject(new Error(`SMTP sink: ${matching(predicate).length}/${count} matching messages after ${timeoutMs} ms (caught ${caught.length} in total)`));
        }, timeoutMs);
        events.on('message', onMessage);
      });
    },
    async clear() {
      caught.length = 0;
      if (!options.storeDir) return;
      for (const name of await readdir(options.storeDir)) {
        const id = name.replace(/\.(json|eml)$/, '');
        if (ID_PATTERN.test(id) && id !== name) await unlink(join(options.storeDir, name)).catch(() => undefined);
      }
    },
    async pause() {
      if (!server) return;
      const current = server;
      server = null;
      await close(current);
    },
    async resume() {
      if (stopped) throw new Error('SMTP sink was stopped; start a new one');
      if (server) return;
      const next = createServer();
      await listen(next, port);
      server = next;
    },
    async stop() {
      stopped = true;
      if (!server) return;
      const current = server;
      server = null;
      await close(current);
    },
  };
  return sink;
}

/** Lists the messages a sink persisted to storeDir, oldest first; a missing directory is an empty list. */
export async function readCaughtMessages(storeDir: string): Promise<CaughtMessage[]> {
  let names: string[];
  try {
    names = await readdir(storeDir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const messages: CaughtMessage[] = [];
  for (const name of names) {
    if (!name.endsWith('.json') || !ID_PATTERN.test(name.slice(0, -5))) continue;
    try {
      messages.push(JSON.parse(await readFile(join(storeDir, name), 'utf8')) as CaughtMessage);
    } catch {
      // A file removed by clear() between readdir and readFile is simply gone.
    }
  }
  return messages.sort((a, b) => a.receivedAt.localeCompare(b.receivedAt) || a.id.localeCompare(b.id));
}

/** The raw RFC 5322 source of one persisted message (for a "download .eml" link), or null. */
export async function readCaughtRaw(storeDir: string, id: string): Promise<Buffer | null> {
  // The id comes from a URL in the web app: only ids of our own shape can name a file.
  if (!ID_PATTERN.test(id)) return null;
  try {
    return await readFile(join(storeDir, `${id}.eml`));
  } catch {
    return null;
  }
}
