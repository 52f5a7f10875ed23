// `npm run bench -- sqlite`: workflow starts per second on the Temporal dev server with its SQLite file,
// with the default pragmas and with the WAL journaling the launcher uses.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { freePort, startTemporalDevServer } from '../../deploy/local/stack';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { resolveBinary } = require('../../deploy/local/binaries.js') as typeof import('../../deploy/local/binaries');

async function startsPerSecond(pragmas: boolean, count: number, concurrency: number): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'dondoc-bench-'));
  const cli = resolveBinary('cli', { allowSdkDownload: false });
  const server = await startTemporalDevServer({
    cliPath: cli.path!,
    dbFile: join(dir, 'dev.sqlite'),
    port: await freePort(),
    uiPort: null,
    namespace: 'default',
    log: () => undefined,
    sqlitePragmas: pragmas ? undefined : [],
  });
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection });
  try {
    // Warm-up so both runs measure a steady state.
    await client.workflow.start('benchNoop', { workflowId: 'warmup', taskQueue: 'bench-no-worker' });
    let next = 0;
    const started = Date.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (let i = next++; i < count; i = next++) {
          await client.workflow.start('benchNoop', { workflowId: `bench-${i}`, taskQueue: 'bench-no-worker' });
        }
      }),
    );
    return count / ((Date.now() - started) / 1000);
  } finally {
    await connection.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchSqlite(args: string[]): Promise<void> {
  const count = Number(args[0] ?? 2000);
  const concurrency = Number(args[1] ?? 16);
  const plain = await startsPerSecond(false, count, concurrency);
  const wal = await startsPerSecond(true, count, concurrency);
  process.stdout.write(
    [
      `Temporal dev server, SQLite file, ${count} workflow starts, ${concurrency} in parallel:`,
      `  default pragmas:                      ${plain.toFixed(0)} starts/s`,
      `  journal_mode=wal, synchronous=normal: ${wal.toFixed(0)} starts/s`,
      `  ratio: ${(wal / plain).toFixed(2)}x`,
      '',
    ].join('\n'),
  );
}
