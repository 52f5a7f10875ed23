import { join, resolve } from 'node:path';
import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { AttachmentStorage, DiskAttachmentStorage } from './attachment-storage';
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
    { provide: AttachmentStorage, inject: [APP_CONFIG], useFactory: (config: AppConfig) => new DiskAttachmentStorage(join(resolve(config.dataDir), 'attachments')) },
  ],
  exports: [AttachmentsService],
})
export class AttachmentsModule {}
