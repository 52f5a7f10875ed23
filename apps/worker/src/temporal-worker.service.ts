import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type BeforeApplicationShutdown, Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { AssignmentReadModel, OrganisationRepository, OutboxRepository, PlanRepository } from '@app/persistence';
import { explainTemporalConnectionError, TemporalClientProvider, temporalConnectionOptions } from '@app/temporal';
import { tracingEnabled, workerTracingOptions } from '@app/observability';
import { createActivationActivities } from './activation/activation.activities';
import { createPlanControlActivities } from './plan-control/plan-control.activities';
import { createAmendmentActivities } from './plan-control/amendment.activities';
import { createAssignmentActivities } from './assignment.activities';
import { DailyDigest } from './notifications/digest';
import { createDigestActivities, createNotificationActivities, ensureDigestSchedule, TemporalDeliveryScheduler } from './notifications/notification.activities';
import { NotificationOutbox } from './notifications/notification-outbox';

export const WORKFLOW_BUNDLE_PATH = join(__dirname, '..', '..', '..', 'workflow-bundle.js');
/** The same workflows with the tracing interceptors (deploy/scripts/build-workflow-bundle.ts). */
export const TRACED_WORKFLOW_BUNDLE_PATH = join(__dirname, '..', '..', '..', 'workflow-bundle-traced.js');

/**
 * Where the worker gets workflow code: WORKFLOW_BUNDLE_PATH when set; else the pre-built bundle, with the tracing
 * interceptors only when tracing is on (they cost ~0.6 MiB per cached workflow, docs/operations.md); else the sources.
 */
export function workflowSource(configured: string | undefined, tracing: boolean): { workflowBundle: { codePath: string } } | { workflowsPath: string } {
  if (configured) return { workflowBundle: { codePath: configured } };
  const built = tracing ? TRACED_WORKFLOW_BUNDLE_PATH : WORKFLOW_BUNDLE_PATH;
  if (existsSync(built)) return { workflowBundle: { codePath: built } };
  return { workflowsPath: require.resolve('../../../workflows') };
}

@Injectable()
export class TemporalWorkerService implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private worker?: Worker;
  private connection?: NativeConnection;
  private running?: Promise<void>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly readModel: AssignmentReadModel,
    private readonly outboxRepository: OutboxRepository,
    private readonly organisation: OrganisationRepository,
    private readonly temporalClient: TemporalClientProvider,
    private readonly plans: PlanRepository,
    // The mail side comes from WorkerModule's providers (notification.providers.ts), which own its lifecycle.
    private readonly outbox: NotificationOutbox,
    private readonly scheduler: TemporalDeliveryScheduler,
    private readonly digest: DailyDigest,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // A TLS or address mistake surfaces here at start: name the setting instead of a bare transport error.
    this.connection = await NativeConnection.connect(temporalConnectionOptions(this.config)).catch((err: unknown) => {
      throw explainTemporalConnectionError(err, this.config);
    });
    const notifications = { outbox: this.outbox, scheduler: this.scheduler };
    const source = workflowSource(this.config.temporal.workflowBundlePath, tracingEnabled());
    this.worker = await Worker.create({
      connection: this.connection,
      namespace: this.config.temporal.namespace,
      taskQueue: this.config.temporal.taskQueue,
      ...source,
      // Tracing interceptors and the workflow-span sink (libs/observability; inert when tracing is off).
      ...workerTracingOptions('workflowBundle' in source),
      // A restart (deploy, `npm run dev` reloading the worker) lets running activities finish before they are
      // cancelled, and gives up after shutdownForceTime so a hung activity cannot keep the old process alive.
      shutdownGraceTime: '10s',
      shutdownForceTime: '30s',
      // Explicit sizing instead of the SDK's heap-derived defaults: a bounded cache keeps memory per worker
      // predictable (docs/operations.md "Worker sizing"); evicted runs are replayed from history when needed.
      maxCachedWorkflows: this.config.worker.maxCachedWorkflows,
      maxConcurrentWorkflowTaskExecutions: this.config.worker.maxConcurrentWorkflowTasks,
      maxConcurrentActivityTaskExecutions: this.config.worker.maxConcurrentActivities,
      workflowTaskPollerBehavior: pollerBehavior(this.config.worker.pollers, this.config.worker.maxConcurrentWorkflowTasks),
      activityTaskPollerBehavior: pollerBehavior(this.config.worker.pollers, this.config.worker.maxConcurrentActivities),
      reuseV8Context: this.config.worker.reuseV8Context,
      stickyQueueScheduleToStartTimeout: `${this.config.worker.stickyTimeoutSeconds}s`,
      activities: { ...createAssignmentActivities({ readModel: this.readModel, outbox: this.outboxRepository, notifications }), ...createNotificationActivities(this.outbox), ...createDigestActivities(this.digest),
        ...createPlanControlActivities({ plans: this.plans, organisation: this.organisation, readModel: this.readModel, client: this.temporalClient.client }),
        ...createActivationActivities({ plans: this.plans, organisation: this.organisation, client: this.temporalClient.client, taskQueue: this.config.temporal.taskQueue }),
        ...createAmendmentActivities({ plans: this.plans, organisation: this.organisation, client: this.temporalClient.client, taskQueue: this.config.temporal.taskQueue }),
      },
    });
    // Test files each run their own worker and task queue; one shared schedule would point at whichever started last.
    if (this.config.env !== 'test') await ensureDigestSchedule(this.temporalClient.client, { taskQueue: this.config.temporal.taskQueue });
    this.running = this.worker.run();
    // A worker that dies on its own must take the process down, or health would lie.
    this.running.catch((err: unknown) => {
      process.stderr.write(`Temporal worker stopped: ${String(err)}\n`);
      process.exit(1);
    });
  }

  /**
   * Drains before any module's onApplicationShutdown: activities still running need the database pool and the
   * Temporal client, which PersistenceModule and TemporalModule close in theirs. shutdown() stops polling and
   * lets the workflow tasks in hand complete: one dropped half-way would sit out the workflow task timeout (10 s)
   * before another worker could take it. What a drain cannot prevent: docs/layout.md.
   */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.worker && this.worker.getState() === 'RUNNING') this.worker.shutdown();
    await this.running?.catch(() => undefined);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.beforeApplicationShutdown();
    await this.connection?.close();
  }
}

/**
 * Task polls: with a fixed maximum the SDK keeps 10, and only 2 of them on the queue shared by all workers, where
 * a workflow that is not in a worker's cache (and a killed worker's work) waits; 1,000 deadlines due at once then
 * queue there for minutes. Autoscaling adds polls while the server reports a backlog, up to the task slots
 * (docs/operations.md, "Timer lateness").
 */
export function pollerBehavior(pollers: 'auto' | number, slots: number): NonNullable<WorkerOptions['workflowTaskPollerBehavior']> {
  if (pollers === 'auto') return { type: 'autoscaling', minimum: 2, initial: Math.min(5, slots), maximum: slots };
  return { type: 'simple-maximum', maximum: Math.min(pollers, slots) };
}
