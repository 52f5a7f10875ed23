import { Module } from '@nestjs/common';
import { DashboardModule } from '../dashboard/dashboard.module';
import { ConsolidatedDataBuilder } from './consolidated-data';
import { ExportsController } from './exports.controller';

@Module({ imports: [DashboardModule], controllers: [ExportsController], providers: [ConsolidatedDataBuilder] })
export class ExportsModule {}
