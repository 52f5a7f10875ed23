import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Inject, Logger, Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import express, { type NextFunction, type Request, type Response } from 'express';
import { type AppConfig, APP_CONFIG } from '@app/config';
import { SignedLinkController } from './signed-link.controller';

/** Paths the API owns: never answered with the web UI, so an unknown API route stays a JSON 404. */
const API_PATHS = /^\/(api|docs|health)(\/|$)/;
/** Vite names every asset by content hash, so a given URL never changes and may be cached for a year. */
const HASHED_ASSET = /^\/assets\//;

/**
 * `override` (WEB_DIST_DIR) if it holds a build; otherwise apps/web/dist, found from this file whether it runs from
 * source (ts) or from the compiled dist/.
 */
export function findWebDist(override?: string, start = __dirname): string | null {
  if (override) return existsSync(join(override, 'index.html')) ? override : null;
  for (let dir = start; ; dir = dirname(dir)) {
    const candidate = join(dir, 'apps', 'web', 'dist');
    if (existsSync(join(candidate, 'index.html'))) return candidate;
    if (dirname(dir) === dir) return null;
  }
}

/** Serves the built web UI: static files, then index.html for every other GET outside the API (SPA routes). */
@Module({ controllers: [SignedLinkController] })
export class WebModule implements OnModuleInit {
  private readonly logger = new Logger('WebModule');

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  // Registered at init, after the controllers' routes and before Nest's not-found handler.
  onModuleInit(): void {
    const dist = findWebDist(this.config.web.distDir);
    if (!dist) {
      this.logger.warn('apps/web/dist not found: the web UI is not served (build it with `npx vite build --config apps/web/vite.config.ts`)');
      return;
    }
    const app = this.adapterHost.httpAdapter;
    const assets = express.static(dist, {
      index: false,
      fallthrough: true,
      setHeaders: (res, _path) => {
        const url = (res.req as Request).path;
        res.setHeader('Cache-Control', HASHED_ASSET.test(url) ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
    const indexFile = join(dist, 'index.html');
    app.use((req: Request, res: Response, next: NextFunction) => {
      if ((req.method !== 'GET' && req.method !== 'HEAD') || API_PATHS.test(req.path)) return next();
      assets(req, res, () => {
        // A missing hashed asset is a real 404, not the app shell (a stale tab would otherwise parse HTML as JS).
        if (HASHED_ASSET.test(req.path)) return next();
        res.setHeader('Cache-Control', 'no-cache');
        res.sendFile(indexFile, (err) => err && next(err));
      });
    });
  }
}
