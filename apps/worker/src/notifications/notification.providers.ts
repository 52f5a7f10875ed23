import { type Provider } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { Mailer } from '@app/notifications';
import { NotificationPreferencesRepository, OrganisationRepository, OutboxRepository } from '@app/persistence';
import { TemporalClientProvider } from '@app/temporal';
import { BatchRules } from './batching';
import { DailyDigest } from './digest';
import { NotificationOutbox } from './notification-outbox';
import { TemporalDeliveryScheduler } from './notification.activities';

/**
 * The worker's mail side as Nest providers, built from APP_CONFIG: one mailer (one SMTP transport) shared by the
 * outbox and the digest, so a module that overrides `Mailer` (or any of these) changes what every activity uses.
 * WorkerModule closes the mailer at shutdown, after the Temporal worker has drained.
 */
export const notificationProviders: Provider[] = [
  {
    provide: Mailer,
    inject: [APP_CONFIG],
    useFactory: (config: AppConfig) =>
      new Mailer({ smtpUrl: config.mail.smtpUrl, from: config.mail.from, ...(config.mail.replyTo ? { replyTo: config.mail.replyTo } : {}) }),
  },
  {
    provide: TemporalDeliveryScheduler,
    inject: [TemporalClientProvider, APP_CONFIG],
    useFactory: (temporal: TemporalClientProvider, config: AppConfig) => new TemporalDeliveryScheduler(temporal.client, config.temporal.taskQueue),
  },
  {
    provide: NotificationOutbox,
    inject: [APP_CONFIG, OutboxRepository, OrganisationRepository, DataSource, Mailer, NotificationPreferencesRepository],
    useFactory: (
      config: AppConfig,
      outbox: OutboxRepository,
      organisation: OrganisationRepository,
      dataSource: DataSource,
      mailer: Mailer,
      preferences: NotificationPreferencesRepository,
    ) =>
      new NotificationOutbox({
        outbox,
        organisation,
        dataSource,
        mailer,
        settings: { publicUrl: config.http.publicUrl, secretKey: config.secretKey },
        preferences,
        batching: new BatchRules(config.mail.batching),
      }),
  },
  {
    provide: DailyDigest,
    inject: [APP_CONFIG, DataSource, OutboxRepository, OrganisationRepository, NotificationPreferencesRepository, Mailer, TemporalDeliveryScheduler],
    useFactory: (
      config: AppConfig,
      dataSource: DataSource,
      outbox: OutboxRepository,
      organisation: OrganisationRepository,
      preferences: NotificationPreferencesRepository,
      mailer: Mailer,
      scheduler: TemporalDeliveryScheduler,
    ) =>
      new DailyDigest({
        dataSource,
        outbox,
        organisation,
        preferences,
        mailer,
        scheduler,
        settings: { publicUrl: config.http.publicUrl, secretKey: config.secretKey },
      }),
  },
];
