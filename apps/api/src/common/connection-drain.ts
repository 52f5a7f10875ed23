import { type Server, type ServerResponse } from 'node:http';
import { type BeforeApplicationShutdown, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { type NextFunction, type Request, type Response } from 'express';

/**
 * Lets a stopping replica finish quickly without failing a request. Behind a proxy that keeps connections
 * alive (nginx in the cluster, docs/cluster.md), closing the listening socket is not enough: the proxy keeps
 * sending requests over the connections it already holds, so `server.close()` waits until the supervisor's
 * SIGKILL. Once shutdown begins, every response still to be written says `Connection: close` (the proxy then
 * sends its next request elsewhere), requests being handled are waited for, and connections that fall idle
 * afterwards are closed. A request already being handled is never cut off: forcing connections closed would.
 */
/** How long a stopping replica waits for the requests it is handling before the server closes. */
export const DRAIN_GRACE_MS = 10_000;

@Injectable()
export class ConnectionDrain implements BeforeApplicationShutdown, OnApplicationShutdown {
  private draining = false;
  private readonly inFlight = new Set<ServerResponse>();
  private sweep: NodeJS.Timeout | undefined;

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  readonly middleware = (_req: Request, res: Response, next: NextFunction): void => {
    if (this.draining) res.setHeader('Connection', 'close');
    else {
      this.inFlight.add(res);
      res.once('close', () => this.inFlight.delete(res));
    }
    next();
  };

  /**
   * Runs before Nest closes the HTTP server (NestApplication.dispose). Stops listening at once, so a proxy's new
   * connections are refused and go to another replica straight away (nginx marks this one down only briefly);
   * requests already being handled are answered (at most DRAIN_GRACE_MS), each with `Connection: close`, and a
   * kept-alive connection is closed as soon as it falls idle.
   */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    for (const res of this.inFlight) if (!res.headersSent) res.setHeader('Connection', 'close');
    const server = this.adapterHost.httpAdapter?.getHttpServer() as Server | undefined;
    if (server?.listening) {
      // Nest's own close comes later and finds it closed; its callback's "not running" error is ignored there.
      server.close();
      this.sweep = setInterval(() => server.closeIdleConnections(), 100);
      this.sweep.unref();
      server.once('close', () => this.stopSweeping());
    }
    const until = Date.now() + DRAIN_GRACE_MS;
    while (this.inFlight.size > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 25));
  }

  onApplicationShutdown(): void {
    this.stopSweeping();
  }

  private stopSweeping(): void {
    if (this.sweep) clearInterval(this.sweep);
    this.sweep = undefined;
  }
}
