// The fixture plans and their expected structures stay honest: every expected duty and unit is in the document's
// own words, and each plan renders to the 3–6 printed pages and the Word tables the import bench relies on.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { foldDiacritics } from '@app/domain';
import { docxToMarkdown } from '@app/plan-parser';
import { blocksToHtml, FixtureRenderer, fixturePlans, markdownBlocks } from '../support/fixture-formats';

const norm = (s: string): string =>
  foldDiacritics(s.normalize('NFC'))
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

interface Expected {
  file: string;
  metadata: { number: string; date: string; title: string; signer: string };
  sections: string[];
  responsibilities: Array<{ item: string; unit: string; code: string | null; role: string; deadline: string | null; periodDeadlines?: string[] }>;
}

const plans = fixturePlans();

describe('fixture plans', () => {
  it('there are the three shapes of issue 12', () => {
    expect(plans.map((p) => p.name)).toEqual(['lang-son-2024-thang-hanh-dong-vi-tre-em', 'trang-cac-2024-he-an-toan-cho-tre-em', 'van-quan-2024-chuyen-doi-so']);
  });

  it.each(plans.map((p) => [p.name, p] as const))('%s: every expected duty, unit and header value is written in the plan', (_name, plan) => {
    const expected = JSON.parse(readFileSync(plan.expectedPath, 'utf8')) as Expected;
    const text = norm(readFileSync(plan.markdownPath, 'utf8'));
    expect(expected.file).toBe(`${plan.name}.md`);
    for (const value of [expected.metadata.number, expected.metadata.title, expected.metadata.signer]) expect(text).toContain(norm(value));
    for (const duty of expected.responsibilities) {
      expect([duty.item, text.includes(norm(duty.item))]).toEqual([duty.item, true]);
      expect([duty.unit, text.includes(norm(duty.unit))]).toEqual([duty.unit, true]);
      expect(duty.deadline ?? duty.periodDeadlines?.[0]).toMatch(/^2024-\d{2}-\d{2}$/);
    }
    // Roman top-level headings in the order the expected file lists them.
    const headings = [...readFileSync(plan.markdownPath, 'utf8').matchAll(/^\*\*([IVX]+)\. /gmu)].map((m) => m[1]);
    expect(headings).toEqual(expected.sections);
  });

  it('renders to Word with the header and the annex as real tables, and prints to 3–6 A4 pages', async () => {
    const renderer = new FixtureRenderer(mkdtempSync(join(tmpdir(), 'dondoc-fixtures-')));
    try {
      for (const plan of plans) {
        const blocks = markdownBlocks(readFileSync(plan.markdownPath, 'utf8'));
        expect(blocks[0].kind).toBe('header');
        expect(blocksToHtml(blocks)).toContain('<table class="head">');
        const { markdown } = await docxToMarkdown((await renderer.render(plan.markdownPath, 'docx')).bytes);
        // The header table comes out of Word as a Markdown table row; the annex keeps its six columns.
        expect(markdown.trimStart().startsWith('|')).toBe(true);
        if (plan.name.startsWith('lang-son')) expect(markdown).toMatch(/^\| 10 \| Báo cáo kết quả tổ chức Tháng hành động vì trẻ em \| UBND huyện Văn Quan \|/mu);
        const pdf = (await renderer.render(plan.markdownPath, 'pdf-text')).bytes.toString('latin1');
        const pages = pdf.match(/\/Type\s*\/Page(?!s)/g)?.length ?? 0;
        expect([plan.name, pages >= 3 && pages <= 6]).toEqual([plan.name, true]);
      }
    } finally {
      await renderer.close();
    }
  });
});
