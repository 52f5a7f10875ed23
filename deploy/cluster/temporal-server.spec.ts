import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { DEFAULT_HISTORY_SHARDS, DYNAMIC_CONFIG, pgServerOf, temporalPorts, writeTemporalConfig } from './temporal-server';

interface SqlStore {
  sql: { pluginName: string; databaseName: string; connectAddr: string; user: string; password: string };
}
interface ServerYaml {
  persistence: { defaultStore: string; visibilityStore: string; numHistoryShards: number; datastores: Record<string, SqlStore> };
  services: Record<string, { rpc: { grpcPort: number; membershipPort: number; bindOnLocalHost: boolean; httpPort?: number } }>;
  clusterMetadata: { clusterInformation: { active: { rpcAddress: string } } };
  global: { metrics: { prometheus: { listenAddress: string } } };
  dynamicConfigClient: { filepath: string };
}

describe('the Temporal server configuration', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dondoc-temporal-config-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('puts both stores on PostgreSQL with the credentials of the app database, whatever characters they hold', () => {
    const pg = pgServerOf('postgres://tem%3Aporal:p%40ss%22w%3Ard%27@db.example:6543/dondoc');
    expect(pg).toEqual({ host: 'db.example', port: 6543, user: 'tem:poral', password: 'p@ss"w:rd\'' });
    const config = writeTemporalConfig({ root: dir, basePort: 8410, pg });
    const yaml = load(readFileSync(join(dir, 'config', 'cluster.yaml'), 'utf8')) as ServerYaml;
    const stores = yaml.persistence.datastores;
    expect(stores[yaml.persistence.defaultStore].sql).toMatchObject({
      pluginName: 'postgres12',
      databaseName: 'temporal',
      connectAddr: 'db.example:6543',
      user: 'tem:poral',
      password: 'p@ss"w:rd\'',
    });
    expect(stores[yaml.persistence.visibilityStore].sql).toMatchObject({ pluginName: 'postgres12', databaseName: 'temporal_visibility' });
    expect(yaml.persistence.numHistoryShards).toBe(DEFAULT_HISTORY_SHARDS);
    expect(DEFAULT_HISTORY_SHARDS).toBe(16);
    // Four services, each on its own gRPC and membership port, all on loopback; the frontend also serves HTTP.
    const ports = temporalPorts(8410);
    expect(yaml.services.frontend.rpc).toEqual({ grpcPort: 8410, membershipPort: 8415, bindOnLocalHost: true, httpPort: 8411 });
    const all = Object.values(yaml.services).flatMap((s) => [s.rpc.grpcPort, s.rpc.membershipPort, ...(s.rpc.httpPort ? [s.rpc.httpPort] : [])]);
    expect(new Set(all).size).toBe(all.length);
    expect(Object.values(yaml.services).every((s) => s.rpc.bindOnLocalHost)).toBe(true);
    expect(yaml.clusterMetadata.clusterInformation.active.rpcAddress).toBe(config.address);
    expect(yaml.global.metrics.prometheus.listenAddress).toBe(`127.0.0.1:${ports.metrics}`);
    expect(load(readFileSync(yaml.dynamicConfigClient.filepath, 'utf8'))).toHaveProperty(['system.forceSearchAttributesCacheRefreshOnRead', 0, 'value'], true);
    expect(config.args).toEqual(['--config-file', join(dir, 'config', 'cluster.yaml'), '--allow-no-auth', 'start']);
  });

  it('gives the compose Temporal the same dynamic configuration, store pools and history shards as the process cluster', () => {
    const docker = join(__dirname, '..', 'docker', 'temporal');
    expect(load(readFileSync(join(docker, 'dynamicconfig.yaml'), 'utf8'))).toEqual(load(DYNAMIC_CONFIG));
    const config = writeTemporalConfig({ root: dir, basePort: 8410, pg: pgServerOf('postgres://u:p@127.0.0.1:5432/dondoc') });
    const ours = load(readFileSync(join(config.root, 'config', 'cluster.yaml'), 'utf8')) as ServerYaml;
    // The compose file is a Go template (credentials from the environment): compare the pool lines only.
    const pools = [...readFileSync(join(docker, 'docker.yaml'), 'utf8').matchAll(/maxConns: (\d+)/g)].map((m) => Number(m[1]));
    const stores = ours.persistence.datastores as unknown as Record<string, { sql: { maxConns: number } }>;
    expect(pools).toEqual([stores[ours.persistence.defaultStore]!.sql.maxConns, stores[ours.persistence.visibilityStore]!.sql.maxConns]);
    expect([...readFileSync(join(docker, 'docker.yaml'), 'utf8').matchAll(/numHistoryShards: (\d+)/g)].map((m) => Number(m[1]))).toEqual([ours.persistence.numHistoryShards]);
  });

  it('refuses ports Temporal cannot store (membership ports live in a smallint column)', () => {
    expect(() => writeTemporalConfig({ root: dir, basePort: 32760, pg: pgServerOf('postgres://u:p@127.0.0.1/x') })).toThrow(/below 32768/);
  });
});
