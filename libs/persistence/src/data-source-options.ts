import { type DataSourceOptions } from 'typeorm';
import { AssignmentEventEntity } from './entities/assignment-event.entity';
import { AttachmentEntity } from './entities/attachment.entity';
import { AuditLogEntity } from './entities/audit-log.entity';
import { AssignmentEntity } from './entities/assignment.entity';
import { NotificationEntity } from './entities/notification.entity';
import { PlanEditEntity } from './entities/plan-edit.entity';
import { PlanEntity } from './entities/plan.entity';
import { SessionEntity } from './entities/session.entity';
import { UnitEntity, UnitGroupEntity } from './entities/unit.entity';
import { UserEntity } from './entities/user.entity';
import { Initial1764460000000 } from './migrations/1764460000000-Initial';
import { Outbox1764490000000 } from './migrations/1764490000000-Outbox';
import { Accounts1764470000000 } from './migrations/1764470000000-Accounts';
import { Queries1764500000000 } from './migrations/1764500000000-Queries';
import { Digests1764510000000 } from './migrations/1764510000000-Digests';
import { QuerySpeed1764520000000 } from './migrations/1764520000000-QuerySpeed';
import { Amendments1764530000000 } from './migrations/1764530000000-Amendments';
import { Security1764550000000 } from './migrations/1764550000000-Security';
import { Batches1764540000000 } from './migrations/1764540000000-Batches';
import { AttachmentChunks1764560000000 } from './migrations/1764560000000-AttachmentChunks';
import { InboxTotals1764570000000 } from './migrations/1764570000000-InboxTotals';
import { IdempotentRequests1764580000000 } from './migrations/1764580000000-IdempotentRequests';
import { InboxHourTotals1764590000000 } from './migrations/1764590000000-InboxHourTotals';

export const ENTITIES = [
  AssignmentEntity,
  AssignmentEventEntity,
  NotificationEntity,
  PlanEditEntity,
  PlanEntity,
  UnitEntity,
  UnitGroupEntity,
  UserEntity,
  SessionEntity,
  AuditLogEntity,
  AttachmentEntity,
];

/** Listed explicitly (not globbed) so the compiled app, ts-jest and the CLI all see the same set. */
export const MIGRATIONS = [Initial1764460000000, Accounts1764470000000, Outbox1764490000000, Queries1764500000000, Digests1764510000000, QuerySpeed1764520000000, Amendments1764530000000, Batches1764540000000, Security1764550000000, AttachmentChunks1764560000000, InboxTotals1764570000000, IdempotentRequests1764580000000, InboxHourTotals1764590000000];

/** The one options object shared by the apps, the tests and the migration CLI. */
export function dataSourceOptions(url: string, poolMax = 10, statementTimeoutMs?: number): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    synchronize: false,
    migrationsRun: false,
    migrationsTransactionMode: 'each',
    // node-postgres sets statement_timeout on each new connection, so every query of the pool is bounded.
    extra: statementTimeoutMs ? { max: poolMax, statement_timeout: statementTimeoutMs } : { max: poolMax },
    logging: ['error'],
  };
}
