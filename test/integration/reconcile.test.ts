// The reconciler finds and repairs drift between the PostgreSQL read model and the workflows in Temporal.
import { randomUUID } from 'node:crypto';
import { type Client } from '@temporalio/client';
import { AssignmentReadModel } from '@app/persistence';
import { TemporalClientProvider } from '@app/temporal';
import { main } from '../../apps/cli/src/main';
import { reconcile } from '../../apps/cli/src/reconcile/reconciler';
import { eventually, http, type LoggedIn, type SampleStack, startSampleStack } from '../support/harness';

describe('reconcile', () => {
  let stack: SampleStack;
  let coordinator: LoggedIn;
  let client: Client;
  const planId = randomUUID();
  const units = ['VQ-XA-AN-SON', 'VQ-XA-BINH-PHUC', 'VQ-XA-DIEM-HE'];
  const ids: string[] = [];

  beforeAll(async () => {
    stack = await startSampleStack({ SMTP_URL: 'smtp://127.0.0.1:9' });
    coordinator = await stack.loginAs('dieuphoi');
    client = stack.api.app.get(TemporalClientProvider).client;
    for (const unitCode of units) {
      const res = await http<{ workflowId: string }>(
        stack.api.baseUrl,
        'POST',
        '/api/assignments',
        {
          planId,
          planTitle: 'Kế hoạch thử đối soát',
          itemKey: 'V.3.2',
          title: 'Rà soát kiện toàn Ban Bảo vệ trẻ em cấp xã',
          unitCode,
          deadline: new Date(Date.now() + 20 * 86_400_000).toISOString(),
          escalation: [],
        },
        coordinator.headers,
      );
      ids.push(res.body.workflowId);
    }
    // Visibility and the projection both catch up asynchronously.
    await eventually(async () => (await stack.ds.query('SELECT count(*)::int AS n FROM assignments WHERE plan_id = $1', [planId]))[0].n, (n) => n === 3);
    await eventually(() => client.workflow.count(`DondocPlanId = '${planId}'`), (c) => c.count === 3);
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('reports nothing when the read model matches', async () => {
    const report = await reconcile({ client, readModel: stack.api.app.get(AssignmentReadModel), planId, repair: false });
    expect(report).toMatchObject({ workflows: 3, rows: 3, drifts: [], repaired: 0 });
  });

  it('finds a missing row, a tampered row and an orphan, repairs the first two and keeps the orphan', async () => {
    const [lost, tampered] = ids;
    const orphan = `asg:${planId}:V.3.2:VQ-XA-KHONG-CO:once`;
    await stack.ds.query('DELETE FROM assignments WHERE workflow_id = $1', [lost]);
    await stack.ds.query(`UPDATE assignments SET status = 'done', progress = 77 WHERE workflow_id = $1`, [tampered]);
    await stack.ds.query(
      `INSERT INTO assignments (workflow_id, plan_id, item_key, kind, unit_code, period_key, title, status)
       VALUES ($1, $2, 'V.3.2', 'responsibility', 'VQ-XA-KHONG-CO', 'once', 'x', 'assigned')`,
      [orphan, planId],
    );
    const readModel = stack.api.app.get(AssignmentReadModel);

    const found = await reconcile({ client, readModel, planId, repair: true });
    expect(found.drifts.map((d) => [d.kind, d.workflowId])).toEqual([
      ['missing_row', lost],
      ['orphan_row', orphan],
      ['stale_row', tampered],
    ]);
    expect(found.drifts.find((d) => d.kind === 'stale_row')!.detail).toContain('status: done ≠ assigned');
    expect(found.repaired).toBe(2);

    const rows = await stack.ds.query('SELECT workflow_id, status, progress FROM assignments WHERE plan_id = $1 ORDER BY workflow_id', [planId]);
    expect(rows.filter((r: { workflow_id: string }) => r.workflow_id !== orphan)).toEqual(
      [...ids].sort().map((workflow_id) => ({ workflow_id, status: 'assigned', progress: 0 })),
    );
    const again = await reconcile({ client, readModel, planId, repair: false });
    expect(again.drifts.map((d) => d.kind)).toEqual(['orphan_row']);
  });

  it('runs as `cli reconcile` and exits 3 while drift is left', async () => {
    const out: string[] = [];
    const code = await main(['reconcile', '--plan', planId], {
      stdout: (t) => out.push(t),
      stderr: (t) => out.push(t),
      env: { DATABASE_URL: stack.config.database.url, TEMPORAL_ADDRESS: stack.config.temporal.address },
    });
    expect(code).toBe(3);
    expect(out.join('')).toContain('orphan_row: 1');
    expect(await main(['reconcile', '--plan', 'not-a-uuid'], { stdout: () => undefined, stderr: () => undefined, env: {} })).toBe(64);
  });
});
