import { randomUUID } from 'node:crypto';
import { type Server } from 'node:http';
import { type Duplex } from 'node:stream';
import { type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type NestExpressApplication } from '@nestjs/platform-express';
import { type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import cookieParser from 'cookie-parser';
import { json, type NextFunction, type Request, type Response, urlencoded } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import { type AppConfig } from '@app/config';
import { buildOpenApiDocument } from '@app/contracts';
import { createLogger, type DestinationStream, PinoNestLogger, redactUrl } from '@app/logging';
import { httpMetricsMiddleware, httpSpanNaming, type ProcessMetrics, tracingEnabled } from '@app/observability';
import { ApiModule } from './api.module';
import { AuthService } from './auth/auth.service';
import { SESSION_COOKIE } from './auth/auth.types';
import { ConnectionDrain } from './common/connection-drain';
import { ApiErrorCode, messageFor } from './common/errors';
import { AllExceptionsFilter, langOf } from './common/http-exception.filter';
import { methodNotAllowed } from './common/method-not-allowed';
import { rejectNul } from './common/no-nul';

/**
 * The web UI's Content-Security-Policy: scripts, styles, fonts and API calls from this origin only, no
 * framing (clickjacking), no plugins. antd writes its CSS-in-JS as <style> elements, hence 'unsafe-inline'
 * for styles only; scripts stay strict. The demo mailbox's HTML route sets a stricter policy of its own.
 */
export function contentSecurityPolicy(): Record<string, string[]> {
  return {
    'default-src': ["'self'"],
    'script-src': ["'self'"],
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:'],
    'font-src': ["'self'", 'data:'],
    'connect-src': ["'self'"],
    'object-src': ["'none'"],
    'base-uri': ["'self'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
  };
}

export interface ApiAppOptions {
  /** Where the logs go (default stdout); the log-redaction test captures them here. */
  logDestination?: DestinationStream;
  /** Records every request's latency by route template (served on METRICS_PORT by main.ts; docs/observability.md). */
  metrics?: ProcessMetrics;
}

/**
 * A request Node's HTTP parser refuses (a bad header, an unknown Transfer-Encoding) never reaches Express;
 * Node would answer a bare 400. It gets the API's error body like every other refusal.
 */
function answerClientErrorsInJson(server: Server): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (err.code === 'ECONNRESET' || !socket.writable) return void socket.destroy();
    const [status, text] = err.code === 'HPE_HEADER_OVERFLOW' ? [431, 'Request Header Fields Too Large'] : [400, 'Bad Request'];
    const body = JSON.stringify({ error: { code: ApiErrorCode.VALIDATION_FAILED, message: messageFor(ApiErrorCode.VALIDATION_FAILED, 'vi') } });
    socket.end(`HTTP/1.1 ${status} ${text}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  });
}

/** Builds the HTTP application; used by main.ts and by the integration tests alike. */
export async function createApiApp(config: AppConfig, options: ApiAppOptions = {}): Promise<INestApplication> {
  const logger = createLogger('api', config.log.level, options.logDestination);
  const app = await NestFactory.create<NestExpressApplication>(ApiModule.forRoot(config), {
    logger: new PinoNestLogger(logger),
    bodyParser: false,
  });
  app.set('trust proxy', 'loopback');
  app.disable('x-powered-by');
  // Before everything else, so that every response written after a stop signal closes its connection.
  app.use(app.get(ConnectionDrain).middleware);
  // First, so that the time measured includes every other middleware and refusals count too.
  if (options.metrics) app.use(httpMetricsMiddleware(options.metrics));
  if (tracingEnabled()) app.use(httpSpanNaming());
  app.use(
    pinoHttp({
      logger,
      genReqId: (req, res) => {
        const given = req.headers['x-request-id'];
        const id = typeof given === 'string' && /^[\w-]{1,64}$/.test(given) ? given : randomUUID();
        res.setHeader('x-request-id', id);
        return id;
      },
      autoLogging: { ignore: (req) => req.url === '/health' },
      // One short line per request: what an operator looks for (request id, method, URL, client, status, size,
      // responseTime). pino-http's default line repeated every request and response header (~1.7 KB, the same
      // security headers each time) and ran the redaction over them: a measurable share of the API's CPU under
      // load (docs/read-performance.md). Cookies and tokens are left out altogether rather than redacted.
      serializers: {
        req: (req: { id?: unknown; method?: string; url?: string; remoteAddress?: string; headers?: Record<string, string | string[] | undefined> }) => ({
          id: req.id,
          method: req.method,
          // A signed link's query (recipient address, signature) never reaches the log.
          url: redactUrl(req.url),
          remoteAddress: req.remoteAddress,
          userAgent: req.headers?.['user-agent'],
        }),
        res: (res: { statusCode?: number; headers?: Record<string, unknown> }) => ({ statusCode: res.statusCode, contentLength: res.headers?.['content-length'] }),
      },
    }),
  );
  const https = config.http.publicUrl.startsWith('https:');
  app.use(
    helmet({
      contentSecurityPolicy: { useDefaults: false, directives: contentSecurityPolicy() },
      // HSTS over plain http would be ignored by browsers, and would break a later switch to http on the same name.
      strictTransportSecurity: https ? { maxAge: 31_536_000, includeSubDomains: false } : false,
      crossOriginEmbedderPolicy: false,
      referrerPolicy: { policy: 'same-origin' },
    }),
  );
  app.use(methodNotAllowed());
  app.use(cookieParser());
  app.use(json({ limit: '1mb' }));
  app.use(urlencoded({ extended: false, limit: '1mb' }));
  app.use(rejectNul);
  app.useGlobalFilters(new AllExceptionsFilter(logger));
  answerClientErrorsInJson(app.getHttpServer() as Server);
  app.enableShutdownHooks();

  if (config.env === 'production') {
    // In production the API description is for signed-in users: it maps every route for an attacker.
    const auth = app.get(AuthService);
    app.use(['/docs', '/docs-json', '/docs/openapi.json'], (req: Request, res: Response, next: NextFunction) => {
      const token = (req.cookies as Record<string, unknown> | undefined)?.[SESSION_COOKIE];
      void (typeof token === 'string' && token !== '' ? auth.resolve(token) : Promise.resolve(null))
        .then((session) => {
          if (session) return next();
          res.status(401).json({ error: { code: ApiErrorCode.UNAUTHENTICATED, message: messageFor(ApiErrorCode.UNAUTHENTICATED, langOf(req)) } });
        })
        .catch(next);
    });
  }
  // Generated from the contracts' operation table (libs/contracts/src/openapi.ts), not from decorators.
  const openapi = buildOpenApiDocument() as unknown as OpenAPIObject;
  SwaggerModule.setup('docs', app, openapi, { jsonDocumentUrl: 'docs/openapi.json' });
  return app;
}
