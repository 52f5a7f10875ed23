import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type DemoAssignment, demoPlanText, demoYear, endOfOfficeDay, planScenes } from './demo';
import { runDemoAfterStart } from './demo-launch';

const SAMPLE = readFileSync(join(__dirname, '../../libs/plan-parser/fixtures/van-quan-2024-cong-tac-tre-em.md'), 'utf8');

function item(itemKey: string, unitCode: string, deadline: string | null, periodKey = 'once'): DemoAssignment {
  return { workflowId: `${itemKey}|${unitCode}|${periodKey}`, itemKey, kind: 'responsibility', title: itemKey, unitCode, periodKey, status: 'assigned', timeliness: null, deadline, progress: 0 };
}

describe('demo plan text', () => {
  it("moves the plan's own year and leaves the documents it cites from other years", () => {
    const text = demoPlanText(SAMPLE, 2026);
    expect(text).not.toMatch(/(?<!\d)2024(?!\d)/);
    expect(text).toContain('Triển khai thực hiện công tác trẻ em năm 2026');
    expect(text).toContain('Kế hoạch số 59/KH-SLĐTBXH ngày 22/3/2026');
    expect(text).toContain('Chỉ thị số 28-CT/TW ngày 25/12/2023');
    expect(text).toContain('Nghị định 56/2017/NĐ-CP');
    expect(text.length).toBe(SAMPLE.length);
  });

  it('takes the year and the end of a day in Việt Nam', () => {
    expect(demoYear(new Date('2026-12-31T17:30:00Z'))).toBe(2027);
    expect(demoYear(new Date('2026-12-31T16:30:00Z'))).toBe(2026);
    expect(endOfOfficeDay(new Date('2026-12-01T18:00:00Z'), 2)).toBe('2026-12-04T23:59:59.999+07:00');
  });
});

describe('demo scenes', () => {
  const ref = new Date('2026-12-01T10:00:00Z');
  const communes = ['VQ-XA-AN-SON', 'VQ-XA-BINH-PHUC', 'VQ-XA-DIEM-HE', 'VQ-XA-HUU-LE'];
  const assignments = communes.flatMap((u) => [
    item('V.3.1', u, '2026-12-31T16:59:59.999Z'),
    item('V.3.2', u, '2026-12-31T16:59:59.999Z'),
    item('V.3.3', u, '2026-12-31T16:59:59.999Z'),
    item('V.3.4', u, '2026-05-31T16:59:59.999Z'),
    item('VI.1', u, '2026-05-09T16:59:59.999Z', '2026-H1'),
    item('VI.2', u, '2026-11-09T16:59:59.999Z', '2026'),
  ]);

  it('gives the demo commune one of each kind of open work, and two communes an extension on their annual report', () => {
    const scenes = planScenes(assignments, ref);
    const of = (key: string, unit: string) => scenes.get(`${key}|${unit}|${key.startsWith('VI.1') ? '2026-H1' : key === 'VI.2' ? '2026' : 'once'}`);
    expect(of('V.3.1', 'VQ-XA-AN-SON')).toEqual({ kind: 'progress', percent: 40 });
    expect(of('V.3.2', 'VQ-XA-AN-SON')).toEqual({ kind: 'returned' });
    expect(of('V.3.3', 'VQ-XA-AN-SON')).toEqual({ kind: 'acknowledged' });
    expect(of('VI.2', 'VQ-XA-BINH-PHUC')).toEqual({ kind: 'extension-pending', days: 14 });
    expect(of('VI.2', 'VQ-XA-DIEM-HE')).toEqual({ kind: 'extension-granted', days: 2 });
    expect(scenes.size).toBe(assignments.length);
  });

  it('still gives the demo commune its open work when the year-end deadlines are days away', () => {
    const scenes = planScenes(assignments, new Date('2026-12-30T10:00:00Z'));
    expect(scenes.get('V.3.1|VQ-XA-AN-SON|once')).toEqual({ kind: 'progress', percent: 40 });
    expect(scenes.get('V.3.2|VQ-XA-AN-SON|once')).toEqual({ kind: 'returned' });
  });

  it('chooses the same scenes after the granted extension moved a deadline', () => {
    const before = planScenes(assignments, ref);
    const moved = assignments.map((a) => (a.unitCode === 'VQ-XA-DIEM-HE' && a.itemKey === 'VI.2' ? { ...a, deadline: '2026-12-03T16:59:59.999Z' } : a));
    expect(planScenes(moved, ref)).toEqual(before);
  });
});

describe('demo after npm start', () => {
  const run = async (env: NodeJS.ProcessEnv): Promise<string[]> => {
    const lines: string[] = [];
    // Port 9 (discard) answers nothing: only the runs that must not call the API can pass.
    await runDemoAfterStart({ baseUrl: 'http://127.0.0.1:9', root: join(__dirname, '../..'), env, log: (m) => lines.push(m) });
    return lines;
  };

  it('does nothing with DONDOC_DEMO=false or without sample data, and names a bad DONDOC_DEMO', async () => {
    expect(await run({ DONDOC_SAMPLE_DATA: 'true', DONDOC_SAMPLE_PASSWORD: 'x'.repeat(12), DONDOC_DEMO: 'false' })).toEqual([]);
    expect(await run({ DONDOC_SAMPLE_DATA: 'false', DONDOC_SAMPLE_PASSWORD: 'x'.repeat(12) })).toEqual([]);
    await expect(run({ DONDOC_SAMPLE_DATA: 'true', DONDOC_DEMO: 'maybe' })).rejects.toThrow('DONDOC_DEMO must be true or false, got "maybe"');
    expect(await run({ DONDOC_SAMPLE_DATA: 'true' })).toEqual([expect.stringMatching(/DONDOC_SAMPLE_PASSWORD/)]);
  });

  it('reports a failure and returns, so the app keeps running', async () => {
    const lines = await run({ DONDOC_SAMPLE_DATA: 'true', DONDOC_SAMPLE_PASSWORD: 'x'.repeat(12) });
    expect(lines[0]).toMatch(/Making the demo plan/);
    expect(lines[1]).toMatch(/^The demo plan is not complete: .*next npm start continues/);
  });
});
