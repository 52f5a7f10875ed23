// The worker app with real mail, as the email suites use it: a database handle with the sample organisation
// loaded, an SMTP sink on loopback, the worker on its own task queue, and a Temporal client for that queue.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type INestApplicationContext } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import { DataSource } from 'typeorm';
import { loadOrganisationDirectory } from '@app/domain';
import { type SmtpSink, startSmtpSink } from '@app/notifications';
import { dataSourceOptions, TypeormOrganisationRepository } from '@app/persistence';
import { startWorkerApp, testConfig } from './harness';

export interface MailWorker {
  ds: DataSource;
  sink: SmtpSink;
  app: INestApplicationContext;
  client: Client;
  taskQueue: string;
  close(): Promise<void>;
}

/** `settings`: the suite's mail settings (MAIL_FROM, quiet hours, batch timing …); SMTP_URL points at the sink. */
export async function startMailWorker(settings: Record<string, string>, poolSize = 4): Promise<MailWorker> {
  const ds = await new DataSource(dataSourceOptions(process.env.DONDOC_TEST_DATABASE_URL!, poolSize)).initialize();
  const yaml = readFileSync(join(__dirname, '../../deploy/seed/van-quan/organisation.yaml'), 'utf8');
  await new TypeormOrganisationRepository(ds).seedIfEmpty(loadOrganisationDirectory(yaml).file);
  const sink = await startSmtpSink();
  const config = testConfig({ SMTP_URL: sink.url, ...settings });
  const app = await startWorkerApp(config);
  const connection = await Connection.connect({ address: config.temporal.address });
  const client = new Client({ connection, namespace: config.temporal.namespace });
  return {
    ds,
    sink,
    app,
    client,
    taskQueue: config.temporal.taskQueue,
    close: async () => {
      await app.close();
      await connection.close();
      await sink.stop();
      await ds.destroy();
    },
  };
}
