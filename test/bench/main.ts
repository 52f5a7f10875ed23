// `npm run bench -- <name> [args]`: benchmarks that print figures; never part of `npm test`.
import { benchActivation } from './activation';
import { benchAmendment } from './amendment';
import { benchCluster } from './cluster';
import { benchEmailVolume } from './email-volume';
import { benchImport } from './import';
import { benchQueries } from './queries';
import { benchSqlite } from './sqlite';

const BENCHES: Record<string, (args: string[]) => Promise<void>> = {
  activation: benchActivation,
  amendment: benchAmendment,
  sqlite: benchSqlite,
  queries: benchQueries,
  import: benchImport,
  'email-volume': benchEmailVolume,
  cluster: benchCluster,
};

const [name, ...args] = process.argv.slice(2);
const bench = name ? BENCHES[name] : undefined;
if (!bench) {
  process.stderr.write(`usage: npm run bench -- <${Object.keys(BENCHES).join('|')}> [args]\n`);
  process.exit(64);
}
bench(args).then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
