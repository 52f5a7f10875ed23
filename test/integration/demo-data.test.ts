// The first-run demo (issue 17): the sample plan's current-year copy is imported, reviewed, activated and given
// its history through the real API, worker, PostgreSQL and Temporal; a second run finds it and does nothing.
import { readFileSync } from 'node:fs';
import { DEMO_COMMUNE, demoPlanText, demoSourceName, demoYear, summaryLine } from '../../deploy/seed/demo';
import { SAMPLE_PLAN_FILE, seedDemoOn } from '../support/demo';
import { http, type SampleStack, startSampleStack } from '../support/harness';
import { createOwnDatabase, type OwnDatabase } from '../support/own-database';

interface Item {
  workflowId: string;
  itemKey: string;
  unitCode: string;
  status: string;
  timeliness: string | null;
  deadline: string | null;
  progress: number;
}

describe('demo data', () => {
  let stack: SampleStack;

  // A database of its own: the first-run browser test makes a demo plan too, and the demo reuses whichever it finds.
  let database: OwnDatabase | undefined;

  beforeAll(async () => {
    database = await createOwnDatabase('dondoc_demo');
    stack = await startSampleStack({ SMTP_URL: 'smtp://127.0.0.1:9', DATABASE_URL: database.url });
  }, 120000);

  afterAll(async () => {
    await stack?.close();
    await database?.drop();
  });

  it('makes an active current-year plan whose dashboard shows every timeliness class, and a second run changes nothing', async () => {
    // A start that stopped right after the import left a draft: the next one reviews and activates that draft.
    const early = await stack.loginAs('dieuphoi');
    const year = demoYear(new Date());
    const text = demoPlanText(readFileSync(SAMPLE_PLAN_FILE, 'utf8'), year);
    const draft = await http<{ id: string }>(stack.api.baseUrl, 'POST', '/api/plans/import', { text, format: 'markdown', name: demoSourceName(year) }, early.headers);
    expect(draft.status).toBe(201);

    const first = await seedDemoOn(stack.api.baseUrl);
    expect(first.planId).toBe(draft.body.id);
    process.stderr.write(`${summaryLine(first)}\n`);
    expect(first.created).toBe(true);
    expect(first.year).toBe(demoYear(new Date()));
    // The sample's 202 assignments plus the undated duty added during review.
    expect(first.assignments).toBe(203);
    expect(first.actions).toBeGreaterThan(100);

    const coordinator = await stack.loginAs('dieuphoi');
    const plan = await http<{ status: string; plan: { metadata: { year: number; number: string } } }>(stack.api.baseUrl, 'GET', `/api/plans/${first.planId}`, undefined, coordinator.headers);
    expect(plan.body.status).toBe('active');
    expect(plan.body.plan.metadata.year).toBe(first.year);

    // The leader's numbers, through the leader's own session.
    const leader = await stack.loginAs('lanhdao');
    const summary = await http<{ total: number; counts: Record<string, number> }>(stack.api.baseUrl, 'GET', `/api/dashboard/summary?planId=${first.planId}`, undefined, leader.headers);
    expect(summary.status).toBe(200);
    for (const k of ['done_on_time', 'done_late', 'open_on_time', 'open_overdue', 'due_soon', 'no_deadline']) {
      expect({ k, n: summary.body.counts[k] ?? 0 }).toEqual({ k, n: expect.any(Number) });
      expect(summary.body.counts[k]).toBeGreaterThan(0);
    }
    expect(summary.body.counts).toEqual(first.counts);
    // "A few overdue", not a wall of red.
    expect(summary.body.counts.open_overdue).toBeLessThan(summary.body.total / 4);

    // Every role's home page has something to do.
    const queue = await http<{ total: number }>(stack.api.baseUrl, 'GET', `/api/review-queue?planId=${first.planId}`, undefined, coordinator.headers);
    expect(queue.body.total).toBeGreaterThan(3);
    const extensions = await http<{ total: number }>(stack.api.baseUrl, 'GET', `/api/extension-requests?planId=${first.planId}`, undefined, coordinator.headers);
    expect(extensions.body.total).toBe(1);
    const officer = await stack.loginAs('xa-an-son.canbo');
    const inbox = await http<{ items: Item[] }>(stack.api.baseUrl, 'GET', `/api/inbox?planId=${first.planId}&pageSize=100`, undefined, officer.headers);
    const statuses = new Set(inbox.body.items.map((i) => i.status));
    expect(inbox.body.items.every((i) => i.unitCode === DEMO_COMMUNE)).toBe(true);
    for (const s of ['returned', 'in_progress', 'acknowledged', 'assigned']) expect(statuses).toContain(s);

    // The returned report carries the coordinator's comment; an approved one its attachment.
    const returned = inbox.body.items.find((i) => i.status === 'returned')!;
    const detail = await http<{ events: Array<{ type: string; comment: string | null }>; assignment: { submission: { attachments: unknown[] } | null } }>(
      stack.api.baseUrl, 'GET', `/api/assignments/${encodeURIComponent(returned.workflowId)}`, undefined, officer.headers,
    );
    expect(detail.body.events.find((e) => e.type === 'returned')?.comment).toMatch(/bổ sung/);
    expect(detail.body.assignment.submission?.attachments).toHaveLength(1);

    // Nothing was written behind the workflows' back: every event has a workflow actor who is a person.
    const actors = await stack.ds.query(
      `SELECT DISTINCT e.type, u.role FROM assignment_events e JOIN assignments a ON a.workflow_id = e.workflow_id LEFT JOIN users u ON u.id::text = e.actor WHERE a.plan_id = $1 AND e.type IN ('submitted', 'approved', 'returned', 'acknowledged', 'progress')`,
      [first.planId],
    );
    for (const row of actors as Array<{ type: string; role: string | null }>) {
      expect({ type: row.type, role: row.role }).toEqual({ type: row.type, role: ['submitted', 'acknowledged', 'progress'].includes(row.type) ? 'unit_officer' : 'coordinator' });
    }

    // Other suites of the run (the first-run browser test) may have made demo plans in this database too: the
    // second run must add none.
    const demoPlans = async (): Promise<number> =>
      (await http<{ total: number }>(stack.api.baseUrl, 'GET', `/api/plans?year=${first.year}&q=${encodeURIComponent('công tác trẻ em')}`, undefined, coordinator.headers)).body.total;
    const before = await demoPlans();
    expect(before).toBeGreaterThanOrEqual(1);
    const second = await seedDemoOn(stack.api.baseUrl);
    process.stderr.write(`${summaryLine(second)}\n`);
    expect(second).toMatchObject({ planId: first.planId, created: false, actions: 0, counts: first.counts });
    expect(await demoPlans()).toBe(before);
  }, 300000);
});
