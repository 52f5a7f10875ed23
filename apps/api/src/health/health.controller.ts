import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Request, type Response } from 'express';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { DataSource } from 'typeorm';
import { temporal } from '@temporalio/proto';
import { TemporalClientProvider } from '@app/temporal';
import { AuthService } from '../auth/auth.service';
import { SESSION_COOKIE } from '../auth/auth.types';
import { Public } from '../auth/decorators';

type Check = { status: 'up' | 'down'; detail?: string; latencyMs?: number };

async function timed(fn: () => Promise<string | undefined>): Promise<Check> {
  const started = Date.now();
  try {
    const detail = await fn();
    return { status: 'up', latencyMs: Date.now() - started, ...(detail ? { detail } : {}) };
  } catch (err) {
    return { status: 'down', detail: err instanceof Error ? err.message : String(err) };
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms).unref())]);
}

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly ds: DataSource,
    private readonly temporalClient: TemporalClientProvider,
    private readonly auth: AuthService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** In production only a signed-in user sees which part is down and why (it names hosts and queues). */
  private async detailed(req: Request): Promise<boolean> {
    if (this.config.env !== 'production') return true;
    const token = (req.cookies as Record<string, unknown> | undefined)?.[SESSION_COOKIE];
    return typeof token === 'string' && token !== '' && (await this.auth.resolve(token)) !== null;
  }

  @Get()
  @ApiOperation({ summary: 'Database, Temporal and worker status; 200 only when all are up (details need a session in production)' })
  async health(@Req() req: Request, @Res() res: Response): Promise<void> {
    const { client, taskQueue } = this.temporalClient;
    const [database, temporalCheck] = await Promise.all([
      timed(async () => {
        await withTimeout(this.ds.query('SELECT 1'), 3000, 'PostgreSQL');
        return undefined;
      }),
      timed(async () => {
        // A gRPC deadline (not a race) so that no retry outlives the request.
        await client.connection.withDeadline(Date.now() + 3000, () => client.workflowService.getSystemInfo({}));
        return undefined;
      }),
    ]);
    const worker: Check =
      temporalCheck.status === 'down'
        ? { status: 'down', detail: 'Temporal is unreachable' }
        : await timed(async () => {
            const res = await client.connection.withDeadline(Date.now() + 3000, () =>
              client.workflowService.describeTaskQueue({
                namespace: client.options.namespace,
                taskQueue: { name: taskQueue },
                taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
              }),
            );
            // Temporal lists a stopped poller for minutes; only one seen within a long-poll interval counts.
            const recent = Date.now() - 90_000;
            const pollers = (res.pollers ?? []).filter((p) => {
              const seconds = p.lastAccessTime?.seconds;
              return seconds == null || Number(seconds) * 1000 >= recent;
            }).length;
            if (pollers === 0) throw new Error(`no worker polls task queue ${taskQueue}`);
            return `${pollers} poller(s) on ${taskQueue}`;
          });
    const checks = { database, temporal: temporalCheck, worker };
    const up = Object.values(checks).every((c) => c.status === 'up');
    const status = up ? 'up' : 'down';
    res.status(up ? 200 : 503).json((await this.detailed(req)) ? { status, checks } : { status });
  }
}
