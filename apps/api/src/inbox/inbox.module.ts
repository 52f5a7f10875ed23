import { Module } from '@nestjs/common';
import { AssignmentDetailService } from './assignment-detail.service';
import { InboxController } from './inbox.controller';

@Module({
  controllers: [InboxController],
  providers: [AssignmentDetailService],
  exports: [AssignmentDetailService],
})
export class InboxModule {}
