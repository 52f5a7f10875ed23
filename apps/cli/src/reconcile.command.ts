import { parseArgs } from 'node:util';
import { type Command, type CommandIo, UsageError } from './command';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `reconcile [--plan <id>] [--repair] [--json]`: compare the read model with Temporal, optionally repair. */
export const reconcileCommand: Command = {
  summary: 'reconcile [--plan <id>] [--repair] [--json]   compare the PostgreSQL read model with Temporal and repair drift',
  async run(args: string[], io: CommandIo): Promise<number> {
    const { values } = parseArgs({
      args,
      options: { plan: { type: 'string' }, repair: { type: 'boolean', default: false }, json: { type: 'boolean', default: false } },
    });
    if (values.plan && !UUID.test(values.plan)) throw new UsageError('--plan takes a plan id (uuid)');
    // Loaded here so `import` never needs a database or Temporal.
    const { parseConfig } = await import('@app/config');
    const { DataSource } = await import('typeorm');
    const { dataSourceOptions, TypeormAssignmentReadModel } = await import('@app/persistence');
    const { explainTemporalConnectionError, temporalConnectionOptions } = await import('@app/temporal');
    const { Client, Connection } = await import('@temporalio/client');
    const { reconcile } = await import('./reconcile/reconciler');

    // Reconcile signs no links: it does not need the installation's SECRET_KEY.
    const config = parseConfig(io.env, { requireSecret: false });
    const ds = await new DataSource(dataSourceOptions(config.database.url, 4)).initialize();
    const connection = await Connection.connect(temporalConnectionOptions(config)).catch(async (err: unknown) => {
      await ds.destroy();
      throw explainTemporalConnectionError(err, config);
    });
    try {
      const report = await reconcile({
        client: new Client({ connection, namespace: config.temporal.namespace }),
        readModel: new TypeormAssignmentReadModel(ds),
        planId: values.plan,
        repair: values.repair,
      });
      if (values.json) io.stdout(`${JSON.stringify(report, null, 2)}\n`);
      else {
        const byKind = new Map<string, number>();
        for (const d of report.drifts) byKind.set(d.kind, (byKind.get(d.kind) ?? 0) + 1);
        io.stdout(
          [
            `Workflows: ${report.workflows}   rows: ${report.rows}   drift: ${report.drifts.length}   repaired: ${report.repaired}`,
            ...[...byKind].map(([kind, n]) => `  ${kind}: ${n}`),
            ...report.drifts.slice(0, 50).map((d) => `  - ${d.kind} ${d.workflowId}${d.detail ? `  (${d.detail})` : ''}`),
            report.drifts.length > 50 ? `  … ${report.drifts.length - 50} more (use --json)` : '',
          ]
            .filter(Boolean)
            .join('\n') + '\n',
        );
      }
      // Drift left unrepaired is a finding: exit 3 so a scheduled job can alert on it.
      const unrepaired = report.drifts.filter((d) => !values.repair || d.kind === 'orphan_row' || d.kind === 'unreadable_workflow');
      return unrepaired.length > 0 ? 3 : 0;
    } finally {
      await connection.close();
      await ds.destroy();
    }
  },
};
