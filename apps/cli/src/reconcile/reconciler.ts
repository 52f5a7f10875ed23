import { type Client, type WorkflowExecutionInfo } from '@temporalio/client';
import { type AssignmentReadModel, type ReconcileRow } from '@app/persistence';
import { type AssignmentSnapshot, getStateQuery } from '@app/contracts/workflow';

export type DriftKind = 'missing_row' | 'stale_row' | 'orphan_row' | 'unreadable_workflow';

export interface Drift {
  kind: DriftKind;
  workflowId: string;
  /** Which fields differ, for stale rows; the reason, for unreadable workflows. */
  detail: string;
}

export interface ReconcileReport {
  workflows: number;
  rows: number;
  drifts: Drift[];
  repaired: number;
}

const COMPARED: (keyof ReconcileRow & keyof AssignmentSnapshot)[] = ['status', 'unitCode', 'progress', 'escalationLevel'];

/** The fields where the row disagrees with the workflow (the workflow is the source of truth). */
export function differences(row: ReconcileRow, s: AssignmentSnapshot): string[] {
  const diff: string[] = COMPARED.filter((f) => row[f] !== s[f]).map((f) => `${f}: ${String(row[f])} ≠ ${String(s[f])}`);
  const rowDeadline = row.deadline ? row.deadline.toISOString() : null;
  const wfDeadline = s.deadline ? new Date(s.deadline).toISOString() : null;
  if (rowDeadline !== wfDeadline) diff.push(`deadline: ${rowDeadline} ≠ ${wfDeadline}`);
  if (row.lastSeq !== s.seq) diff.push(`lastSeq: ${row.lastSeq} ≠ ${s.seq}`);
  return diff;
}

/**
 * Compares the PostgreSQL read model with the assignment workflows in Temporal and, with `repair`, rewrites
 * rows from the workflows' own state. Rows without a workflow are reported, never deleted: they may be the
 * only trace of work whose history Temporal has already dropped (retention).
 */
export async function reconcile(deps: {
  client: Client;
  readModel: AssignmentReadModel;
  planId?: string;
  repair: boolean;
  /** Parallel queries to Temporal. */
  concurrency?: number;
}): Promise<ReconcileReport> {
  const rows = new Map((await deps.readModel.listForReconcile(deps.planId)).map((r) => [r.workflowId, r]));
  const query = `WorkflowType = 'assignmentWorkflow'${deps.planId ? ` AND DondocPlanId = '${deps.planId.replace(/'/g, '')}'` : ''}`;
  const executions: WorkflowExecutionInfo[] = [];
  for await (const wf of deps.client.workflow.list({ query })) executions.push(wf);

  const drifts: Drift[] = [];
  let repaired = 0;
  const seen = new Set<string>();
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(deps.concurrency ?? 16, executions.length) }, async () => {
      for (let i = next++; i < executions.length; i = next++) {
        const wf = executions[i];
        if (seen.has(wf.workflowId)) continue; // a continued-as-new run lists once per run
        seen.add(wf.workflowId);
        const snapshot = await snapshotOf(deps.client, wf).catch((err: unknown) => {
          drifts.push({ kind: 'unreadable_workflow', workflowId: wf.workflowId, detail: err instanceof Error ? err.message : String(err) });
          return null;
        });
        if (!snapshot) continue;
        const row = rows.get(wf.workflowId);
        const diff = row ? differences(row, snapshot) : [];
        if (row && diff.length === 0) continue;
        drifts.push(row ? { kind: 'stale_row', workflowId: wf.workflowId, detail: diff.join('; ') } : { kind: 'missing_row', workflowId: wf.workflowId, detail: '' });
        if (deps.repair) {
          await deps.readModel.overwrite(snapshot);
          repaired++;
        }
      }
    }),
  );
  for (const workflowId of rows.keys()) {
    if (!seen.has(workflowId)) drifts.push({ kind: 'orphan_row', workflowId, detail: 'no assignment workflow in Temporal' });
  }
  drifts.sort((a, b) => a.kind.localeCompare(b.kind) || a.workflowId.localeCompare(b.workflowId));
  return { workflows: seen.size, rows: rows.size, drifts, repaired };
}

/** A running workflow answers its query; a finished one returned its final state as its result. */
async function snapshotOf(client: Client, wf: WorkflowExecutionInfo): Promise<AssignmentSnapshot> {
  const handle = client.workflow.getHandle(wf.workflowId);
  if (wf.status.name === 'RUNNING') return handle.query(getStateQuery);
  if (wf.status.name === 'COMPLETED') return (await handle.result()) as AssignmentSnapshot;
  throw new Error(`workflow ended ${wf.status.name}`);
}
