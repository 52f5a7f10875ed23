import { Module } from '@nestjs/common';
import { AssignmentDetailService } from './assignment-detail.service';
import { CoordinationQueries } from './coordination';
import { InboxController } from './inbox.controller';

@Module({
  controllers: [InboxController],
  providers: [AssignmentDetailService, CoordinationQueries],
  exports: [AssignmentDetailService],
})
export class InboxModule {}
