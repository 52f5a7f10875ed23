// A database of its own on the suite's PostgreSQL server, migrated, for a suite whose data must not meet the
// shared database's (sample accounts other suites change, demo plans other suites make).
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { runMigrations } from '@app/persistence';

export interface OwnDatabase {
  url: string;
  drop(): Promise<void>;
}

async function onServer(sql: string): Promise<void> {
  const client = new Client({ connectionString: process.env.DONDOC_TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export async function createOwnDatabase(prefix: string): Promise<OwnDatabase> {
  if (!/^[a-z][a-z0-9_]{0,30}$/.test(prefix)) throw new Error(`not a database name prefix: ${prefix}`);
  const name = `${prefix}_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  await onServer(`CREATE DATABASE ${name}`);
  const url = new URL(process.env.DONDOC_TEST_DATABASE_URL!);
  url.pathname = `/${name}`;
  await runMigrations(url.toString());
  return { url: url.toString(), drop: () => onServer(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}
