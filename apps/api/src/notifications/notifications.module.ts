import { Module } from '@nestjs/common';
import { DevMailController } from './dev-mail.controller';
import { NotificationPreferencesController } from './notification-preferences.controller';
import { NotificationsController } from './notifications.controller';

/** Email admin (outbox, letters, digest preferences) and the local demo's caught mail. */
@Module({ controllers: [NotificationsController, NotificationPreferencesController, DevMailController] })
export class NotificationsModule {}
