// The worker's mail side as WorkerModule providers, against the real PostgreSQL and Temporal the global setup started:
// one mailer shared by the outbox and the digest, replaceable like any provider, closed only after the worker drained.
import { Test, type TestingModule } from '@nestjs/testing';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { type AppConfig } from '@app/config';
import { Mailer } from '@app/notifications';
import { DailyDigest } from '../../apps/worker/src/notifications/digest';
import { NotificationOutbox } from '../../apps/worker/src/notifications/notification-outbox';
import { TemporalWorkerService } from '../../apps/worker/src/temporal-worker.service';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { testConfig } from '../support/harness';

/** A real mailer that remembers, when it is closed, what state the Temporal worker was in. */
class ObservedMailer extends Mailer {
  closes: string[] = [];
  workerState: () => string = () => 'unknown';
  override close(): void {
    this.closes.push(this.workerState());
    super.close();
  }
}

// The outbox and the digest keep their collaborators private; the test reads them to check the wiring, nothing else.
const mailerOf = (service: NotificationOutbox | DailyDigest): Mailer => (service as unknown as { deps: { mailer: Mailer } }).deps.mailer;
const workerOf = (service: TemporalWorkerService): { getState(): string } | undefined =>
  (service as unknown as { worker?: { getState(): string } }).worker;

describe('worker mail providers', () => {
  let config: AppConfig;

  beforeAll(() => {
    Runtime.install({ logger: new DefaultLogger('ERROR') });
    config = testConfig();
  });

  it('builds one mailer from the configuration and hands it to both the outbox and the digest', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [WorkerModule.forRoot(config)] }).compile();
    try {
      const mailer = moduleRef.get(Mailer);
      expect(mailer).toBeInstanceOf(Mailer);
      expect(mailerOf(moduleRef.get(NotificationOutbox))).toBe(mailer);
      expect(mailerOf(moduleRef.get(DailyDigest))).toBe(mailer);
      // The Message-ID domain comes from the configured From address.
      expect(mailer.messageIdFor('k')).toMatch(new RegExp(`@${config.mail.from.replace(/^.*@|>$/g, '').toLowerCase().replace(/\./g, '\\.')}>$`));
    } finally {
      await moduleRef.close();
    }
  });

  it('uses a replacement mailer everywhere, and closes it once, after the Temporal worker has stopped', async () => {
    const replacement = new ObservedMailer({ smtpUrl: config.mail.smtpUrl, from: 'Thử nghiệm <thu.nghiem@example.vn>' });
    const moduleRef: TestingModule = await Test.createTestingModule({ imports: [WorkerModule.forRoot(config)] })
      .overrideProvider(Mailer)
      .useValue(replacement)
      .compile();
    let closed = false;
    try {
      await moduleRef.init();
      expect(mailerOf(moduleRef.get(NotificationOutbox))).toBe(replacement);
      expect(mailerOf(moduleRef.get(DailyDigest))).toBe(replacement);
      const worker = workerOf(moduleRef.get(TemporalWorkerService));
      expect(worker?.getState()).toBe('RUNNING');
      replacement.workerState = () => worker?.getState() ?? 'none';
      await moduleRef.close();
      closed = true;
      expect(replacement.closes).toEqual(['STOPPED']);
    } finally {
      if (!closed) await moduleRef.close();
    }
  });
});
