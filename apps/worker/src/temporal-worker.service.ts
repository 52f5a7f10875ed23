import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { NativeConnection, Worker } from '@temporalio/worker';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { AssignmentReadModel } from '@app/persistence';
import { createAssignmentActivities } from './assignment.activities';

export const WORKFLOW_BUNDLE_PATH = join(__dirname, '..', '..', '..', 'workflow-bundle.js');

/** Where the worker gets workflow code: the pre-built bundle in production, the sources otherwise. */
export function workflowSource(): { workflowBundle: { codePath: string } } | { workflowsPath: string } {
  const fromEnv = process.env.WORKFLOW_BUNDLE_PATH;
  if (fromEnv) return { workflowBundle: { codePath: fromEnv } };
  if (existsSync(WORKFLOW_BUNDLE_PATH)) return { workflowBundle: { codePath: WORKFLOW_BUNDLE_PATH } };
  return { workflowsPath: require.resolve('../../../workflows') };
}

@Injectable()
export class TemporalWorkerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private worker?: Worker;
  private connection?: NativeConnection;
  private running?: Promise<void>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly readModel: AssignmentReadModel,
    private readonly dataSource: DataSource,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.connection = await NativeConnection.connect({ address: this.config.temporal.address });
    this.worker = await Worker.create({
      connection: this.connection,
      namespace: this.config.temporal.namespace,
      taskQueue: this.config.temporal.taskQueue,
      ...workflowSource(),
      activities: createAssignmentActivities({ readModel: this.readModel, dataSource: this.dataSource }),
    });
    this.running = this.worker.run();
    // A worker that dies on its own must take the process down, or health would lie.
    this.running.catch((err: unknown) => {
      process.stderr.write(`Temporal worker stopped: ${String(err)}\n`);
      process.exit(1);
    });
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.worker && this.worker.getState() === 'RUNNING') this.worker.shutdown();
    await this.running?.catch(() => undefined);
    await this.connection?.close();
  }
}
