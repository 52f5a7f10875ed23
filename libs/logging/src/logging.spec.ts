import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { redactUrl, STDOUT_BUFFER_MAX_BYTES } from './index';

describe('redactUrl', () => {
  it('drops the query of signed links, which carries the recipient and the signature', () => {
    expect(redactUrl('/a/asg%3Ax?exp=1&sub=a%40b.vn&sig=abc')).toBe('/a/asg%3Ax?[Redacted]');
  });
  it('keeps other URLs as they are', () => {
    expect(redactUrl('/api/plans?page=2')).toBe('/api/plans?page=2');
    expect(redactUrl('/a/asg%3Ax')).toBe('/a/asg%3Ax');
    expect(redactUrl('/api/a/b?x=1')).toBe('/api/a/b?x=1');
  });
});

describe('stdout destination', () => {
  // A real child process writing to a real pipe: the exit flush and the buffer bound are properties of the process.
  const burst = (count: number): { lines: string[]; dropped: number } => {
    const root = join(__dirname, '..', '..', '..');
    const out = spawnSync(process.execPath, [join(root, 'deploy/local/run-ts.js'), join(__dirname, 'fixtures/log-burst.ts'), String(count)], {
      cwd: root,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      timeout: 60_000,
    });
    expect(out.status).toBe(0);
    const dropped = /dropped (\d+)/.exec(out.stderr);
    expect(dropped).not.toBeNull();
    return { lines: out.stdout.split('\n').filter((l) => l !== ''), dropped: Number(dropped![1]) };
  };

  it('writes every line, in order, even when the process exits right after logging', () => {
    const { lines, dropped } = burst(2000);
    expect(dropped).toBe(0);
    expect(lines.map((l) => (JSON.parse(l) as { i: number }).i)).toEqual(Array.from({ length: 2000 }, (_, i) => i));
  });

  it('holds at most STDOUT_BUFFER_MAX_BYTES when stdout cannot keep up, dropping (and counting) the rest', () => {
    // ~300 bytes a line: 80,000 lines are ~24 MB, more than the bound, written before any write can finish.
    const count = 80_000;
    const { lines, dropped } = burst(count);
    expect(dropped).toBeGreaterThan(0);
    expect(lines.length + dropped).toBe(count);
    const bytes = lines.reduce((s, l) => s + Buffer.byteLength(l) + 1, 0);
    expect(bytes).toBeLessThanOrEqual(STDOUT_BUFFER_MAX_BYTES);
    expect(bytes).toBeGreaterThan(STDOUT_BUFFER_MAX_BYTES / 2);
    // What was kept is the oldest part, whole lines, in order.
    expect(lines.map((l) => (JSON.parse(l) as { i: number }).i)).toEqual(Array.from({ length: lines.length }, (_, i) => i));
  });
});
