// End to end over HTTP with real workflows: a commune officer finds the drowning-site survey in the inbox,
// uploads and submits, the coordinator returns it, the officer resubmits, the coordinator approves; the
// dashboard and the XLSX export follow.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { OrganisationRepository, PlanRepository } from '@app/persistence';
import { parsePlan } from '@app/plan-parser';
import { TemporalClientProvider } from '@app/temporal';
import { eventually, http, type LoggedIn, type SampleStack, startSampleStack } from '../support/harness';

const SAMPLE = readFileSync(join(__dirname, '../../libs/plan-parser/fixtures/van-quan-2024-cong-tac-tre-em.md'), 'utf8');
const EXPECTED = 202;

interface Item { workflowId: string; itemKey: string; unitCode: string; status: string; timeliness: string | null }
interface Inbox { items: Item[]; total: number; counts: { byStatus: Record<string, number>; byTimeliness: Record<string, number> } }
interface Summary { total: number; counts: Record<string, number>; byStatus: Record<string, number> }

describe('review flow over HTTP', () => {
  let stack: SampleStack;
  let base: string;
  let coordinator: LoggedIn;
  let officer: LoggedIn;
  let otherOfficer: LoggedIn;
  let leader: LoggedIn;
  let planId: string;

  beforeAll(async () => {
    stack = await startSampleStack({ SMTP_URL: 'smtp://127.0.0.1:9', UPLOAD_MAX_BYTES: '2048' });
    base = stack.api.baseUrl;
    [coordinator, officer, otherOfficer, leader] = await Promise.all(
      ['dieuphoi', 'xa-an-son.canbo', 'xa-binh-phuc.canbo', 'lanhdao'].map((u) => stack.loginAs(u)),
    );
    const org = await stack.api.app.get(OrganisationRepository).load();
    const { plan, warnings } = parsePlan({ text: SAMPLE, format: 'markdown' }, org);
    planId = (await stack.api.app.get(PlanRepository).createDraft({ plan, warnings, sourceText: SAMPLE, sourceName: 'sample.md' }, 'test')).id;
    const activated = await http<{ workflowId: string }>(base, 'POST', `/api/plans/${planId}/activate`, {}, coordinator.headers);
    expect(activated.status).toBe(202);
    // Activation starts 202 workflows in batches; on a busy machine that takes a while, so wait for its result.
    await stack.api.app.get(TemporalClientProvider).client.workflow.getHandle(activated.body.workflowId).result();
    await eventually(
      async () => Number((await stack.ds.query('SELECT count(*)::int AS n FROM assignments WHERE plan_id = $1', [planId]))[0].n),
      (n) => n === EXPECTED,
      // The read model follows each workflow's start; on a loaded 2-core machine 202 of them take minutes.
      240000,
    );
  }, 480000);

  afterAll(async () => {
    await stack?.close();
  });

  const get = <T>(who: LoggedIn, path: string) => http<T>(base, 'GET', path, undefined, who.headers);
  const act = (who: LoggedIn, workflowId: string, body: unknown) => http<{ status: string }>(base, 'POST', `/api/assignments/${encodeURIComponent(workflowId)}/actions`, body, who.headers);

  async function upload(who: LoggedIn, workflowId: string, name: string, bytes: Buffer) {
    const form = new FormData();
    form.append('file', new Blob([bytes]), name);
    const res = await fetch(`${base}/api/assignments/${encodeURIComponent(workflowId)}/attachments`, { method: 'POST', headers: who.headers, body: form });
    return { status: res.status, body: (await res.json()) as { id: string; name: string; size: number; contentType: string; error?: { code: string; fields?: Record<string, string[]> } } };
  }

  it('finds, submits with an attachment, is returned, resubmits, is approved; dashboard and export follow', async () => {
    const before = await get<Summary>(leader, `/api/dashboard/summary?planId=${planId}`);
    expect(before.status).toBe(200);
    expect(before.body.total).toBe(EXPECTED);
    expect(before.body.byStatus).toEqual({ assigned: EXPECTED });
    // The sample plan is for 2024: its dated work is long overdue, so the approved survey is done late.
    expect(before.body.counts.done_on_time + before.body.counts.done_late).toBe(0);

    const inbox = await get<Inbox>(officer, `/api/inbox?planId=${planId}&q=V.3.4`);
    expect(inbox.status).toBe(200);
    expect(inbox.body.items.map((i) => i.itemKey)).toEqual(['V.3.4']);
    const item = inbox.body.items[0];
    expect(item.unitCode).toBe('VQ-XA-AN-SON');

    const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(200, 0x20), Buffer.from('%%EOF\n')]);
    const uploaded = await upload(officer, item.workflowId, 'Báo cáo rà soát.pdf', pdf);
    expect(uploaded.status).toBe(201);
    expect(uploaded.body).toMatchObject({ name: 'Báo cáo rà soát.pdf', size: pdf.length, contentType: 'application/pdf' });
    const download = await fetch(`${base}/api/attachments/${uploaded.body.id}`, { headers: coordinator.headers });
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).equals(pdf)).toBe(true);
    expect(download.headers.get('content-disposition')).toContain("filename*=UTF-8''B%C3%A1o");
    // Another commune's officer can neither see the assignment nor fetch its file.
    expect((await fetch(`${base}/api/attachments/${uploaded.body.id}`, { headers: otherOfficer.headers })).status).toBe(404);

    const attachment = { id: uploaded.body.id, name: uploaded.body.name, size: uploaded.body.size };
    expect((await act(officer, item.workflowId, { type: 'submit', text: 'Đã rà soát 3 điểm', attachments: [attachment] })).body.status).toBe('submitted');

    const queue = await get<{ items: (Item & { submittedAt: string })[]; total: number }>(coordinator, `/api/review-queue?planId=${planId}`);
    expect(queue.body.total).toBe(1);
    expect(queue.body.items[0]).toMatchObject({ workflowId: item.workflowId, status: 'submitted' });
    expect(queue.body.items[0].submittedAt).toEqual(expect.any(String));
    expect((await get(officer, `/api/review-queue`)).status).toBe(403);

    expect((await act(coordinator, item.workflowId, { type: 'return', comment: 'Bổ sung danh sách điểm' })).body.status).toBe('returned');
    expect((await get<{ total: number }>(coordinator, `/api/review-queue?planId=${planId}`)).body.total).toBe(0);
    expect((await act(officer, item.workflowId, { type: 'submit', text: 'Đã bổ sung', attachments: [attachment] })).body.status).toBe('submitted');
    expect((await act(coordinator, item.workflowId, { type: 'approve', comment: 'Đạt' })).body.status).toBe('done');

    const detail = await get<{
      assignment: { status: string; timeliness: string; submission: { attachments: unknown[] } };
      place: { sectionHeading: string; text: string } | null;
      events: { type: string; actorName: string | null }[];
    }>(officer, `/api/assignments/${encodeURIComponent(item.workflowId)}`);
    expect(detail.body.assignment).toMatchObject({ status: 'done', timeliness: 'done_late' });
    expect(detail.body.assignment.submission.attachments).toHaveLength(1);
    expect(detail.body.place?.sectionHeading).toEqual(expect.any(String));
    // The sample's 2024 deadlines are past, so escalation steps fire in between: compare the people's actions.
    const actions = detail.body.events.filter((e) => e.type !== 'step_fired');
    expect(actions.map((e) => e.type)).toEqual(['assigned', 'submitted', 'returned', 'submitted', 'approved']);
    expect(actions[1].actorName).toEqual(expect.any(String));

    const after = await get<Summary>(leader, `/api/dashboard/summary?planId=${planId}`);
    expect(after.body.total).toBe(EXPECTED);
    expect(after.body.byStatus).toEqual({ assigned: EXPECTED - 1, done: 1 });
    expect(after.body.counts).toEqual({ ...before.body.counts, done_late: 1, [item.timeliness!]: before.body.counts[item.timeliness!] - 1 });
    const byUnit = await get<{ unitCode: string; total: number; counts: Record<string, number> }[]>(leader, `/api/dashboard/by-unit?planId=${planId}`);
    const anSon = byUnit.body.find((u) => u.unitCode === 'VQ-XA-AN-SON');
    expect(anSon).toMatchObject({ total: 7, counts: expect.objectContaining({ done_late: 1 }) });
    for (const path of ['by-responsibility', 'matrix', 'indicators', 'timeline', 'overdue']) {
      expect((await get(leader, `/api/dashboard/${path}?planId=${planId}`)).status).toBe(200);
    }
    expect((await get(officer, `/api/dashboard/summary?planId=${planId}`)).status).toBe(403);

    const xlsx = await fetch(`${base}/api/plans/${planId}/export.xlsx`, { headers: leader.headers });
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get('content-disposition')).toMatch(/^attachment; filename=".+\.xlsx"/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as unknown as ExcelJS.Buffer);
    const units = wb.getWorksheet('Theo đơn vị');
    expect(units).toBeDefined();
    const values: string[] = [];
    units!.eachRow((row) => values.push(row.values ? JSON.stringify(row.values) : ''));
    expect(values.some((v) => v.includes('VQ-XA-AN-SON') || v.includes('An Sơn'))).toBe(true);
    const csv = await fetch(`${base}/api/plans/${planId}/export.csv?table=units`, { headers: leader.headers });
    expect(csv.status).toBe(200);
    expect(await csv.text()).toContain('An Sơn');
    const docx = await fetch(`${base}/api/plans/${planId}/report.docx?period=2024-H1`, { headers: coordinator.headers });
    expect(docx.status).toBe(200);
    expect(Buffer.from(await docx.arrayBuffer()).subarray(0, 2).toString()).toBe('PK');
  }, 360000);

  it('keeps another unit out and enforces upload limits', async () => {
    const inbox = await get<Inbox>(officer, `/api/inbox?planId=${planId}&pageSize=100`);
    expect(inbox.body.total).toBe(7);
    expect(inbox.body.items.every((i) => i.unitCode === 'VQ-XA-AN-SON')).toBe(true);
    // A unitCode in the URL does not move a unit user's scope.
    const other = await get<Inbox>(otherOfficer, `/api/inbox?planId=${planId}&unitCode=VQ-XA-AN-SON&q=V.3.4`);
    expect(other.body.items.every((i) => i.unitCode !== 'VQ-XA-AN-SON')).toBe(true);
    const target = inbox.body.items.find((i) => i.status === 'assigned')!;
    expect((await get(otherOfficer, `/api/assignments/${encodeURIComponent(target.workflowId)}`)).status).toBe(404);
    expect((await upload(otherOfficer, target.workflowId, 'x.pdf', Buffer.from('%PDF-1.4'))).status).toBe(404);

    const tooBig = await upload(officer, target.workflowId, 'big.pdf', Buffer.concat([Buffer.from('%PDF-'), Buffer.alloc(4096)]));
    expect(tooBig.status).toBe(413);
    expect(tooBig.body.error?.code).toBe('PAYLOAD_TOO_LARGE');
    const exe = await upload(officer, target.workflowId, 'virus.exe', Buffer.from('MZ\x90\x00'));
    expect(exe.status).toBe(400);
    expect(exe.body.error?.fields?.file).toEqual(['UNSUPPORTED_TYPE']);
    const fake = await upload(officer, target.workflowId, 'renamed.pdf', Buffer.from('MZ\x90\x00 not a pdf'));
    expect(fake.status).toBe(400);
    expect(fake.body.error?.fields?.file).toEqual(['CONTENT_MISMATCH']);
  });
});
