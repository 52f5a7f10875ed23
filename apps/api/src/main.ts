import 'reflect-metadata';
import { loadConfigOrExit } from '@app/config';
import { runMigrations } from '@app/persistence';
import { createApiApp } from './bootstrap';
import { loadSampleData } from './sample-data';
import { resolve } from 'node:path';
import { createLogger } from '@app/logging';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  await runMigrations(config.database.url);
  const app = await createApiApp(config);
  if (config.sampleData.enabled) {
    // dist/apps/api/src → the repository root holds the sample files.
    await loadSampleData(app, resolve(__dirname, '..', '..', '..', '..'), createLogger('api', config.log.level), config.sampleData.password);
  }
  await app.listen(config.http.port, config.http.host);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
