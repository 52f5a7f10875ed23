import { type DataSourceOptions } from 'typeorm';
import { AssignmentEventEntity } from './entities/assignment-event.entity';
import { AssignmentEntity } from './entities/assignment.entity';
import { NotificationEntity } from './entities/notification.entity';
import { PlanEditEntity } from './entities/plan-edit.entity';
import { PlanEntity } from './entities/plan.entity';
import { UnitEntity, UnitGroupEntity } from './entities/unit.entity';
import { Initial1764460000000 } from './migrations/1764460000000-Initial';

export const ENTITIES = [
  AssignmentEntity,
  AssignmentEventEntity,
  NotificationEntity,
  PlanEditEntity,
  PlanEntity,
  UnitEntity,
  UnitGroupEntity,
];

/** Listed explicitly (not globbed) so the compiled app, ts-jest and the CLI all see the same set. */
export const MIGRATIONS = [Initial1764460000000];

/** The one options object shared by the apps, the tests and the migration CLI. */
export function dataSourceOptions(url: string, poolMax = 10): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    synchronize: false,
    migrationsRun: false,
    migrationsTransactionMode: 'each',
    extra: { max: poolMax },
    logging: ['error'],
  };
}
