// `npm run bench -- email-volume [quiet-seconds]`: how much mail activating the sample plan sends today, when
// every one of its 2024 deadlines has passed (issue 13). Real PostgreSQL and Temporal dev server (as the other
// benches), the real worker (NestJS module: activities, batching, delivery) and an SMTP sink that catches every
// message. Quiet hours are off and batches close after the production quiet period (60 s; the argument
// overrides it), so the run ends in minutes; it waits until no batch due now is open, no row is pending and the
// sink has caught nothing new for a while, then prints the figures and PASS/FAIL against the goals (total ≤ 2 ×
// recipients, nobody > 2 emails, one letter per late unit). A batch deferred to a later working morning (notices
// that came after that day's batch had gone) is an email too: it is counted with the caught ones.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { parseConfig } from '@app/config';
import { loadOrganisationDirectory } from '@app/domain';
import { startSmtpSink } from '@app/notifications';
import { TypeormOrganisationRepository, TypeormPlanRepository } from '@app/persistence';
import { parsePlan } from '@app/plan-parser';
import { activationWorkflowId } from '@app/contracts/workflow';
import { buildWorkflowBundle } from '../../deploy/scripts/build-workflow-bundle';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { startBenchServices } from './services';

const ROOT = join(__dirname, '..', '..');
const POLL_MS = 5000;
/** The outbox counts as quiet after this many polls in a row with nothing open, pending or newly caught. */
const QUIET_POLLS = 4;
const GIVE_UP_MS = 20 * 60_000;

export async function benchEmailVolume(args: string[]): Promise<void> {
  const quietSeconds = Number(args[0] ?? 60);
  const services = await startBenchServices(16);
  const { ds, client, temporalAddress, log } = services;
  const sink = await startSmtpSink();
  const work = mkdtempSync(join(tmpdir(), 'dondoc-bench-mail-'));
  let worker: INestApplicationContext | undefined;
  try {
    const organisation = new TypeormOrganisationRepository(ds);
    const directory = loadOrganisationDirectory(readFileSync(join(ROOT, 'deploy/seed/van-quan/organisation.yaml'), 'utf8'));
    await organisation.seedIfEmpty(directory.file);
    const sample = readFileSync(join(ROOT, 'libs/plan-parser/fixtures/van-quan-2024-cong-tac-tre-em.md'), 'utf8');
    const parsed = parsePlan({ text: sample, format: 'markdown' }, directory);
    const plans = new TypeormPlanRepository(ds);
    const stored = await plans.createDraft({ plan: parsed.plan, warnings: parsed.warnings, sourceText: sample, sourceName: 'sample.md' }, 'bench');
    const active = await plans.setStatus(stored.id, 'active', 'bench', stored.revision);

    // The worker runs today's workflow code, not whatever bundle an earlier build left behind.
    const bundlePath = join(work, 'workflow-bundle.js');
    writeFileSync(bundlePath, await buildWorkflowBundle(require.resolve('../../workflows')));
    const config = parseConfig({
      NODE_ENV: 'development',
      DATABASE_URL: (ds.options as { url: string }).url,
      TEMPORAL_ADDRESS: temporalAddress,
      TASK_QUEUE: `bench-email-${stored.id}`,
      WORKFLOW_BUNDLE_PATH: bundlePath,
      SMTP_URL: sink.url,
      SECRET_KEY: randomBytes(32).toString('hex'),
      LOG_LEVEL: 'warn',
      MAIL_QUIET_HOURS: 'off',
      MAIL_BATCH_QUIET_SECONDS: String(quietSeconds),
      MAIL_BATCH_MAX_SECONDS: '600',
    });
    worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { logger: ['error'] });
    await worker.init();

    const t0 = Date.now();
    const totals = await client.workflow.execute('planActivationWorkflow', {
      workflowId: activationWorkflowId(stored.id),
      taskQueue: config.temporal.taskQueue,
      args: [{ planId: stored.id, revision: active.revision, batchSize: 500 }],
    });
    log(`activated: ${totals.started} assignments in ${Date.now() - t0} ms; waiting for the outbox to go quiet`);

    const like = `asg:${stored.id}:%`;
    let last = -1;
    let quiet = 0;
    for (;;) {
      await new Promise((r) => setTimeout(r, POLL_MS));
      const [{ open, deferred }] = await ds.query(
        `SELECT count(*) FILTER (WHERE send_after <= now() + interval '15 minutes')::int AS open,
                count(*) FILTER (WHERE send_after > now() + interval '15 minutes')::int AS deferred
           FROM notification_batches WHERE plan_id = $1 AND status = 'open'`,
        [stored.id],
      );
      const [{ pending }] = await ds.query(`SELECT count(*)::int AS pending FROM notifications WHERE workflow_id LIKE $1 AND status = 'pending'`, [like]);
      const [{ rows }] = await ds.query(`SELECT count(*)::int AS rows FROM notifications WHERE workflow_id LIKE $1`, [like]);
      const caught = sink.messages().length;
      quiet = open === 0 && pending === 0 && rows > 0 && caught === last ? quiet + 1 : 0;
      log(`t=${Math.round((Date.now() - t0) / 1000)} s: ${caught} emails caught, ${rows} outbox rows (${pending} pending), ${open} open batches, ${deferred} deferred`);
      last = caught;
      if (quiet >= QUIET_POLLS) break;
      if (Date.now() - t0 > GIVE_UP_MS) throw new Error('the outbox did not go quiet within 20 minutes');
    }
    const elapsed = Math.round((Date.now() - t0) / 1000);

    // Per recipient: every address the SMTP envelope carried a message to (Bcc and Cc included).
    const messages = sink.messages();
    const perRecipient = new Map<string, number>();
    const count = (address: string): void => void perRecipient.set(address, (perRecipient.get(address) ?? 0) + 1);
    for (const m of messages) for (const a of new Set(m.envelope.to.map((x) => x.toLowerCase()))) count(a);
    const deferred: Array<{ recipient: string; send_after: Date }> = await ds.query(
      `SELECT recipient, send_after FROM notification_batches WHERE plan_id = $1 AND status = 'open' ORDER BY send_after`,
      [stored.id],
    );
    for (const d of deferred) count(d.recipient.toLowerCase());
    const emails = messages.length + deferred.length;
    const counts = [...perRecipient.values()].sort((a, b) => a - b);
    const median = counts.length === 0 ? 0 : counts.length % 2 ? counts[(counts.length - 1) / 2]! : (counts[counts.length / 2 - 1]! + counts[counts.length / 2]!) / 2;
    const max = counts.at(-1) ?? 0;
    const busiest = [...perRecipient.entries()].sort((a, b) => b[1] - a[1]).slice(0, 5);

    // Who was told what: the outbox rows per step (one per assignment × step × address), and the late units.
    const bySteps: Array<{ step_key: string; n: number }> = await ds.query(
      `SELECT step_key, count(*)::int AS n FROM notifications WHERE workflow_id LIKE $1 GROUP BY 1 ORDER BY 1`,
      [like],
    );
    const lateUnits: Array<{ unit_code: string }> = await ds.query(
      `SELECT DISTINCT a.unit_code FROM notifications n JOIN assignments a ON a.workflow_id = n.workflow_id
        WHERE n.workflow_id LIKE $1 AND n.kind = 'leadership' ORDER BY 1`,
      [like],
    );
    // Letters drafted for this plan: one per step before batching (workflow_id), one per unit and day after (letter_key).
    const letters: Array<{ unit_code: string; n: number }> = await ds.query(
      `SELECT unit_code, count(*)::int AS n FROM urging_letters WHERE workflow_id LIKE $1 OR letter_key LIKE $2 GROUP BY 1 ORDER BY 1`,
      [like, `letter|${stored.id}|%`],
    );
    const letterCounts = new Map(letters.map((l) => [l.unit_code, l.n]));
    const attachedLetters = messages.reduce((s, m) => s + m.attachments.filter((a) => a.filename.endsWith('.docx')).length, 0);
    const oneLetterEach = lateUnits.every((u) => letterCounts.get(u.unit_code) === 1) && letters.every((l) => lateUnits.some((u) => u.unit_code === l.unit_code));
    const letterSpread = [...new Set(letters.map((l) => l.n))].sort((a, b) => a - b);

    const goals = [
      { ok: emails <= 2 * perRecipient.size, text: `total ${emails} ≤ 2 × ${perRecipient.size} distinct recipients (${2 * perRecipient.size})` },
      { ok: max <= 2, text: `no recipient more than 2 emails (max ${max})` },
      { ok: oneLetterEach, text: `one urging letter per late unit (${lateUnits.length} late units, ${letters.reduce((s, l) => s + l.n, 0)} letters)` },
    ];
    process.stdout.write(
      [
        `Email volume: the sample plan (${totals.started} assignments, every deadline past) activated on ${new Date(t0).toISOString().slice(0, 10)}; quiet after ${elapsed} s`,
        `  batch quiet period ${quietSeconds} s, quiet hours off; one Temporal dev server, the real worker, an SMTP sink`,
        `  emails:                    ${emails} (${messages.length} caught by the SMTP sink, ${deferred.length} in batches deferred to ${deferred[0] ? deferred[0].send_after.toISOString() : '-'})`,
        `  distinct recipients:       ${perRecipient.size}`,
        `  emails per recipient:      max ${max}, median ${median}`,
        `  busiest recipients:        ${busiest.map(([a, n]) => `${a} ${n}`).join(', ')}`,
        `  outbox rows (item notices): ${bySteps.map((s) => `${s.step_key} ${s.n}`).join(', ')}`,
        `  urging letters:            ${letters.reduce((s, l) => s + l.n, 0)} for ${letters.length} units (per unit: ${letterSpread.join('/') || '-'}), ${attachedLetters} attached to emails; late units (leader told): ${lateUnits.length}`,
        ...goals.map((g) => `  ${g.ok ? 'PASS' : 'FAIL'}  ${g.text}`),
        `  overall: ${goals.every((g) => g.ok) ? 'PASS' : 'FAIL'}`,
        '',
      ].join('\n'),
    );
  } finally {
    await worker?.close();
    await sink.stop();
    await services.stop();
    rmSync(work, { recursive: true, force: true });
  }
}
