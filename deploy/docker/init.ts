// The one-off job a container deployment runs before (re)starting the apps (compose service `init`, Kubernetes
// Job `dondoc-init`): applies the database migrations, then registers the namespace and search attributes on
// Temporal with the same connection settings as the apps (TLS, mTLS, API key), through H1's registration code.
// The apps also migrate at start (under an advisory lock), so the job is about order, not correctness: the
// registration must exist before the first worker starts a workflow that sets a search attribute.
// Usage: node deploy/local/run-ts.js deploy/docker/init.ts [--no-register]
//   --no-register  for Temporal Cloud, where namespaces and search attributes are made with tcld or the web UI
//                  (an API key for a namespace cannot create one); docs/deployment.md "Temporal Cloud".
import { ConfigError, parseConfig } from '@app/config';
import { runMigrations } from '@app/persistence';
import { describeTemporalConnection, explainTemporalConnectionError, temporalConnectionOptions } from '@app/temporal';
import { registerOn } from '../cluster/register';

async function main(argv: string[]): Promise<number> {
  const register = !argv.includes('--no-register');
  // Nothing here signs links: SECRET_KEY is not needed (production still insists on it, as for every process).
  const config = parseConfig(process.env, { requireSecret: false });
  const applied = await runMigrations(config.database.url);
  process.stdout.write(`Database: ${applied.length > 0 ? `applied ${applied.join(', ')}` : 'up to date'}\n`);
  if (!register) {
    process.stdout.write(`Temporal ${describeTemporalConnection(config)}: registration skipped (--no-register)\n`);
    return 0;
  }
  const result = await registerOn(temporalConnectionOptions(config), {
    namespace: config.temporal.namespace,
    timeoutMs: 120_000,
    log: (msg) => process.stdout.write(`${msg}\n`),
  }).catch((err: unknown) => {
    throw explainTemporalConnectionError(err, config);
  });
  process.stdout.write(
    `Temporal ${describeTemporalConnection(config)}: namespace ${result.namespaceCreated ? 'created' : 'present'}; ` +
      `search attributes ${result.added.length > 0 ? `added ${result.added.join(', ')}` : 'all present'}\n`,
  );
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`${err instanceof ConfigError ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = err instanceof ConfigError ? 78 : 1;
  },
);
