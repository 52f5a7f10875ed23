import { join, resolve } from 'node:path';
import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { AttachmentStorage, DiskAttachmentStorage, PostgresAttachmentStorage } from './attachment-storage';
import { AttachmentsController } from './attachments.controller';
import { AttachmentsService } from './attachments.service';

@Module({
  imports: [
    // Memory storage: the bytes are checked (type, hash) before anything reaches the store; the limit caps memory.
    MulterModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({ limits: { fileSize: config.limits.uploadBytes, files: 1, fields: 5 } }),
    }),
  ],
  controllers: [AttachmentsController],
  providers: [
    AttachmentsService,
    {
      provide: AttachmentStorage,
      inject: [APP_CONFIG, DataSource],
      useFactory: (config: AppConfig, ds: DataSource) => {
        const disk = new DiskAttachmentStorage(join(resolve(config.dataDir), 'attachments'));
        // PostgreSQL by default, reading through to files an older version left on disk (docs/deployment.md).
        return config.attachments.storage === 'disk' ? disk : new PostgresAttachmentStorage(ds, disk);
      },
    },
  ],
  exports: [AttachmentsService],
})
export class AttachmentsModule {}
