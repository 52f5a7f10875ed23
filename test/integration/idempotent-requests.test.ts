// Exactly-once state-changing requests (docs/idempotency.md) against a real API, worker, Temporal and PostgreSQL:
// the same action sent twice (one after the other, and many at once) with one key is applied once and every copy
// gets the same answer; another user's identical key is another request; a malformed or reused key is refused and
// applies nothing; and when the stored answer is missing (a replica killed before it could store it) Temporal's
// update id still keeps the action single.
import { createHash, randomUUID } from 'node:crypto';
import { requestFingerprint, scopedKey } from '../../apps/api/src/common/idempotency';
import { TypeormIdempotentRequestStore } from '@app/persistence';
import { anSonAssignmentBody } from '../support/assignment-start';
import { eventually, http, type LoggedIn, type SampleStack, startSampleStack } from '../support/harness';

interface Snapshot {
  status: string;
  progress: number;
  seq: number;
}

describe('idempotent requests', () => {
  let stack: SampleStack;
  let base: string;
  let coordinator: LoggedIn;
  let officer: LoggedIn;
  let head: LoggedIn;
  let workflowId: string;
  let actionsPath: string;

  beforeAll(async () => {
    stack = await startSampleStack({ SMTP_URL: 'smtp://127.0.0.1:9' });
    base = stack.api.baseUrl;
    [coordinator, officer, head] = await Promise.all(['dieuphoi', 'xa-an-son.canbo', 'xa-an-son.truong'].map((u) => stack.loginAs(u)));
    const started = await http<{ workflowId: string }>(base, 'POST', '/api/assignments', anSonAssignmentBody(randomUUID()), coordinator.headers);
    expect(started.status).toBe(201);
    workflowId = started.body.workflowId;
    actionsPath = `/api/assignments/${encodeURIComponent(workflowId)}/actions`;
    await eventually(() => events('assigned'), (rows) => rows.length === 1, 60_000);
  }, 240_000);

  afterAll(async () => {
    await stack?.close();
  });

  const act = (who: LoggedIn, body: unknown, headers: Record<string, string> = {}) =>
    http<Snapshot & { error?: { code: string; message: string; fields?: Record<string, string[]> } }>(base, 'POST', actionsPath, body, { ...who.headers, ...headers });

  async function events(type: string): Promise<{ actor: string; percent: number | null }[]> {
    return stack.ds.query(`SELECT actor, (data->>'percent')::int AS percent FROM assignment_events WHERE workflow_id = $1 AND type = $2 ORDER BY seq`, [workflowId, type]);
  }

  /** Lets the projection catch up, then proves the count stays put (a duplicate would arrive late, not early). */
  async function settled(type: string, n: number) {
    await eventually(() => events(type), (rows) => rows.length >= n, 30_000);
    await new Promise((r) => setTimeout(r, 1500));
    return events(type);
  }

  it('applies an acknowledge sent twice with one key once, and answers both copies alike', async () => {
    const key = `ack-${randomUUID()}`;
    const first = await act(officer, { type: 'acknowledge' }, { 'Idempotency-Key': key });
    expect(first.status).toBe(200);
    expect(first.body.status).toBe('acknowledged');
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const second = await act(officer, { type: 'acknowledge' }, { 'Idempotency-Key': key });
    // Without the key the second acknowledge is refused as a transition that no longer applies (409).
    expect(second.status).toBe(200);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.body).toEqual(first.body);
    expect(await settled('acknowledged', 1)).toHaveLength(1);

    const without = await act(officer, { type: 'acknowledge' });
    expect(without.status).toBe(409);
  });

  it('applies one progress report sent eight times at once with one key, and gives all eight the same answer', async () => {
    const key = `progress-${randomUUID()}`;
    const copies = await Promise.all(Array.from({ length: 8 }, () => act(officer, { type: 'progress', percent: 20 }, { 'Idempotency-Key': key })));
    expect(copies.map((c) => c.status)).toEqual(Array(8).fill(200));
    expect(copies[0]!.body.progress).toBe(20);
    for (const c of copies) expect(c.body).toEqual(copies[0]!.body);
    // Exactly one copy ran; the others waited for its answer.
    expect(copies.filter((c) => c.headers.get('idempotent-replayed') === null)).toHaveLength(1);
    expect((await settled('progress', 1)).filter((e) => e.percent === 20)).toHaveLength(1);
  });

  it("treats the proxy's request id as the key when the client sends none", async () => {
    const requestId = createHash('md5').update(randomUUID()).digest('hex'); // 32 hex digits, like nginx's $request_id
    const first = await act(officer, { type: 'progress', percent: 30 }, { 'X-Request-Id': requestId });
    const replay = await act(officer, { type: 'progress', percent: 30 }, { 'X-Request-Id': requestId });
    expect([first.status, replay.status]).toEqual([200, 200]);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body).toEqual(first.body);
    expect((await settled('progress', 2)).filter((e) => e.percent === 30)).toHaveLength(1);
  });

  it("gives another user with the same key their own result, never the first user's", async () => {
    const key = `shared-${randomUUID()}`;
    const mine = await act(officer, { type: 'progress', percent: 40 }, { 'Idempotency-Key': key });
    const theirs = await act(head, { type: 'progress', percent: 40 }, { 'Idempotency-Key': key });
    expect([mine.status, theirs.status]).toEqual([200, 200]);
    expect(theirs.headers.get('idempotent-replayed')).toBeNull();
    expect(theirs.body.seq).toBeGreaterThan(mine.body.seq);
    const reports = (await settled('progress', 4)).filter((e) => e.percent === 40);
    expect(reports.map((e) => e.actor).sort()).toEqual([officer.user.id, head.user.id].sort());
  });

  it('refuses a malformed key or a key reused for another request, clearly and without applying anything', async () => {
    const before = (await events('progress')).length;
    for (const bad of ['', 'x'.repeat(129), 'a b', 'a/b', 'semi;colon']) {
      const res = await act(officer, { type: 'progress', percent: 50 }, { 'Idempotency-Key': bad });
      expect(res.status).toBe(400);
      expect(res.body.error?.code).toBe('VALIDATION_FAILED');
      expect(res.body.error?.message).toContain('Idempotency-Key');
      expect(res.body.error?.fields?.['Idempotency-Key']?.[0]).toMatch(/1–128 ký tự/);
    }
    const english = await act(officer, { type: 'progress', percent: 50 }, { 'Idempotency-Key': 'a b', 'Accept-Language': 'en' });
    expect(english.body.error?.message).toBe('Invalid Idempotency-Key: use 1–128 characters among letters A–Z, digits and . _ : -');

    const key = `reuse-${randomUUID()}`;
    expect((await act(officer, { type: 'progress', percent: 55 }, { 'Idempotency-Key': key })).status).toBe(200);
    const reused = await act(officer, { type: 'progress', percent: 60 }, { 'Idempotency-Key': key });
    expect(reused.status).toBe(409);
    expect(reused.body.error?.code).toBe('CONFLICT');
    expect(reused.body.error?.fields?.['Idempotency-Key']).toBeDefined();
    const after = await settled('progress', before + 1);
    expect(after.map((e) => e.percent).slice(before)).toEqual([55]);
  });

  it("keeps an action single through Temporal's update id when the first answer was never stored", async () => {
    const key = `lost-${randomUUID()}`;
    const first = await act(officer, { type: 'progress', percent: 70 }, { 'Idempotency-Key': key });
    expect(first.status).toBe(200);
    // As if the replica had been killed between applying the Update and storing its answer.
    const stored = scopedKey(officer.user.id, 'POST', actionsPath, `client:${key}`);
    const [deleted] = (await stack.ds.query('DELETE FROM idempotent_requests WHERE key = $1 RETURNING state', [stored])) as [unknown[], number];
    expect(deleted).toEqual([{ state: 'done' }]);
    const again = await act(officer, { type: 'progress', percent: 70 }, { 'Idempotency-Key': key });
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBeNull();
    expect(again.body).toEqual(first.body);
    expect((await settled('progress', 1)).filter((e) => e.percent === 70)).toHaveLength(1);
  });

  it('waits for a claim still held, and takes over one whose replica stopped renewing it', async () => {
    const key = `orphan-${randomUUID()}`;
    const body = { type: 'progress', percent: 80 };
    // A claim by a replica that died mid-request: its lease runs out 2 s from now and is never renewed.
    await stack.ds.query(
      `INSERT INTO idempotent_requests (key, user_id, method, path, request_hash, state, owner, lease_until, expires_at)
       VALUES ($1, $2, 'POST', $3, $4, 'running', 'dead-replica', now() + interval '2 seconds', now() + interval '1 day')`,
      [scopedKey(officer.user.id, 'POST', actionsPath, `client:${key}`), officer.user.id, actionsPath, requestFingerprint(stack.config.secretKey, JSON.stringify(body))],
    );
    const started = Date.now();
    const res = await act(officer, body, { 'Idempotency-Key': key });
    expect(res.status).toBe(200);
    expect(res.body.progress).toBe(80);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1500);
    const replay = await act(officer, body, { 'Idempotency-Key': key });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body).toEqual(res.body);
    expect((await settled('progress', 1)).filter((e) => e.percent === 80)).toHaveLength(1);
  });

  it('tells a claim taken from a lapsed lease from a fresh claim of a new or expired key', async () => {
    const store = new TypeormIdempotentRequestStore(stack.ds);
    const key = `store-${randomUUID()}`;
    const claim = (owner: string) =>
      store.tryClaim({ key, userId: officer.user.id, method: 'POST', path: actionsPath, requestHash: 'h', owner, leaseMs: 60_000, keepHours: 24 });
    expect(await claim('first')).toEqual({ tookOver: false });
    // Held under a live lease: nobody else gets it.
    expect(await claim('second')).toBeNull();
    // Its replica stopped renewing: the next claim takes it over, and says so.
    await stack.ds.query(`UPDATE idempotent_requests SET lease_until = now() - interval '1 second' WHERE key = $1`, [key]);
    expect(await claim('third')).toEqual({ tookOver: true });
    await store.complete(key, 'third', 200, { ok: true });
    // A stored answer is kept: no claim while it lasts; once it has expired the key is claimed afresh, not taken over.
    expect(await claim('fourth')).toBeNull();
    await stack.ds.query(`UPDATE idempotent_requests SET expires_at = now() - interval '1 second' WHERE key = $1`, [key]);
    expect(await claim('fifth')).toEqual({ tookOver: false });
    const [row] = await stack.ds.query<{ owner: string; state: string }[]>(`SELECT owner, state FROM idempotent_requests WHERE key = $1`, [key]);
    expect(row).toEqual({ owner: 'fifth', state: 'running' });
  });

  it('stores one attachment for an upload sent twice with one key', async () => {
    const key = `upload-${randomUUID()}`;
    const upload = async () => {
      const form = new FormData();
      form.append('file', new Blob([Buffer.from('%PDF-1.4\nidempotent\n%%EOF\n')]), 'bien-ban.pdf');
      const res = await fetch(`${base}/api/assignments/${encodeURIComponent(workflowId)}/attachments`, {
        method: 'POST',
        headers: { ...officer.headers, 'Idempotency-Key': key },
        body: form,
      });
      return { status: res.status, replayed: res.headers.get('idempotent-replayed'), body: (await res.json()) as { id: string } };
    };
    const first = await upload();
    const second = await upload();
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.replayed).toBe('true');
    expect(second.body).toEqual(first.body);
    const rows: { id: string }[] = await stack.ds.query('SELECT id FROM attachments WHERE workflow_id = $1', [workflowId]);
    expect(rows.map((r) => r.id)).toEqual([first.body.id]);
  });
});
