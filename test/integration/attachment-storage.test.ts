// Attachment bytes in PostgreSQL: two API instances on one database (as two replicas behind the proxy) share every
// file; a file larger than a chunk comes back byte for byte; quota refusals and row deletions leave no bytes behind;
// files an older version left on disk are still served, and the CLI moves them into PostgreSQL exactly once.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { ATTACHMENT_CHUNK_BYTES } from '../../apps/api/src/attachments/attachment-storage';
import { main as cli } from '../../apps/cli/src/main';
import { TEST_SAMPLE_PASSWORD } from '../support/accounts';
import { http, login, type LoggedIn, type RunningApi, seedSampleOrganisationAndAccounts, startApiApp, testConfig } from '../support/harness';
import { headerOnlyPlan } from '../support/plans';

interface Uploaded { id: string; size: number; error?: { code: string; fields?: Record<string, string[]> } }

describe('attachment storage shared by API replicas (PostgreSQL)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'dondoc-attachments-'));
  const limits = { DATA_DIR: dataDir, UPLOAD_MAX_BYTES: String(4 * ATTACHMENT_CHUNK_BYTES), ATTACHMENTS_MAX_BYTES_PER_ASSIGNMENT: String(4 * ATTACHMENT_CHUNK_BYTES) };
  let apiA: RunningApi;
  let apiB: RunningApi;
  let ds: DataSource;
  let officerA: LoggedIn;
  let officerB: LoggedIn;
  let workflowId: string;

  /** A pdf of `size` random bytes after its header, so any corruption or reordering of chunks changes it. */
  const pdf = (size: number): Buffer => Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(size - 9)]);
  const sha = (b: Buffer | Uint8Array): string => createHash('sha256').update(b).digest('hex');
  const chunksOf = async (id: string): Promise<number> => (await ds.query(`SELECT count(*)::int AS n FROM attachment_chunks WHERE attachment_id = $1`, [id]))[0].n;

  async function upload(api: RunningApi, who: LoggedIn, bytes: Buffer, name = 'bao-cao.pdf'): Promise<{ status: number; body: Uploaded }> {
    const form = new FormData();
    form.append('file', new Blob([bytes], { type: 'application/pdf' }), name);
    const res = await fetch(`${api.baseUrl}/api/assignments/${encodeURIComponent(workflowId)}/attachments`, { method: 'POST', headers: who.headers, body: form });
    return { status: res.status, body: (await res.json()) as Uploaded };
  }
  async function download(api: RunningApi, who: LoggedIn, id: string): Promise<{ status: number; bytes: Buffer }> {
    const res = await fetch(`${api.baseUrl}/api/attachments/${id}`, { headers: who.headers });
    return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()) };
  }

  beforeAll(async () => {
    apiA = await startApiApp(testConfig(limits));
    apiB = await startApiApp(testConfig(limits));
    ds = apiA.app.get(DataSource);
    await seedSampleOrganisationAndAccounts(ds);
    [officerA, officerB] = await Promise.all([login(apiA.baseUrl, 'xa-an-son.canbo', TEST_SAMPLE_PASSWORD), login(apiB.baseUrl, 'xa-an-son.canbo', TEST_SAMPLE_PASSWORD)]);
    const coordinator = await login(apiA.baseUrl, 'dieuphoi', TEST_SAMPLE_PASSWORD);
    const imported = await http<{ id: string }>(apiA.baseUrl, 'POST', '/api/plans/import', { text: headerOnlyPlan({ number: '7/KH-UBND', title: `Kế hoạch lưu tệp ${randomUUID().slice(0, 6)}` }), format: 'markdown' }, coordinator.headers);
    expect(imported.status).toBe(201);
    // Uploads need only the assignment's row (its unit and status), not a running workflow.
    workflowId = `asg:att-${randomUUID().slice(0, 8)}:X.1:VQ-XA-AN-SON:once`;
    await ds.query(
      `INSERT INTO assignments (workflow_id, plan_id, item_key, kind, unit_code, period_key, title, status, deadline)
       VALUES ($1, $2, 'X.1', 'responsibility', 'VQ-XA-AN-SON', 'once', 'Báo cáo kết quả', 'assigned', now() + interval '3 days')`,
      [workflowId, imported.body.id],
    );
  });

  afterAll(async () => {
    await apiA?.close();
    await apiB?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves a file uploaded through one replica from the other, byte-identical across chunks, nothing on disk', async () => {
    const bytes = pdf(2 * ATTACHMENT_CHUNK_BYTES + 12345);
    const up = await upload(apiA, officerA, bytes);
    expect(up.status).toBe(201);
    expect(up.body.size).toBe(bytes.length);
    expect(await chunksOf(up.body.id)).toBe(3);
    const viaB = await download(apiB, officerB, up.body.id);
    expect(viaB.status).toBe(200);
    expect(viaB.bytes.length).toBe(bytes.length);
    expect(sha(viaB.bytes)).toBe(sha(bytes));
    expect(existsSync(join(dataDir, 'attachments', up.body.id))).toBe(false);
    // Another unit still cannot see it, whichever replica it asks.
    const other = await login(apiB.baseUrl, 'xa-binh-phuc.canbo', TEST_SAMPLE_PASSWORD);
    expect((await download(apiB, other, up.body.id)).status).toBe(404);
  });

  it('keeps the quota: a refused upload leaves no bytes behind; deleting an attachment row removes its bytes', async () => {
    const before = (await ds.query(`SELECT count(*)::int AS n FROM attachment_chunks`))[0].n;
    // 2 MiB + a bit is stored; 2 MiB more would pass the 4 MiB per-assignment quota.
    const refused = await upload(apiB, officerB, pdf(2 * ATTACHMENT_CHUNK_BYTES));
    expect(refused.status).toBe(413);
    expect(refused.body.error).toMatchObject({ code: 'QUOTA_EXCEEDED', fields: { file: [`MAX_BYTES_PER_ASSIGNMENT:${4 * ATTACHMENT_CHUNK_BYTES}`] } });
    expect((await ds.query(`SELECT count(*)::int AS n FROM attachment_chunks`))[0].n).toBe(before);

    const small = await upload(apiB, officerB, pdf(5000));
    expect(small.status).toBe(201);
    expect(await chunksOf(small.body.id)).toBe(1);
    await ds.query(`DELETE FROM attachments WHERE id = $1`, [small.body.id]);
    expect(await chunksOf(small.body.id)).toBe(0);
    expect((await download(apiA, officerA, small.body.id)).status).toBe(404);
  });

  it('serves files an older version left on disk, and `attachments move-to-postgres` moves them once', async () => {
    const legacyDir = join(dataDir, 'attachments');
    mkdirSync(legacyDir, { recursive: true });
    const files = [pdf(ATTACHMENT_CHUNK_BYTES + 1), pdf(3000)].map((bytes) => ({ id: randomUUID(), bytes }));
    for (const f of files) {
      writeFileSync(join(legacyDir, f.id), f.bytes);
      await ds.query(
        `INSERT INTO attachments (id, workflow_id, name, size, content_type, sha256) VALUES ($1, $2, 'cu.pdf', $3, 'application/pdf', $4)`,
        [f.id, workflowId, f.bytes.length, sha(f.bytes)],
      );
    }
    const orphan = randomUUID();
    writeFileSync(join(legacyDir, orphan), pdf(100));
    const tampered = { id: randomUUID(), bytes: pdf(200) };
    writeFileSync(join(legacyDir, tampered.id), tampered.bytes);
    await ds.query(`INSERT INTO attachments (id, workflow_id, name, size, content_type, sha256) VALUES ($1, $2, 'x.pdf', 200, 'application/pdf', $3)`, [tampered.id, workflowId, sha(pdf(200))]);

    // Before the move: read through to the disk copy.
    const before = await download(apiB, officerB, files[0].id);
    expect(before.status).toBe(200);
    expect(sha(before.bytes)).toBe(sha(files[0].bytes));

    const run = async () => {
      let out = '';
      const code = await cli(['attachments', 'move-to-postgres', '--json'], {
        stdout: (t) => (out += t),
        stderr: (t) => (out += t),
        env: { NODE_ENV: 'test', DATABASE_URL: process.env.DONDOC_TEST_DATABASE_URL, DATA_DIR: dataDir },
      });
      return { code, report: JSON.parse(out) as { moved: number; alreadyMoved: number; orphans: string[]; mismatched: string[] } };
    };
    const first = await run();
    // A file whose bytes do not match the recorded hash is a finding (exit 3) and stays on disk for a person.
    expect(first.code).toBe(3);
    expect(first.report).toMatchObject({ moved: 2, alreadyMoved: 0, orphans: [orphan], mismatched: [tampered.id] });
    for (const f of files) {
      expect(existsSync(join(legacyDir, f.id))).toBe(false);
      const after = await download(apiA, officerA, f.id);
      expect(after.status).toBe(200);
      expect(sha(after.bytes)).toBe(sha(f.bytes));
    }
    expect(await chunksOf(files[0].id)).toBe(2);
    expect(existsSync(join(legacyDir, orphan))).toBe(true);
    expect(existsSync(join(legacyDir, tampered.id))).toBe(true);

    const again = await run();
    expect(again.report).toMatchObject({ moved: 0, alreadyMoved: 0, orphans: [orphan], mismatched: [tampered.id] });
  });

  it('`attachments sweep-orphans` deletes old bytes no attachment claims, and keeps an upload still in progress', async () => {
    const [old, young] = [randomUUID(), randomUUID()];
    // As if a process died after storing the bytes and before inserting the row: two chunks an hour and a half ago.
    await ds.query(`INSERT INTO attachment_chunks (attachment_id, chunk_no, data, created_at) VALUES ($1, 0, $2, now() - interval '90 minutes'), ($1, 1, $3, now() - interval '90 minutes')`, [old, Buffer.alloc(10, 1), Buffer.alloc(5, 2)]);
    await ds.query(`INSERT INTO attachment_chunks (attachment_id, chunk_no, data) VALUES ($1, 0, $2)`, [young, Buffer.alloc(7, 3)]);
    const claimedBefore = (await ds.query(`SELECT count(*)::int AS n FROM attachment_chunks c JOIN attachments a ON a.id = c.attachment_id`))[0].n;
    let out = '';
    const code = await cli(['attachments', 'sweep-orphans', '--json'], {
      stdout: (t) => (out += t),
      stderr: (t) => (out += t),
      env: { NODE_ENV: 'test', DATABASE_URL: process.env.DONDOC_TEST_DATABASE_URL, DATA_DIR: dataDir },
    });
    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual({ files: 1, bytes: 15 });
    expect(await chunksOf(old)).toBe(0);
    expect(await chunksOf(young)).toBe(1);
    expect((await ds.query(`SELECT count(*)::int AS n FROM attachment_chunks c JOIN attachments a ON a.id = c.attachment_id`))[0].n).toBe(claimedBefore);
    await ds.query(`DELETE FROM attachment_chunks WHERE attachment_id = $1`, [young]);
  });

  it('keeps the single-machine option: ATTACHMENT_STORAGE=disk writes under DATA_DIR/attachments', async () => {
    const diskDir = mkdtempSync(join(tmpdir(), 'dondoc-attachments-disk-'));
    const api = await startApiApp(testConfig({ ...limits, DATA_DIR: diskDir, ATTACHMENT_STORAGE: 'disk' }));
    try {
      const me = await login(api.baseUrl, 'xa-an-son.canbo', TEST_SAMPLE_PASSWORD);
      const bytes = pdf(4000);
      const up = await upload(api, me, bytes);
      expect(up.status).toBe(201);
      expect(existsSync(join(diskDir, 'attachments', up.body.id))).toBe(true);
      expect(await chunksOf(up.body.id)).toBe(0);
      expect(sha((await download(api, me, up.body.id)).bytes)).toBe(sha(bytes));
    } finally {
      await api.close();
      rmSync(diskDir, { recursive: true, force: true });
    }
  });
});
