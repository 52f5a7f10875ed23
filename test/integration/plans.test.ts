// Plans over HTTP against real PostgreSQL: import (JSON, .md, .docx), review edits with audit and
// revisions (path changes and the duty ops: add, update, delete, split, merge), validation, bad inputs that must
// store nothing, the organisation directory, the sample loader.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Document, Packer, Paragraph, TextRun } from 'docx';
import { DataSource } from 'typeorm';
import { loadOrganisationDirectory } from '@app/domain';
import { OrganisationRepository, PlanRepository } from '@app/persistence';
import { TEST_SAMPLE_PASSWORD as SAMPLE_PASSWORD } from '../support/accounts';
import { loadSamplePlan, SAMPLE_PLAN_SLUG } from '../../apps/api/src/plans/sample-plan';
import { http, login, type LoggedIn, type RunningApi, seedSampleOrganisationAndAccounts, startApiApp, testConfig } from '../support/harness';
import { headerOnlyPlan } from '../support/plans';

const ROOT = join(__dirname, '..', '..');
const SAMPLE = readFileSync(join(ROOT, 'libs/plan-parser/fixtures/van-quan-2024-cong-tac-tre-em.md'), 'utf8');
const ORG_YAML = readFileSync(join(ROOT, 'deploy/seed/van-quan/organisation.yaml'), 'utf8');
const PLAN_MAX_BYTES = 200_000;
/** A plan whose text has a header and headings but no duty: the coordinator adds them all on the review page. */
const HEADER_ONLY = headerOnlyPlan({ number: '99/KH-UBND', title: 'Triển khai công tác phòng, chống đuối nước trẻ em năm 2024' });

interface PlanView {
  id: string;
  status: string;
  revision: number;
  plan: {
    objectives: unknown[];
    tasks: unknown[];
    responsibilitySections: unknown[];
    reportingRules: unknown[];
    responsibilities: Array<{ key: string; unitRef: { kind: string; code: string | null; text: string }; deadline: unknown; recurrence: { kinds: string[] } }>;
  };
  warnings: Array<{ index: number; code: string; resolved: boolean }>;
  source: { name: string | null; lines: Array<{ number: number; text: string }> };
}
interface ErrorBody {
  error: { code: string; message: string; fields?: Record<string, string[]> };
}

/** Multipart upload through fetch's own FormData, as a browser would send it. */
async function upload(baseUrl: string, as: LoggedIn, name: string, content: Buffer | string): Promise<{ status: number; body: unknown }> {
  const form = new FormData();
  form.append('file', new Blob([typeof content === 'string' ? Buffer.from(content, 'utf8') : content]), name);
  const res = await fetch(`${baseUrl}/api/plans/import`, { method: 'POST', body: form, headers: as.headers });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/** The sample plan typed into Word: one paragraph per line, '**' runs as bold. */
async function sampleDocx(): Promise<Buffer> {
  const paragraphs = SAMPLE.split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line) => {
      // Footnote marks stay superscript, as Word writes them, so they are not read as item numbers.
      const runs = line
        .split(/(\*\*[^*]+\*\*|<sup>\d+<\/sup>)/)
        .filter((part) => part !== '')
        .map((part) =>
          part.startsWith('**')
            ? new TextRun({ text: part.slice(2, -2), bold: true })
            : part.startsWith('<sup>')
              ? new TextRun({ text: part.replace(/<\/?sup>/g, ''), superScript: true })
              : new TextRun(part.replace(/^#+\s*/, '')),
        );
      return new Paragraph({ children: runs });
    });
  return Packer.toBuffer(new Document({ sections: [{ children: paragraphs }] }));
}

describe('plans API', () => {
  let api: RunningApi;
  let ds: DataSource;
  let coordinator: LoggedIn;
  const req = <T = unknown>(method: string, path: string, body?: unknown, as: LoggedIn = coordinator) => http<T>(api.baseUrl, method, path, body, as.headers);
  const planCount = async (): Promise<number> => Number((await ds.query('SELECT count(*)::int AS n FROM plans'))[0].n);
  const editCount = async (): Promise<number> => Number((await ds.query('SELECT count(*)::int AS n FROM plan_edits'))[0].n);

  beforeAll(async () => {
    api = await startApiApp(testConfig({ PLAN_MAX_BYTES: String(PLAN_MAX_BYTES) }));
    ds = api.app.get(DataSource);
    await seedSampleOrganisationAndAccounts(ds);
    coordinator = await login(api.baseUrl, 'dieuphoi', SAMPLE_PASSWORD);
  });

  afterAll(async () => {
    await api?.close();
  });

  const importJson = () => req<PlanView>('POST', '/api/plans/import', { text: SAMPLE, format: 'markdown', name: 'cong-tac-tre-em.md' });

  function expectSampleStructure(view: PlanView): void {
    expect(view.status).toBe('draft');
    expect(view.revision).toBe(1);
    expect(view.plan.objectives).toHaveLength(12);
    expect(view.plan.tasks).toHaveLength(11);
    expect(view.plan.responsibilitySections).toHaveLength(3);
    expect(view.plan.reportingRules).toHaveLength(2);
  }

  it('imports the sample plan from JSON into a draft with its numbered source and an import audit row', async () => {
    const res = await importJson();
    expect(res.status).toBe(201);
    expectSampleStructure(res.body);
    const got = await req<PlanView>('GET', `/api/plans/${res.body.id}`);
    expect(got.status).toBe(200);
    expectSampleStructure(got.body);
    expect(got.body.source.name).toBe('cong-tac-tre-em.md');
    expect(got.body.source.lines[8]).toEqual({ number: 9, text: SAMPLE.split('\n')[8] });
    const edits = await req<{ items: Array<{ action: string; actor: string }>; total: number }>('GET', `/api/plans/${res.body.id}/edits`);
    expect(edits.body.total).toBe(1);
    expect(edits.body.items[0]).toMatchObject({ action: 'import' });
  });

  it('imports a multipart .md upload and a .docx written with the docx package', async () => {
    const md = await upload(api.baseUrl, coordinator, 'ke-hoach.md', SAMPLE);
    expect(md.status).toBe(201);
    expectSampleStructure(md.body as PlanView);

    const docx = await upload(api.baseUrl, coordinator, 'ke-hoach.docx', await sampleDocx());
    expect(docx.status).toBe(201);
    const view = docx.body as PlanView;
    expect(view.plan.objectives).toHaveLength(12);
    expect(view.plan.tasks).toHaveLength(11);
    expect(view.plan.responsibilitySections).toHaveLength(3);
    expect(view.plan.reportingRules).toHaveLength(2);
    // Line numbers of a .docx refer to its converted Markdown, which is what the source shows.
    expect(view.source.lines.some((l) => /KẾ HOẠCH/.test(l.text))).toBe(true);
  });

  it('lists plans paged and filtered', async () => {
    await importJson();
    const page = await req<{ items: Array<{ title: string; year: number; status: string }>; total: number; pageSize: number }>('GET',
      '/api/plans?pageSize=1&status=draft&year=2024&q=tr%E1%BA%BB%20em',
    );
    expect(page.status).toBe(200);
    expect(page.body.items).toHaveLength(1);
    expect(page.body.total).toBeGreaterThanOrEqual(1);
    expect(page.body.items[0]).toMatchObject({ year: 2024, status: 'draft' });
    const none = await req<{ total: number }>('GET', '/api/plans?year=1999');
    expect(none.body.total).toBe(0);
  });

  it('records every change with before and after, bumps the revision, refuses a stale one with 409', async () => {
    const { body: plan } = await importJson();
    const index = plan.plan.responsibilities.findIndex((r) => r.recurrence.kinds[0] === 'once');
    const deadline = { date: '2024-07-31', kind: 'explicit', reason: 'Điều phối viên đặt hạn' };
    const res = await req<PlanView>('PATCH', `/api/plans/${plan.id}`, {
      revision: 1,
      changes: [
        { path: `responsibilities.${index}.deadline`, value: deadline },
        { path: `responsibilities[${plan.plan.responsibilities[index].key}].recurrence`, value: { kinds: ['quarterly'] } },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body.revision).toBe(2);
    expect(res.body.plan.responsibilities[index]).toMatchObject({ deadline, recurrence: { kinds: ['quarterly'] } });

    const rows: Array<{ action: string; path: string; before: unknown; after: unknown; actor: string }> = await ds.query(
      'SELECT action, path, before, after, actor FROM plan_edits WHERE plan_id = $1 AND action = $2 ORDER BY id',
      [plan.id, 'edit'],
    );
    expect(rows).toHaveLength(2);
    const byPath = Object.fromEntries(rows.map((r) => [r.path, r]));
    expect(byPath[`responsibilities.${index}.deadline`]).toMatchObject({ before: plan.plan.responsibilities[index].deadline, after: deadline });
    expect(byPath[`responsibilities.${index}.recurrence`]).toMatchObject({ after: { kinds: ['quarterly'] } });

    const before = await editCount();
    const stale = await req<ErrorBody>('PATCH', `/api/plans/${plan.id}`, {
      revision: 1,
      changes: [{ path: `responsibilities.${index}.text`, value: 'Sửa trên bản cũ' }],
    });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('CONFLICT');
    expect(await editCount()).toBe(before);
  });

  it('refuses edits that break the plan or name unknown units, changing nothing', async () => {
    const { body: plan } = await importJson();
    const bad = await req<ErrorBody>('PATCH', `/api/plans/${plan.id}`, {
      revision: 1,
      changes: [{ path: 'responsibilities.0.deadline', value: { date: '2024-02-30', kind: 'explicit', reason: 'x' } }],
    });
    expect(bad.status).toBe(422);
    expect(bad.body.error.code).toBe('INVALID_PLAN');
    const unknown = await req<ErrorBody>('PATCH', `/api/plans/${plan.id}`, {
      revision: 1,
      changes: [{ path: 'responsibilities.0.unitRef.code', value: 'KHONG-CO' }],
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.code).toBe('UNKNOWN_UNIT');
    const status = await req<ErrorBody>('PATCH', `/api/plans/${plan.id}`, { revision: 1, changes: [{ path: 'status', value: 'active' }] });
    expect(status.status).toBe(422);
    const shape = await req<ErrorBody>('PATCH', `/api/plans/${plan.id}`, { changes: [] });
    expect(shape.status).toBe(400);
    const got = await req<PlanView>('GET', `/api/plans/${plan.id}`);
    expect(got.body.revision).toBe(1);
  });

  it('validate reports unresolved units and warnings until the coordinator fixes them', async () => {
    const { body: plan } = await importJson();
    const first = await req<{ valid: boolean; problems: Array<{ kind: string; path: string }> }>('POST', `/api/plans/${plan.id}/validate`);
    expect(first.status).toBe(200);

    // Make one ref unresolved so the fix is ours to make, whatever the parser resolved.
    const r0 = plan.plan.responsibilities[0];
    const cleared = await req<PlanView>('PATCH', `/api/plans/${plan.id}`, {
      revision: 1,
      changes: [{ path: 'responsibilities.0.unitRef', value: { ...r0.unitRef, code: null } }],
    });
    expect(cleared.status).toBe(200);
    const unresolved = await req<{ valid: boolean; problems: Array<{ kind: string; path: string }> }>('POST', `/api/plans/${plan.id}/validate`);
    expect(unresolved.body.valid).toBe(false);
    expect(unresolved.body.problems).toContainEqual(expect.objectContaining({ kind: 'unresolved_unit', path: 'responsibilities.0.unitRef.code' }));

    let revision = cleared.body.revision;
    // Resolve every unresolved ref outside the metadata to the lead department, then every warning.
    const paths = unresolved.body.problems.filter((p) => p.kind === 'unresolved_unit').map((p) => p.path);
    const fix = await req<PlanView>('PATCH', `/api/plans/${plan.id}`, {
      revision,
      changes: paths.map((path) => ({ path: path.replace(/\.code$/, '.kind'), value: 'unit' })).concat(paths.map((path) => ({ path, value: 'VQ-LDTBXH' }))),
    });
    expect(fix.status).toBe(200);
    revision = fix.body.revision;
    for (const w of fix.body.warnings) {
      const resolved = await req<PlanView>('POST', `/api/plans/${plan.id}/warnings/${w.index}/resolve`, { note: 'Đã xem', revision });
      expect(resolved.status).toBe(200);
      revision = resolved.body.revision;
    }
    const after = await req<{ valid: boolean; problems: Array<{ kind: string; path: string }> }>('POST', `/api/plans/${plan.id}/validate`);
    expect(after.body.problems.filter((p) => p.kind === 'unresolved_unit' || p.kind === 'unresolved_warning' || p.kind === 'unknown_unit')).toEqual([]);
  });

  it('lets the coordinator build the duties of a plan that arrived without any: add, split, merge, set units and cadence, delete, all audited', async () => {
    const imported = await req<PlanView>('POST', '/api/plans/import', { text: HEADER_ONLY, format: 'markdown', name: 'chi-co-phan-dau.md' });
    expect(imported.status).toBe(201);
    expect(imported.body.plan.responsibilities).toEqual([]);
    const id = imported.body.id;
    let revision = imported.body.revision;
    const patch = async (changes: unknown[], as: LoggedIn = coordinator, headers: Record<string, string> = {}) => {
      const res = await http<PlanView & ErrorBody>(api.baseUrl, 'PATCH', `/api/plans/${id}`, { revision, changes }, { ...as.headers, ...headers });
      if (res.status === 200) revision = res.body.revision;
      return res;
    };
    const duty = (view: PlanView, key: string) => view.plan.responsibilities.find((r) => r.key === key) as unknown as Record<string, unknown>;

    const added = await patch([
      { op: 'add', value: { text: 'Rà soát các điểm có nguy cơ đuối nước', unit: 'VQ-TU-PHAP', deadline: { date: '2024-06-30' } } },
      { op: 'add', value: { text: 'Kiện toàn Ban chỉ đạo.', unit: 'VQ-TU-PHAP', deadline: { workingDays: 5 } } },
    ]);
    expect(added.status).toBe(200);
    expect(added.body.revision).toBe(2);
    expect(added.body.plan.responsibilitySections).toEqual([
      { key: 'II.1', heading: 'Phòng Tư pháp', unitRef: { kind: 'unit', code: 'VQ-TU-PHAP', text: 'Phòng Tư pháp' }, source: expect.objectContaining({ section: 'II' }) },
    ]);
    expect(added.body.plan.responsibilities.map((r) => r.key)).toEqual(['II.1.1', 'II.1.2']);
    // Signed 15/3/2024 (a Friday): the fifth working day after is 22/3.
    expect(duty(added.body, 'II.1.2').deadline).toMatchObject({ date: '2024-03-22', workingDays: 5 });

    const split = await patch([
      { op: 'split', key: 'II.1.1', parts: [{ text: 'Rà soát các điểm có nguy cơ đuối nước.' }, { text: 'Cắm biển cảnh báo.', coordinatingUnits: ['VQ-NHOM-XA-TT'] }] },
    ]);
    expect(split.status).toBe(200);
    expect(split.body.plan.responsibilities.map((r) => r.key)).toEqual(['II.1.1', 'II.1.3', 'II.1.2']);
    expect(duty(split.body, 'II.1.3')).toMatchObject({ unitRef: { code: 'VQ-TU-PHAP' }, deadline: { date: '2024-06-30' }, recurrence: { kinds: ['once'] } });

    // The merged duty keeps the key of the first in the plan's order (II.1.3 now stands before II.1.2).
    const merged = await patch([{ op: 'merge', keys: ['II.1.2', 'II.1.3'] }]);
    expect(merged.status).toBe(200);
    expect(duty(merged.body, 'II.1.3')).toMatchObject({
      text: 'Cắm biển cảnh báo. Kiện toàn Ban chỉ đạo.',
      deadline: { date: '2024-03-22' },
      coordinatingUnitRefs: [{ kind: 'group', code: 'VQ-NHOM-XA-TT', text: 'UBND các xã, thị trấn' }],
    });
    expect(merged.body.plan.responsibilities.map((r) => r.key)).toEqual(['II.1.1', 'II.1.3']);

    const health = await patch([{ op: 'add', value: { text: 'Tập huấn sơ cứu đuối nước cho giáo viên.', unit: 'VQ-Y-TE', deadline: { date: '2024-12-31' } } }]);
    expect(health.status).toBe(200);
    const updated = await patch([{ op: 'update', key: 'II.2.1', value: { coordinatingUnits: ['VQ-HUYEN-DOAN', 'VQ-NHOM-XA-TT'], recurrence: ['quarterly'] } }]);
    expect(updated.status).toBe(200);
    expect(duty(updated.body, 'II.2.1')).toMatchObject({
      sectionKey: 'II.2',
      coordinatingUnitRefs: [
        { kind: 'unit', code: 'VQ-HUYEN-DOAN' },
        { kind: 'group', code: 'VQ-NHOM-XA-TT' },
      ],
      recurrence: { kinds: ['quarterly'] },
    });

    const deleted = await patch([{ op: 'delete', key: 'II.1.1' }]);
    expect(deleted.status).toBe(200);
    // A duty added after the delete gets a key no duty of this plan has had (II.1.1 and II.1.2 live on in the audit).
    const again = await patch([{ op: 'add', value: { text: 'Tuyên truyền trên loa truyền thanh.', unit: 'VQ-TU-PHAP', deadline: { date: '2024-08-31' } } }]);
    expect(again.status).toBe(200);
    expect(again.body.plan.responsibilities.map((r) => r.key)).toEqual(['II.1.3', 'II.1.4', 'II.2.1']);

    const audit: Array<{ action: string; path: string; keys: string[] | null; actor: string }> = await ds.query(
      // Rows of one request share their time; the two adds of the first request sort by key.
      `SELECT action, path, after -> 'keys' AS keys, actor FROM plan_edits WHERE plan_id = $1 AND action <> 'import' ORDER BY at, path`,
      [id],
    );
    expect(audit.map((a) => [a.action, a.path, a.keys])).toEqual([
      ['add-responsibility', 'responsibilities[II.1.1]', ['II.1.1']],
      ['add-responsibility', 'responsibilities[II.1.2]', ['II.1.2']],
      ['split-responsibility', 'responsibilities[II.1.1]', ['II.1.1', 'II.1.3']],
      ['merge-responsibilities', 'responsibilities[II.1.3]', ['II.1.3', 'II.1.2']],
      ['add-responsibility', 'responsibilities[II.2.1]', ['II.2.1']],
      ['update-responsibility', 'responsibilities[II.2.1]', ['II.2.1']],
      ['delete-responsibility', 'responsibilities[II.1.1]', ['II.1.1']],
      ['add-responsibility', 'responsibilities[II.1.4]', ['II.1.4']],
    ]);
    expect(new Set(audit.map((a) => a.actor))).toEqual(new Set([coordinator.user.id]));

    // Refusals change nothing: a stale revision, a unit officer, payloads that do not parse or do not fit the plan.
    const rowsBefore = await editCount();
    const current = revision;
    revision = current - 1;
    const stale = await patch([{ op: 'delete', key: 'II.1.3' }]);
    expect([stale.status, stale.body.error.code]).toEqual([409, 'CONFLICT']);
    revision = current;
    const officer = await login(api.baseUrl, 'xa-an-son.canbo', SAMPLE_PASSWORD);
    expect((await patch([{ op: 'delete', key: 'II.1.3' }], officer)).status).toBe(403);
    const refusals: Array<[unknown, number, string]> = [
      [{ op: 'split', key: 'II.1.3', parts: [{ text: 'Một phần' }] }, 400, 'VALIDATION_FAILED'],
      [{ op: 'merge', keys: ['II.1.3'] }, 400, 'VALIDATION_FAILED'],
      [{ op: 'update', key: 'II.1.3', value: { recurrence: ['once', 'monthly'] } }, 400, 'VALIDATION_FAILED'],
      [{ op: 'update', key: 'II.1.3', value: {} }, 400, 'VALIDATION_FAILED'],
      [{ op: 'add', value: { text: 'x', unit: 'VQ-TU-PHAP', deadline: { date: '2024-02-30' } } }, 400, 'VALIDATION_FAILED'],
      [{ op: 'rename', key: 'II.1.3' }, 400, 'VALIDATION_FAILED'],
      [{ op: 'add', value: { text: 'Việc của đơn vị lạ', unit: 'KHONG-CO' } }, 422, 'UNKNOWN_UNIT'],
      [{ op: 'delete', key: 'IX.9' }, 422, 'UNKNOWN_RESPONSIBILITY'],
      [{ op: 'merge', keys: ['II.1.3', 'II.2.1'] }, 422, 'MERGE_UNITS_DIFFER'],
      [{ op: 'add', value: { text: 'x', unit: 'VQ-Y-TE', sectionKey: 'IX' } }, 422, 'UNKNOWN_SECTION'],
    ];
    for (const [change, status, code] of refusals) {
      const res = await patch([change]);
      expect([JSON.stringify(change), res.status, res.body.error?.code]).toEqual([JSON.stringify(change), status, code]);
      expect(res.body.error.message.length).toBeGreaterThan(0);
    }
    const english = await patch([{ op: 'merge', keys: ['II.1.3', 'II.2.1'] }], coordinator, { 'accept-language': 'en' });
    expect(english.body.error.message).toBe('Only duties of the same unit can be merged');
    const vietnamese = await patch([{ op: 'merge', keys: ['II.1.3', 'II.2.1'] }]);
    expect(vietnamese.body.error.message).toMatch(/cùng một đơn vị/);
    expect(await editCount()).toBe(rowsBefore);
    expect((await req<PlanView>('GET', `/api/plans/${id}`)).body.revision).toBe(current);

    // With its warnings looked at, the plan is ready for activation, and every duty becomes work.
    const view = (await req<PlanView>('GET', `/api/plans/${id}`)).body;
    for (const w of view.warnings.filter((x) => !x.resolved)) {
      const resolved = await req<PlanView>('POST', `/api/plans/${id}/warnings/${w.index}/resolve`, { note: 'Đã xem', revision });
      expect(resolved.status).toBe(200);
      revision = resolved.body.revision;
    }
    const validation = await req<{ valid: boolean; problems: unknown[] }>('POST', `/api/plans/${id}/validate`);
    expect(validation.body).toMatchObject({ valid: true, problems: [] });
    const preview = await req<{ assignments: number; byItem: Record<string, number> }>('GET', `/api/plans/${id}/activation-preview`);
    expect(preview.status).toBe(200);
    // Tư pháp's two one-off duties once each; Y tế's quarterly duty once per quarter (coordinators may add more).
    expect(preview.body.byItem['II.1.3']).toBeGreaterThanOrEqual(1);
    expect(preview.body.byItem['II.1.4']).toBeGreaterThanOrEqual(1);
    expect(preview.body.byItem['II.2.1']).toBeGreaterThanOrEqual(4);
  });

  it('only drafts are editable', async () => {
    const { body: plan } = await importJson();
    await api.app.get(PlanRepository).setStatus(plan.id, 'active', 'test');
    const res = await req<ErrorBody>('PATCH', `/api/plans/${plan.id}`, { revision: 2, changes: [{ path: 'responsibilities.0.text', value: 'x' }] });
    expect(res.status).toBe(409);
  });

  it.each([
    ['EMPTY_DOCUMENT', 422, () => ({ text: '   \n' })],
    ['BINARY_CONTENT', 422, () => ({ text: 'PK\u0003\u0004\u0000\u0000binary\u0001\u0002' })],
    ['NOT_A_PLAN', 422, () => ({ text: 'Chào anh, chiều nay họp lúc 3 giờ nhé.' })],
    ['PAYLOAD_TOO_LARGE', 413, () => ({ text: `**KẾ HOẠCH**\n\n${'a'.repeat(PLAN_MAX_BYTES + 10)}` })],
  ])('JSON import %s → %i and nothing stored', async (code, status, body) => {
    const [plans, edits] = [await planCount(), await editCount()];
    const res = await req<ErrorBody>('POST', '/api/plans/import', body());
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
    expect(res.body.error.message.length).toBeGreaterThan(0);
    expect([await planCount(), await editCount()]).toEqual([plans, edits]);
  });

  it.each([
    // Intake sniffs the content: a PNG header named .md is not text, whatever its name says (as the CLI test has it).
    ['UNSUPPORTED_FORMAT', 422, 'anh.md', () => Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 1, 2, 3, 0xff, 0xfe, 0, 0, 0, 0, 0, 0, 0, 0, 7, 8])],
    ['UNSUPPORTED_FORMAT', 422, 'bang.xlsx', () => Buffer.from('a,b,c')],
    ['UNSUPPORTED_FORMAT', 422, 'gia.docx', () => Buffer.from('not a zip at all')],
    ['EMPTY_DOCUMENT', 422, 'trong.txt', () => Buffer.alloc(0)],
    ['PAYLOAD_TOO_LARGE', 413, 'lon.md', () => Buffer.alloc(PLAN_MAX_BYTES + 1, 'a')],
  ])('upload %s → %i and nothing stored (%s)', async (code, status, name, content) => {
    const [plans, edits] = [await planCount(), await editCount()];
    const res = await upload(api.baseUrl, coordinator, name, content());
    expect(res.status).toBe(status);
    expect((res.body as ErrorBody).error.code).toBe(code);
    expect([await planCount(), await editCount()]).toEqual([plans, edits]);
  });

  it('records the signed-in user; leaders cannot import; unit users see active plans only', async () => {
    const { body: plan } = await importJson();
    const [row] = await ds.query('SELECT created_by FROM plans WHERE id = $1', [plan.id]);
    expect(row.created_by).toBe(coordinator.user.id);
    const leader = await login(api.baseUrl, 'lanhdao', SAMPLE_PASSWORD);
    expect((await req('POST', '/api/plans/import', { text: SAMPLE }, leader)).status).toBe(403);
    expect((await req('GET', `/api/plans/${plan.id}`, undefined, leader)).status).toBe(200);
    const officer = await login(api.baseUrl, 'xa-an-son.canbo', SAMPLE_PASSWORD);
    expect((await req('GET', `/api/plans/${plan.id}`, undefined, officer)).status).toBe(404);
    const list = await req<{ items: Array<{ status: string }> }>('GET', '/api/plans?status=draft', undefined, officer);
    expect(list.body.items).toEqual([]);
    await api.app.get(PlanRepository).setStatus(plan.id, 'active', 'test');
    expect((await req('GET', `/api/plans/${plan.id}`, undefined, officer)).status).toBe(200);
    expect((await req('PATCH', `/api/plans/${plan.id}`, { revision: 2, changes: [{ path: 'closing', value: 'x' }] }, officer)).status).toBe(403);
  });

  it('unknown plans are 404', async () => {
    expect((await req('GET', '/api/plans/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await req('GET', '/api/plans/not-a-uuid')).status).toBe(404);
  });

  it('loads the sample plan once, however often and however concurrently it is asked', async () => {
    const deps = { plans: api.app.get(PlanRepository), organisation: api.app.get(OrganisationRepository) };
    const [a, b] = await Promise.all([loadSamplePlan(deps), loadSamplePlan(deps)]);
    const c = await loadSamplePlan(deps);
    expect(new Set([a.plan.id, b.plan.id, c.plan.id]).size).toBe(1);
    expect(c.created).toBe(false);
    expect(a.plan.slug).toBe(SAMPLE_PLAN_SLUG);
    expect(a.plan.document.objectives).toHaveLength(12);
    const [{ n }] = await ds.query('SELECT count(*)::int AS n FROM plans WHERE slug = $1', [SAMPLE_PLAN_SLUG]);
    expect(n).toBe(1);
  });
});

describe('organisation API', () => {
  let api: RunningApi;
  let admin: LoggedIn;
  let coordinator: LoggedIn;
  const req = <T = unknown>(method: string, path: string, body?: unknown, as: LoggedIn = admin) => http<T>(api.baseUrl, method, path, body, as.headers);

  beforeAll(async () => {
    api = await startApiApp(testConfig());
    await seedSampleOrganisationAndAccounts(api.app.get(DataSource));
    admin = await login(api.baseUrl, 'admin', SAMPLE_PASSWORD);
    coordinator = await login(api.baseUrl, 'dieuphoi', SAMPLE_PASSWORD);
  });

  it('only an admin changes the directory', async () => {
    expect((await req('GET', '/api/organisation', undefined, coordinator)).status).toBe(200);
    expect((await req('PUT', '/api/organisation', { text: ORG_YAML }, coordinator)).status).toBe(403);
    expect((await req('PATCH', '/api/organisation/units/VQ-LDTBXH', { emails: [] }, coordinator)).status).toBe(403);
  });

  afterAll(async () => {
    await api?.close();
  });

  it('lists units and groups', async () => {
    const res = await req<{ units: Array<{ code: string }>; groups: Array<{ code: string }> }>('GET', '/api/organisation');
    expect(res.status).toBe(200);
    expect(res.body.units.map((u) => u.code)).toContain('VQ-LDTBXH');
    expect(res.body.groups.map((g) => g.code)).toContain('VQ-NHOM-XA-TT');
  });

  it('replaces the directory from YAML text, and refuses a bad file with 422 and its issues', async () => {
    const ok = await req<{ units: unknown[] }>('PUT', '/api/organisation', { text: ORG_YAML });
    expect(ok.status).toBe(200);
    expect(ok.body.units.length).toBe(loadOrganisationDirectory(ORG_YAML).units.length);

    const bad = await req<ErrorBody>('PUT', '/api/organisation', { text: 'version: 1\nname: X\nunits:\n  - code: abc\n' });
    expect(bad.status).toBe(422);
    expect(bad.body.error.code).toBe('INVALID_ORGANISATION');
    expect(Object.keys(bad.body.error.fields ?? {}).length).toBeGreaterThan(0);
    const broken = await req<ErrorBody>('PUT', '/api/organisation', { text: 'units: [' });
    expect(broken.status).toBe(422);
    const still = await req<{ units: unknown[] }>('GET', '/api/organisation');
    expect(still.body.units.length).toBe(ok.body.units.length);
  });

  it('patches one unit and keeps the directory valid', async () => {
    type UnitBody = { code: string; name: string; emails: string[]; parentCode: string | null; aliases: string[]; locale: string };
    const before = (await req<{ units: UnitBody[] }>('GET', '/api/organisation')).body.units.find((u) => u.code === 'VQ-LDTBXH')!;
    const res = await req<UnitBody>('PATCH', '/api/organisation/units/VQ-LDTBXH', { emails: ['ldtbxh@vanquan.example.vn'] });
    expect(res.status).toBe(200);
    // Only the named field changes: the parent (which puts the unit in its groups), aliases and name stay.
    expect(res.body).toEqual({ ...before, emails: ['ldtbxh@vanquan.example.vn'] });
    expect(before.parentCode).not.toBeNull();
    const bad = await req<ErrorBody>('PATCH', '/api/organisation/units/VQ-LDTBXH', { supervisorCode: 'KHONG-CO' });
    expect(bad.status).toBe(422);
    expect((await req('PATCH', '/api/organisation/units/KHONG-CO', { name: 'x' })).status).toBe(404);
    // Restore what the seed said, for the other suites sharing the database.
    await req('PUT', '/api/organisation', { text: ORG_YAML });
  });
});
