import { randomUUID } from 'node:crypto';
import { type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import cookieParser from 'cookie-parser';
import { json, urlencoded } from 'express';
import { pinoHttp } from 'pino-http';
import { type AppConfig } from '@app/config';
import { createLogger, PinoNestLogger } from '@app/logging';
import { ApiModule } from './api.module';
import { AllExceptionsFilter } from './common/http-exception.filter';

/** Builds the HTTP application; used by main.ts and by the integration tests alike. */
export async function createApiApp(config: AppConfig): Promise<INestApplication> {
  const logger = createLogger('api', config.log.level);
  const app = await NestFactory.create<NestExpressApplication>(ApiModule.forRoot(config), {
    logger: new PinoNestLogger(logger),
    bodyParser: false,
  });
  app.set('trust proxy', 'loopback');
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
    }),
  );
  app.use(cookieParser());
  app.use(json({ limit: '1mb' }));
  app.use(urlencoded({ extended: false, limit: '1mb' }));
  app.useGlobalFilters(new AllExceptionsFilter(logger));
  app.enableShutdownHooks();

  const openapi = new DocumentBuilder()
    .setTitle('Dondoc API')
    .setDescription('Kế hoạch, nhiệm vụ, đôn đốc: plans, assignments, reminders and escalation')
    .setVersion('0.1.0')
    .build();
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, openapi), { jsonDocumentUrl: 'docs/openapi.json' });
  return app;
}
