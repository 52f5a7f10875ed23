// The CLI as a user runs it: a child process through the TypeScript runner, no database.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const SAMPLE = join(ROOT, 'libs/plan-parser/fixtures/van-quan-2024-cong-tac-tre-em.md');

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const res = spawnSync(process.execPath, ['deploy/local/run-ts.js', 'apps/cli/src/main.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: '' },
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

  it('a binary file exits 2 with the error code on stderr', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dondoc-cli-'));
    const file = join(dir, 'anh.md');
    writeFileSync(file, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 1, 2, 3, 0xff, 0xfe, 0, 0, 0, 0, 0, 0, 0, 0, 7, 8]));
    const sut = cli('import', file);
    expect(sut.status).toBe(2);
    expect(sut.stderr).toContain('BINARY_CONTENT');
    expect(sut.stdout).toBe('');
  });

  it('an unknown command or missing file argument is a usage error', () => {
    expect(cli('frobnicate').status).toBe(64);
    expect(cli('import').status).toBe(64);
  });
});
