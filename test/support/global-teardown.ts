import { rmSync } from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  for (const service of globalThis.__DONDOC_SERVICES__ ?? []) {
    await service.stop().catch((err: unknown) => process.stderr.write(`[test-teardown] ${String(err)}\n`));
  }
  const work = process.env.DONDOC_TEST_WORK_DIR;
  if (work) rmSync(work, { recursive: true, force: true });
}
