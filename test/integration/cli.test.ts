// The CLI as a user runs it: a child process through the TypeScript runner, no database.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatDateVN, loadOrganisationDirectory, planAssignments } from '@app/domain';
import { parsePlan } from '@app/plan-parser';
import { FIXTURE_DIR, FixtureRenderer } from '../support/fixture-formats';

const ROOT = join(__dirname, '..', '..');
const SAMPLE = join(ROOT, 'libs/plan-parser/fixtures/van-quan-2024-cong-tac-tre-em.md');

const DISTRICT = join(FIXTURE_DIR, 'van-quan-2024-chuyen-doi-so.md');
const COMMUNE = join(FIXTURE_DIR, 'trang-cac-2024-he-an-toan-cho-tre-em.md');

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  return cliWith({}, ...args);
}

function cliWith(env: Record<string, string>, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const res = spawnSync(process.execPath, ['deploy/local/run-ts.js', 'apps/cli/src/main.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: '', ...env },
    timeout: 60_000,
  });
  return { status: res.status, stdout: res.stdout, stderr: res.stderr };
}

describe('cli import', () => {
  it('prints the structure: sections, objectives, units and reporting', () => {
    const sut = cli('import', SAMPLE);
    expect(sut.stderr).toBe('');
    expect(sut.status).toBe(0);
    expect(sut.stdout).toContain('CÁC MỤC');
    expect(sut.stdout).toContain('TỔ CHỨC THỰC HIỆN');
    expect(sut.stdout).toContain('MỤC TIÊU (12)');
    expect(sut.stdout).toContain('NHIỆM VỤ (11)');
    expect(sut.stdout).toContain('[VQ-LDTBXH]');
    expect(sut.stdout).toContain('CHẾ ĐỘ BÁO CÁO (2)');
  });

  it('--json prints the plan and warnings as JSON', () => {
    const sut = cli('import', SAMPLE, '--json');
    expect(sut.status).toBe(0);
    const out = JSON.parse(sut.stdout) as { plan: { objectives: unknown[]; responsibilitySections: unknown[] }; warnings: unknown[] };
    expect(out.plan.objectives).toHaveLength(12);
    expect(out.plan.responsibilitySections).toHaveLength(3);
    expect(Array.isArray(out.warnings)).toBe(true);
  });

  // Intake judges a file by its bytes: binary content under a text extension is not a format it reads.
  it('a binary file exits 2 with the error code on stderr', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dondoc-cli-'));
    const file = join(dir, 'anh.md');
    writeFileSync(file, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 1, 2, 3, 0xff, 0xfe, 0, 0, 0, 0, 0, 0, 0, 0, 7, 8]));
    const sut = cli('import', file);
    expect(sut.status).toBe(2);
    expect(sut.stderr).toMatch(/^UNSUPPORTED_FORMAT: /u);
    expect(sut.stdout).toBe('');
  });

  it('an unknown command or missing file argument is a usage error', () => {
    expect(cli('frobnicate').status).toBe(64);
    expect(cli('import').status).toBe(64);
  });

  it('a bad PLAN_MAX_BYTES is refused by name (exit 78), a valid one bounds the text read', () => {
    const bad = cliWith({ PLAN_MAX_BYTES: 'lots' }, 'import', SAMPLE);
    expect(bad.status).toBe(78);
    expect(bad.stderr).toMatch(/PLAN_MAX_BYTES/);
    expect(bad.stdout).toBe('');
    const small = cliWith({ PLAN_MAX_BYTES: '2048' }, 'import', SAMPLE);
    expect(small.status).toBe(2);
    expect(small.stderr).toMatch(/^TOO_LARGE: /);
  });
});

interface AssignmentsJson {
  plan: { number: string | null; title: string };
  assignments: Array<{ itemKey: string; unitCode: string; unitName: string | null; role: string; periodLabel: string; deadline: string | null; deadlineLocal: string | null; title: string }>;
  problems: Array<{ itemKey: string; code: string; text: string; message: string }>;
}

describe('cli import --assignments', () => {
  const directory = loadOrganisationDirectory(readFileSync(join(ROOT, 'deploy/seed/van-quan/organisation.yaml'), 'utf8'));

  it('--json lists exactly the work activation computes for the sample plan, deadlines in Vietnam dates', () => {
    const sut = cli('import', SAMPLE, '--assignments', '--json');
    expect(sut.stderr).toBe('');
    expect(sut.status).toBe(0);
    const out = JSON.parse(sut.stdout) as AssignmentsJson;
    const expected = planAssignments(parsePlan({ text: readFileSync(SAMPLE, 'utf8'), format: 'markdown' }, directory).plan, directory);
    expect(out.assignments.map((a) => [a.itemKey, a.unitCode, a.role, a.periodLabel, a.deadline])).toEqual(
      expected.assignments.map((a) => [a.itemKey, a.unitCode, a.role, a.periodLabel, a.deadline]),
    );
    expect(out.problems.map((p) => p.code)).toEqual(expected.problems.map((p) => p.code));
    // The summer duty of the lead department (V.1.3): 'dịp nghỉ hè' ends 31 May, shown as a Vietnamese date.
    const summer = out.assignments.find((a) => a.itemKey === 'V.1.3' && a.unitCode === 'VQ-LDTBXH');
    expect(summer).toMatchObject({ unitName: 'Phòng Lao động, Thương binh, Xã hội - Dân tộc', role: 'lead', deadlineLocal: '31/05/2024' });
    for (const a of out.assignments) if (a.deadline) expect(a.deadlineLocal).toBe(formatDateVN(new Date(a.deadline)));
  });

  it('prints a table of item, unit, role, period and deadline (dd/MM/yyyy)', () => {
    const sut = cli('import', SAMPLE, '--assignments');
    expect(sut.status).toBe(0);
    const lines = sut.stdout.split('\n');
    expect(lines.find((l) => l.startsWith('Mục'))).toMatch(/^Mục\s+Đơn vị\s+Vai trò\s+Kỳ\s+Hạn$/u);
    expect(lines.find((l) => l.startsWith('V.1.3 '))).toMatch(/^V\.1\.3\s+VQ-LDTBXH Phòng Lao động, Thương binh, Xã hội - Dân tộc\s+chủ trì\s+Năm 2024 \(một lần\)\s+31\/05\/2024$/u);
    expect(sut.stdout).toMatch(/Khi kích hoạt sẽ giao \d+ việc cho \d+ đơn vị/u);
  });

  it('a district plan with inline assignments: lead and partner units get work, working days become dates', () => {
    const sut = cli('import', DISTRICT, '--assignments', '--json');
    expect(sut.status).toBe(0);
    const out = JSON.parse(sut.stdout) as AssignmentsJson;
    expect(out.plan.number).toBe('45/KH-UBND');
    const onTask = (words: string) => out.assignments.filter((a) => a.title.includes(words)).map((a) => [a.unitCode, a.role, a.deadlineLocal]);
    // 'Giao Phòng Nội vụ chủ trì, phối hợp với Phòng Văn hóa và Thông tin …; hoàn thành trong 05 ngày làm việc kể từ ngày ký'
    // (signed Tue 12/3/2024): five working days later is Tue 19/3/2024.
    expect(onTask('Kiện toàn Ban Chỉ đạo chuyển đổi số')).toEqual(
      expect.arrayContaining([
        ['VQ-NOI-VU', 'lead', '19/03/2024'],
        ['VQ-VH-TT', 'coordinate', '19/03/2024'],
      ]),
    );
  });

  it('units the directory lacks are activation problems, not silent drops (commune plan with village heads)', () => {
    const sut = cli('import', COMMUNE, '--assignments');
    expect(sut.status).toBe(0);
    const problems = sut.stdout.slice(sut.stdout.indexOf('VẤN ĐỀ KHI KÍCH HOẠT'));
    expect(problems).toMatch(/^VẤN ĐỀ KHI KÍCH HOẠT \(\d+\)/u);
    expect(problems).toContain('Trưởng thôn Nà Lùng');
    expect(problems).toContain('Công an xã');
  });

  it('reads a PDF as well: the district plan printed to PDF starts the same lead work as its Markdown', async () => {
    const renderer = new FixtureRenderer(mkdtempSync(join(tmpdir(), 'dondoc-cli-pdf-')));
    let pdf;
    try {
      pdf = await renderer.render(DISTRICT, 'pdf-text');
    } finally {
      await renderer.close();
    }
    const leadWork = (out: AssignmentsJson) =>
      out.assignments.filter((a) => a.role === 'lead').map((a) => `${a.unitCode} ${a.deadlineLocal}`).sort();
    const fromPdf = cli('import', pdf.path, '--assignments', '--json');
    expect(fromPdf.stderr).toBe('');
    expect(fromPdf.status).toBe(0);
    const fromMd = JSON.parse(cli('import', DISTRICT, '--assignments', '--json').stdout) as AssignmentsJson;
    expect(leadWork(JSON.parse(fromPdf.stdout) as AssignmentsJson)).toEqual(leadWork(fromMd));
  });

  it('a file that is not what its name says, or no file at all, is a one-line error and exit code 2', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dondoc-cli-'));
    const fake = join(dir, 'ke-hoach.pdf');
    writeFileSync(fake, 'KẾ HOẠCH nhưng không phải PDF');
    const sut = cli('import', fake, '--assignments');
    expect(sut.status).toBe(2);
    expect(sut.stderr).toMatch(/^UNSUPPORTED_FORMAT: /u);
    expect(sut.stdout).toBe('');
    const missing = cli('import', join(dir, 'khong-co.docx'), '--assignments');
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/^FILE_UNREADABLE: .*khong-co\.docx/u);
  });
});
