import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options';

/**
 * Applies pending migrations. Several processes may start together (API, worker, tests):
 * a PostgreSQL advisory lock lets exactly one of them migrate while the others wait.
 */
export async function runMigrations(url: string): Promise<string[]> {
  const ds = new DataSource(dataSourceOptions(url, 2));
  await ds.initialize();
  try {
    await ds.query('SELECT pg_advisory_lock(7331001)');
    try {
      const applied = await ds.runMigrations({ transaction: 'each' });
      return applied.map((m) => m.name);
    } finally {
      await ds.query('SELECT pg_advisory_unlock(7331001)');
    }
  } finally {
    await ds.destroy();
  }
}
