// Plan import of the formats districts receive, through the real API and PostgreSQL: a PDF with a text layer,
// a scanned PDF (OCR with Debian's tesseract), refusals that store nothing, and a server without OCR tools.
// Documents are made at test time with Chromium (libs/plan-parser/src/intake/test-documents.ts), never committed.
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { DataSource } from 'typeorm';
import { TEST_SAMPLE_PASSWORD as SAMPLE_PASSWORD } from '../support/accounts';
import {
  imagePdf,
  pagePhotos,
  planMarkdownToHtml,
  textPdf,
  withChromium,
} from '../../libs/plan-parser/src/intake/test-documents';
import {
  login,
  type LoggedIn,
  type RunningApi,
  seedSampleOrganisationAndAccounts,
  startApiApp,
  testConfig,
} from '../support/harness';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ensureDebianPackages, INTAKE_PACKAGES } = require('../../deploy/local/system-packages.js') as {
  ensureDebianPackages(pkgs: unknown): void;
  INTAKE_PACKAGES: unknown;
};

const ROOT = join(__dirname, '..', '..');
const SAMPLE = readFileSync(join(ROOT, '../shared/fixtures/plans/van-quan-2024-cong-tac-tre-em.md'), 'utf8');

const SCANNED_PLAN = `| ỦY BAN NHÂN DÂN<br>**HUYỆN VĂN QUAN** | **CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM**<br>**Độc lập - Tự do - Hạnh phúc** |
| --- | --- |
| Số: 131/KH-UBND | *Văn Quan, ngày 03 tháng 6 năm 2024* |

**KẾ HOẠCH**  
**Rà soát trẻ em có hoàn cảnh đặc biệt năm 2024**

**I. MỤC TIÊU**

**1.** 100% trẻ em có hoàn cảnh đặc biệt được cập nhật vào phần mềm quản lý.

**II. NHIỆM VỤ, GIẢI PHÁP**

**1.** Rà soát danh sách trẻ em theo từng thôn, bản, tổ dân phố.

**III. TỔ CHỨC THỰC HIỆN**

**1. Phòng Lao động, Thương binh, Xã hội - Dân tộc**

- Tổng hợp số liệu toàn huyện, hoàn thành trước ngày 15/8/2024.

**2. UBND các xã, thị trấn**

- Hoàn thành rà soát trước ngày 31/7/2024.
`;

interface PlanView {
  id: string;
  status: string;
  plan: {
    metadata: { number: string | null; title: string; issueDate: string | null };
    objectives: unknown[];
    tasks: unknown[];
    responsibilitySections: unknown[];
    reportingRules: unknown[];
  };
  warnings: Array<{ code: string; message: string; line: number | null }>;
  source: { name: string | null; lines: Array<{ number: number; text: string }> };
}

interface ErrorBody {
  error: { code: string; message: string };
}

async function upload(
  baseUrl: string,
  as: LoggedIn,
  name: string,
  content: Buffer,
): Promise<{ status: number; body: unknown }> {
  const form = new FormData();
  form.append('file', new Blob([content]), name);
  const res = await fetch(`${baseUrl}/api/plans/import`, { method: 'POST', body: form, headers: as.headers });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

describe('plan import of PDF and scanned documents over HTTP', () => {
  let api: RunningApi;
  let ds: DataSource;
  let coordinator: LoggedIn;
  let textPdfBytes: Buffer;
  let scanPdfBytes: Buffer;
  const planCount = async (): Promise<number> =>
    Number((await ds.query('SELECT count(*)::int AS n FROM plans'))[0].n);

  beforeAll(async () => {
    ensureDebianPackages(INTAKE_PACKAGES);
    [textPdfBytes, scanPdfBytes] = await withChromium(async (browser) => [
      await textPdf(browser, planMarkdownToHtml(SAMPLE)),
      imagePdf(await pagePhotos(browser, planMarkdownToHtml(SCANNED_PLAN), 1)),
    ]);
    api = await startApiApp(testConfig());
    ds = api.app.get(DataSource);
    await seedSampleOrganisationAndAccounts(ds);
    coordinator = await login(api.baseUrl, 'dieuphoi', SAMPLE_PASSWORD);
  });

  afterAll(async () => {
    await api?.close();
  });

  it('imports a PDF with a text layer into the same draft as the Markdown', async () => {
    const res = await upload(api.baseUrl, coordinator, 'ke-hoach-cong-tac-tre-em.pdf', textPdfBytes);
    expect(res.status).toBe(201);
    const view = res.body as PlanView;
    expect(view.status).toBe('draft');
    expect(view.plan.objectives).toHaveLength(12);
    expect(view.plan.tasks).toHaveLength(11);
    expect(view.plan.responsibilitySections).toHaveLength(3);
    expect(view.plan.reportingRules).toHaveLength(2);
    expect(view.source.name).toBe('ke-hoach-cong-tac-tre-em.pdf');
    // The stored source is the rebuilt text: one line per paragraph, so warnings point at whole paragraphs.
    expect(
      view.source.lines.some(
        (l) => l.text.startsWith('Thực hiện Kế hoạch số 59/KH-SLĐTBXH') && l.text.endsWith('như sau:'),
      ),
    ).toBe(true);
    expect(view.warnings.map((w) => w.code)).toEqual(
      expect.arrayContaining(['MISSING_NUMBER', 'MISSING_ISSUE_DATE']),
    );
  });

  it('imports a scanned PDF through OCR into a draft with its header read and its warnings listed', async () => {
    const res = await upload(api.baseUrl, coordinator, 'ban-scan.pdf', scanPdfBytes);
    expect(res.status).toBe(201);
    const view = res.body as PlanView;
    expect(view.plan.metadata).toMatchObject({
      number: '131/KH-UBND',
      issueDate: '2024-06-03',
      title: 'Rà soát trẻ em có hoàn cảnh đặc biệt năm 2024',
    });
    expect(view.plan.objectives).toHaveLength(1);
    expect(view.plan.tasks).toHaveLength(1);
    expect(view.source.lines.some((l) => l.text === 'Rà soát trẻ em có hoàn cảnh đặc biệt năm 2024')).toBe(
      true,
    );
    expect(view.warnings.length).toBeGreaterThan(0);
    for (const w of view.warnings) expect(w.message).not.toBe('');
  });

  it('refuses a file whose content is not what its name says, and a .docx bomb, storing nothing', async () => {
    const before = await planCount();
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001', 'hex');
    const renamed = await upload(api.baseUrl, coordinator, 'ke-hoach.pdf', png);
    expect(renamed.status).toBe(422);
    expect((renamed.body as ErrorBody).error.code).toBe('UNSUPPORTED_FORMAT');
    expect((renamed.body as ErrorBody).error.message).toMatch(/ảnh PNG/u);

    const zip = new JSZip();
    zip.file('word/document.xml', Buffer.alloc(48 * 1024 * 1024, 0x20));
    const bomb = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
    const refused = await upload(api.baseUrl, coordinator, 'ke-hoach.docx', bomb);
    expect(refused.status).toBe(422);
    expect((refused.body as ErrorBody).error.code).toBe('ARCHIVE_TOO_LARGE');
    expect(await planCount()).toBe(before);
  });

  it('answers 503 OCR_UNAVAILABLE for a scan when tesseract is not installed, and still reads text PDFs', async () => {
    // A PATH with poppler but without tesseract: what a server looks like before `npm start` installed it.
    const bin = mkdtempSync(join(tmpdir(), 'dondoc-no-ocr-'));
    for (const tool of ['pdfinfo', 'pdftotext', 'pdfimages', 'pdftoppm'])
      symlinkSync(`/usr/bin/${tool}`, join(bin, tool));
    const path = process.env.PATH;
    process.env.PATH = bin;
    try {
      const scan = await upload(api.baseUrl, coordinator, 'ban-scan.pdf', scanPdfBytes);
      expect(scan.status).toBe(503);
      expect((scan.body as ErrorBody).error.code).toBe('OCR_UNAVAILABLE');
      expect((scan.body as ErrorBody).error.message).toMatch(/tesseract-ocr/u);
      const text = await upload(api.baseUrl, coordinator, 'ke-hoach.pdf', textPdfBytes);
      expect(text.status).toBe(201);
    } finally {
      process.env.PATH = path;
      rmSync(bin, { recursive: true, force: true });
    }
  });
});
