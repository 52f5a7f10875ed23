import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Mailer } from './mailer';
import { readCaughtMessages, readCaughtRaw, startSmtpSink, type SmtpSink } from './smtp-sink';

describe('SMTP sink', () => {
  let dir: string;
  let sut: SmtpSink;
  let mailer: Mailer;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dondoc-sink-'));
    sut = await startSmtpSink({ storeDir: dir });
    mailer = new Mailer({ smtpUrl: sut.url, from: 'Dondoc <no-reply@vanquan.gov.vn>' });
  });
  afterEach(async () => {
    await sut.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('persists messages so another process can list them and fetch the raw source', async () => {
    await mailer.send({ to: ['a@x.vn'], subject: 'Thư 1 – tiếng Việt', text: 'Nội dung', html: '<p>Nội dung</p>', messageId: mailer.messageIdFor('1') });
    await mailer.send({ to: ['b@x.vn'], cc: ['c@x.vn'], subject: 'Thư 2', text: 'x', html: 'x', messageId: mailer.messageIdFor('2'), attachments: [{ filename: 'bao-cao.csv', content: 'a,b\n1,2\n' }] });

    const listed = await readCaughtMessages(dir);
    expect(listed.map((m) => m.subject)).toEqual(['Thư 1 – tiếng Việt', 'Thư 2']);
    expect(listed[1]?.attachments).toEqual([{ filename: 'bao-cao.csv', contentType: 'text/csv', size: 8 }]);
    expect(listed).toEqual(sut.messages());
    const raw = await readCaughtRaw(dir, listed[0]?.id ?? '');
    expect(raw?.toString('utf8')).toContain(`Message-ID: ${mailer.messageIdFor('1')}`);
    expect(await readCaughtRaw(dir, '../../etc/passwd')).toBeNull();
  });

  it('clear() forgets messages in memory and on disk', async () => {
    await mailer.send({ to: ['a@x.vn'], subject: 's', text: 't', html: 't', messageId: mailer.messageIdFor('c') });
    await sut.clear();
    expect(sut.messages()).toEqual([]);
    expect(await readdir(dir)).toEqual([]);
  });

  it('waitFor rejects after the timeout when nothing matches, and waitForCount counts', async () => {
    await expect(sut.waitFor((m) => m.subject === 'never', 50)).rejects.toThrow(/0\/1 matching/);
    const pending = sut.waitForCount(2, (m) => m.to.some((a) => a.address === 'a@x.vn'), 5000);
    await mailer.send({ to: ['a@x.vn'], subject: '1', text: 't', html: 't', messageId: mailer.messageIdFor('w1') });
    await mailer.send({ to: ['a@x.vn'], subject: '2', text: 't', html: 't', messageId: mailer.messageIdFor('w2') });
    expect((await pending).map((m) => m.subject)).toEqual(['1', '2']);
  });

  it('pause() refuses connections and resume() listens on the same port again', async () => {
    await sut.pause();
    expect(sut.paused).toBe(true);
    const net = await import('node:net');
    const refused = await new Promise<string>((resolve) => {
      const socket = net.connect(sut.port, '127.0.0.1');
      socket.on('connect', () => (socket.destroy(), resolve('connected')));
      socket.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
    });
    expect(refused).toBe('ECONNREFUSED');
    await sut.resume();
    expect(sut.paused).toBe(false);
    await mailer.send({ to: ['a@x.vn'], subject: 'back', text: 't', html: 't', messageId: mailer.messageIdFor('b') });
    expect(sut.messages().map((m) => m.subject)).toEqual(['back']);
  });

  it('lists nothing for a directory that does not exist', async () => {
    expect(await readCaughtMessages(join(dir, 'missing'))).toEqual([]);
  });
});
