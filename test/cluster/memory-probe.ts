// The production worker module in a process that can be weighed: `node --expose-gc run-ts.js memory-probe.ts`
// with the worker's environment. Each line "measure" on stdin runs a full garbage collection and answers one JSON
// line of process.memoryUsage() on stdout, so the bench reads live memory rather than RSS that V8 has not yet
// given back (on a 4 GB heap limit V8 collects lazily, so RSS alone over-counts).
import 'reflect-metadata';
import { createInterface } from 'node:readline';
import { NestFactory } from '@nestjs/core';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { loadConfigOrExit } from '@app/config';
import { runMigrations } from '@app/persistence';
import { WorkerModule } from '../../apps/worker/src/worker.module';

async function main(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc');
  const config = loadConfigOrExit();
  Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: [] });
  await runMigrations(config.database.url);
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { logger: ['error'] });
  await app.init();
  process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
  for await (const line of createInterface({ input: process.stdin })) {
    if (line.trim() !== 'measure') continue;
    gc();
    gc();
    process.stdout.write(`${JSON.stringify(process.memoryUsage())}\n`);
  }
  await app.close();
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
