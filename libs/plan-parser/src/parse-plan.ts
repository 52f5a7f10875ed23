import { type OrganisationDirectory } from '../../domain/src/organisation';
import {
  type Footnote,
  type Objective,
  type Plan,
  type PlanSection,
  type PlanSectionKind,
  PlanSchema,
  type PlanWarning,
  type PlanWarningCode,
  type ReportingRule,
  type Responsibility,
  type ResponsibilitySection,
  type SourceLocation,
  type Task,
  type TextItem,
  type UnitRef,
  type DistributionEntry,
  type LegalBasis,
  type Signer,
} from '../../domain/src/plan';
import { normaliseKey } from '../../domain/src/text';
import { type Analysed, type Block, analyse, joinContinuations, markdownBlocks, plainLines, plainText, tableRows, textBlocks } from './blocks';
import { deadlineFor, explicitDeadline, extractRecurrence, foldForSearch } from './dates';
import { PlanParseError } from './errors';
import { extractIndicators } from './indicators';
import {
  findIssuer,
  looksLikeName,
  parseDistribution,
  parseDocumentNumber,
  parseIssueDate,
  parseLegalBasis,
  parseSignerBlock,
  parseUnitList,
  toUnitRef,
} from './metadata';

export type PlanFormat = 'markdown' | 'text';

export interface ParsePlanInput {
  text: string;
  format: PlanFormat;
}

export interface ParsePlanOptions {
  /** Upper bound on the UTF-8 size of the text; default 5 MB. */
  maxBytes?: number;
  /** Year to assume when the document states none. */
  fallbackYear?: number;
}

export interface ParsePlanResult {
  plan: Plan;
  warnings: PlanWarning[];
}

export const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;

/** Rejects what cannot be a plan before any parsing effort is spent on it. */
export function guardInput(input: ParsePlanInput, maxBytes: number): void {
  if (input.format !== 'markdown' && input.format !== 'text') throw new PlanParseError('UNSUPPORTED_FORMAT');
  if (typeof input.text !== 'string') throw new PlanParseError('UNSUPPORTED_FORMAT');
  if (Buffer.byteLength(input.text, 'utf8') > maxBytes) throw new PlanParseError('TOO_LARGE');
  if (input.text.trim() === '') throw new PlanParseError('EMPTY_DOCUMENT');
  // Text never holds NUL; decoded binary shows control bytes and U+FFFD replacement characters.
  let suspicious = 0;
  for (const ch of input.text) {
    const code = ch.codePointAt(0) ?? 0;
    if ((code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0c && code !== 0x0d) || code === 0xfffd) suspicious += 1;
  }
  if (input.text.includes('\u0000') || suspicious > Math.max(8, input.text.length / 100)) {
    throw new PlanParseError('BINARY_CONTENT');
  }
}

function sectionKindOf(title: string): PlanSectionKind {
  const key = normaliseKey(title);
  if (/bao cao/.test(key) && !/to chuc thuc hien/.test(key)) return 'reporting';
  if (/to chuc thuc hien|phan cong|trach nhiem/.test(key)) return 'implementation';
  if (/kinh phi|nguon luc/.test(key)) return 'funding';
  if (/nhiem vu|giai phap|noi dung|hoat dong/.test(key)) return 'tasks';
  if (/muc tieu|chi tieu/.test(key)) return 'objectives';
  if (/muc dich|yeu cau/.test(key)) return 'purpose';
  return 'other';
}

const ROMAN_VALUES: Record<string, number> = { I: 1, V: 5, X: 10 };
function romanValue(numeral: string): number {
  let total = 0;
  for (let i = 0; i < numeral.length; i += 1) {
    const v = ROMAN_VALUES[numeral[i]];
    const next = ROMAN_VALUES[numeral[i + 1]] ?? 0;
    total += v < next ? -v : v;
  }
  return total;
}

interface SectionState {
  key: string;
  kind: PlanSectionKind;
}

/** Mutable collector for one parse; everything it gathers is validated by PlanSchema at the end. */
class PlanBuilder {
  readonly warnings: PlanWarning[] = [];
  readonly sections: PlanSection[] = [];
  readonly purposes: TextItem[] = [];
  readonly requirements: TextItem[] = [];
  readonly objectives: Objective[] = [];
  readonly tasks: Task[] = [];
  readonly funding: TextItem[] = [];
  readonly responsibilitySections: ResponsibilitySection[] = [];
  readonly responsibilities: Responsibility[] = [];
  readonly reportingRules: ReportingRule[] = [];
  readonly footnotes: Footnote[] = [];
  readonly distribution: DistributionEntry[] = [];
  closing: string | null = null;

  warn(code: PlanWarningCode, message: string, section: string | null, line: number | null, text = ''): void {
    this.warnings.push({ code, message, section, line, text });
  }
}

function source(section: string | null, block: Block): SourceLocation {
  return { section, line: block.line, endLine: block.endLine };
}

class PlanParser {
  private readonly out = new PlanBuilder();
  private section: SectionState | null = null;
  /** Sub-heading inside an objectives/tasks/purpose section ('1. Mục đích'). */
  private sub: { number: number; target: 'purposes' | 'requirements' | null } | null = null;
  private counters = new Map<string, number>();
  private lastItem: Objective | Task | null = null;
  private respSection: ResponsibilitySection | null = null;
  private year = 0;
  private issueDate: string | null = null;

  constructor(
    private readonly blocks: readonly Block[],
    private readonly directory: OrganisationDirectory,
    private readonly options: ParsePlanOptions,
  ) {}

  run(): ParsePlanResult {
    const firstSection = this.blocks.findIndex((b) => analyse(b).roman !== null);
    const head = firstSection >= 0 ? this.blocks.slice(0, firstSection) : this.blocks;
    const headInfo = this.readHead(head);
    if (!headInfo.isPlan || firstSection < 0) throw new PlanParseError('NOT_A_PLAN');
    this.year = headInfo.year;
    this.issueDate = headInfo.issueDate;

    const tail = this.readBody(this.blocks.slice(firstSection));
    const signer = this.readTail(tail);
    if (!this.sections.some((s) => ['objectives', 'tasks', 'implementation'].includes(s.kind))) {
      throw new PlanParseError('NOT_A_PLAN');
    }
    this.checkFootnotes();
    return this.finish(headInfo, signer);
  }

  private get sections(): PlanSection[] {
    return this.out.sections;
  }

  // ---- head: title, header lines, legal basis -------------------------------------------------

  private readHead(blocks: readonly Block[]): HeadInfo {
    const headerLines: string[] = [];
    const legalBasis: LegalBasis[] = [];
    const preamble: string[] = [];
    let title: string | null = null;
    let number: string | null = null;
    let issueDate: string | null = null;
    let isPlan = false;
    let expectTitle = false;
    for (const block of blocks) {
      if (block.kind === 'break') continue;
      if (block.kind === 'footnote') {
        this.addFootnote(block, null);
        continue;
      }
      const lines = plainLines(block.raw);
      const consumed = lines.map((line) => {
        const folded = normaliseKey(line);
        if (folded === 'ke hoach') {
          isPlan = true;
          expectTitle = true;
          return true;
        }
        if (folded.startsWith('ke hoach ') && title === null && analyse(block).headingLike && !/^ke hoach so\b/.test(folded)) {
          // 'KẾ HOẠCH Triển khai ...' on one line: type and title together.
          isPlan = true;
          title = line.replace(/^\S+\s+\S+\s*/u, '');
          return true;
        }
        const n = parseDocumentNumber(line);
        if (n) return (number = n), true;
        const date = parseIssueDate(line);
        if (date && line.length < 80) return (issueDate = date), true;
        if (/^cong hoa xa hoi chu nghia viet nam$|^doc lap tu do hanh phuc$/.test(folded)) return true;
        if (/^(uy ban nhan dan|ubnd|huyen|xa|thi tran|tinh)\b/.test(folded) && line === line.toLocaleUpperCase('vi')) {
          headerLines.push(line);
          return true;
        }
        return false;
      });
      const rest = lines.filter((_l, i) => !consumed[i]);
      if (rest.length === 0) continue;
      const text = rest.join(' ');
      const folded = foldForSearch(text);
      if (expectTitle && title === null && !/^(can cu|thuc hien|de |nham )/.test(folded)) {
        title = text;
        expectTitle = false;
        continue;
      }
      if (expectTitle && title !== null && analyse(block).headingLike) {
        title = `${title} ${text}`;
        continue;
      }
      expectTitle = false;
      if (/^(can cu|thuc hien|trien khai|de |nham |theo )/.test(folded) || /ke hoach/.test(folded)) {
        if (/ke hoach/.test(folded)) isPlan = true;
        preamble.push(text);
        legalBasis.push(...parseLegalBasis(text));
        continue;
      }
      this.out.warn('UNMAPPED_PARAGRAPH', 'Đoạn ở phần đầu văn bản chưa được xử lý', null, block.line, text);
    }
    const preambleText = preamble.join('\n');
    const issuer = findIssuer(headerLines, preambleText);
    const titleYear = title ? /năm\s+(\d{4})/u.exec(title) : null;
    const year =
      (titleYear ? Number(titleYear[1]) : undefined) ??
      (issueDate ? Number((issueDate as string).slice(0, 4)) : undefined) ??
      this.options.fallbackYear;
    if (year === undefined) {
      if (isPlan) this.out.warn('MISSING_YEAR', 'Không xác định được năm kế hoạch', null, null);
      return { isPlan: false, title, number, issueDate, issuer, legalBasis, preamble: preambleText, year: 0 };
    }
    return { isPlan, title, number, issueDate, issuer, legalBasis, preamble: preambleText, year };
  }

  // ---- body: Roman sections until the closing sentence ----------------------------------------

  /** Returns the blocks after the body: distribution list and signature. */
  private readBody(blocks: readonly Block[]): Block[] {
    for (let i = 0; i < blocks.length; i += 1) {
      const block = blocks[i];
      if (block.kind === 'break') continue;
      if (block.kind === 'footnote') {
        this.addFootnote(block, this.section?.key ?? null);
        continue;
      }
      const a = analyse(block);
      if (/^(tren day la|noi nhan)/.test(foldForSearch(a.plain))) {
        if (/^tren day la/.test(foldForSearch(a.plain))) {
          this.out.closing = a.plain;
          return blocks.slice(i + 1);
        }
        return blocks.slice(i);
      }
      if (a.roman) {
        this.openSection(a.roman.numeral, a.roman.title, block);
        continue;
      }
      this.readSectionBlock(block, a);
    }
    return [];
  }

  private openSection(numeral: string, title: string, block: Block): void {
    const kind = sectionKindOf(title);
    this.section = { key: numeral, kind };
    this.sub = null;
    this.lastItem = null;
    this.respSection = null;
    if (romanValue(numeral) !== this.sections.length + 1) {
      this.out.warn('UNKNOWN_SECTION', `Số thứ tự mục ${numeral} không liên tục`, numeral, block.line, title);
    }
    this.sections.push({ key: numeral, title, kind, source: source(numeral, block) });
    if (kind === 'other') {
      this.out.warn('UNKNOWN_SECTION', 'Mục không thuộc loại nào đã biết; nội dung được ghi vào cảnh báo', numeral, block.line, title);
    }
  }

  private readSectionBlock(block: Block, a: Analysed): void {
    const section = this.section;
    if (!section) return;
    switch (section.kind) {
      case 'purpose':
        return this.readPurpose(section, block, a);
      case 'objectives':
      case 'tasks':
        return this.readItem(section, block, a);
      case 'funding':
        return this.pushText(this.out.funding, section.key, block, a.plain);
      case 'implementation':
        return this.readImplementation(section, block, a);
      case 'reporting':
        return this.readReporting(section, block, a);
      case 'other':
        return this.out.warn('UNMAPPED_PARAGRAPH', 'Đoạn thuộc mục chưa được xử lý', section.key, block.line, a.plain);
    }
  }

  /** A repeated item number ('2.' twice) must not collide: the second gets a suffix and a warning. */
  private freeKey(key: string, taken: ReadonlyArray<{ key: string }>, block: Block, text: string): string {
    if (!taken.some((t) => t.key === key)) return key;
    let n = 2;
    while (taken.some((t) => t.key === `${key}#${n}`)) n += 1;
    this.out.warn('DUPLICATE_NUMBER', `Số thứ tự ${key} bị lặp`, this.section?.key ?? null, block.line, text);
    return `${key}#${n}`;
  }

  private nextNumber(parent: string): number {
    const n = (this.counters.get(parent) ?? 0) + 1;
    this.counters.set(parent, n);
    return n;
  }

  private pushText(list: TextItem[], parent: string, block: Block, text: string): void {
    if (text === '') return;
    const n = this.nextNumber(parent);
    list.push({ key: `${parent}.${n}`, text, source: source(this.section?.key ?? null, block) });
  }

  private readPurpose(section: SectionState, block: Block, a: Analysed): void {
    if (a.numbered && (a.headingLike || a.boldLead !== null)) {
      const title = normaliseKey(a.boldLead ?? a.numbered.text);
      const target = /yeu cau/.test(title) ? 'requirements' : /muc dich/.test(title) ? 'purposes' : null;
      this.sub = { number: a.numbered.n, target };
      const body = a.boldLead !== null ? a.afterBold : '';
      if (target && body) this.pushText(this.out[target], `${section.key}.${a.numbered.n}`, block, body);
      if (target === null) this.out.warn('UNMAPPED_PARAGRAPH', 'Tiểu mục không rõ là mục đích hay yêu cầu', section.key, block.line, a.plain);
      return;
    }
    const target = this.sub?.target ?? 'purposes';
    const parent = this.sub ? `${section.key}.${this.sub.number}` : section.key;
    this.pushText(this.out[target], parent, block, a.plain);
  }

  /** A numbered line that is a title (bold or heading, no sentence end) groups the items below it. */
  private isSubheading(a: Analysed): boolean {
    return a.numbered !== null && a.headingLike && a.plain.length <= 100 && !/[.;]$/u.test(a.plain);
  }

  private readItem(section: SectionState, block: Block, a: Analysed): void {
    if (this.isSubheading(a) && a.numbered) {
      this.sub = { number: a.numbered.n, target: null };
      this.lastItem = null;
      return;
    }
    const parent = this.sub ? `${section.key}.${this.sub.number}` : section.key;
    if (block.kind === 'bullet' && this.lastItem && a.numbered === null && !this.sub) {
      // Bullets under a numbered item elaborate it; they are not items of their own.
      this.lastItem.text = `${this.lastItem.text}\n${a.plain}`;
      this.lastItem.source.endLine = block.endLine;
      this.lastItem.footnotes.push(...a.footnotes);
      if (section.kind === 'objectives') (this.lastItem as Objective).indicators.push(...extractIndicators(a.plain));
      return;
    }
    if (block.kind === 'table') {
      return this.out.warn('UNMAPPED_PARAGRAPH', 'Bảng trong mục này chưa được xử lý', section.key, block.line, a.plain);
    }
    const number = a.numbered ? a.numbered.n : this.nextNumber(parent);
    if (a.numbered) this.counters.set(parent, a.numbered.n);
    const text = a.numbered ? a.numbered.text : a.plain;
    if (text === '') return;
    const taken = section.kind === 'objectives' ? this.out.objectives : this.out.tasks;
    const common = { key: this.freeKey(`${parent}.${number}`, taken, block, text), number, text, footnotes: [...a.footnotes], source: source(section.key, block) };
    if (section.kind === 'objectives') {
      const objective: Objective = { ...common, indicators: extractIndicators(text) };
      this.out.objectives.push(objective);
      this.lastItem = objective;
    } else {
      const task: Task = { ...common, ...this.taskUnits(text, section.key, block) };
      this.out.tasks.push(task);
      this.lastItem = task;
    }
  }

  /** '(Chủ trì: ...; phối hợp: ...)' names the units of a general task. */
  private taskUnits(text: string, sectionKey: string, block: Block): Pick<Task, 'leadUnitRefs' | 'coordinatingUnitRefs'> {
    const pick = (label: RegExp): UnitRef[] => {
      const hit = label.exec(text);
      if (!hit) return [];
      const list = parseUnitList(hit[1], this.directory);
      list.unresolved.forEach((u) => this.unresolved(u, sectionKey, block));
      return list.refs;
    };
    return {
      leadUnitRefs: pick(/(?:đơn vị\s+)?chủ trì\s*:\s*([^;)\n]+)/iu),
      coordinatingUnitRefs: pick(/(?:đơn vị\s+)?phối hợp\s*:\s*([^;)\n]+)/iu),
    };
  }

  private unresolved(text: string, sectionKey: string | null, block: Block): void {
    this.out.warn('UNRESOLVED_UNIT', `Không tìm thấy đơn vị "${text}" trong danh mục`, sectionKey, block.line, text);
  }

  // ---- implementation: unit sections and their duties ----------------------------------------

  private readImplementation(section: SectionState, block: Block, a: Analysed): void {
    if (block.kind === 'table') return this.readResponsibilityTable(section, block);
    if (a.numbered && block.kind !== 'bullet') {
      const { heading, body } = this.splitHeading(a);
      const { ref, resolved } = toUnitRef(heading, this.directory);
      if (!resolved) this.unresolved(heading, `${section.key}.${a.numbered.n}`, block);
      const rs: ResponsibilitySection = {
        key: this.freeKey(`${section.key}.${a.numbered.n}`, this.out.responsibilitySections, block, heading),
        heading,
        unitRef: ref,
        source: source(section.key, block),
      };
      this.out.responsibilitySections.push(rs);
      this.respSection = rs;
      if (body) this.addResponsibility(rs, body, block);
      return;
    }
    if (!this.respSection) {
      this.out.warn('ITEM_WITHOUT_SECTION', 'Nhiệm vụ không thuộc đơn vị nào', section.key, block.line, a.plain);
      return;
    }
    this.addResponsibility(this.respSection, a.plain, block);
  }

  /** '2. Các phòng, ban, ngành liên quan: căn cứ...' → heading and the duty that follows it. */
  private splitHeading(a: Analysed): { heading: string; body: string } {
    const strip = (s: string): string => s.replace(/^\d{1,2}[.)]\s*/u, '').replace(/[:.]\s*$/u, '').trim();
    if (a.boldLead !== null && a.afterBold !== '') return { heading: strip(a.boldLead), body: a.afterBold };
    const text = a.numbered?.text ?? a.plain;
    const colon = text.indexOf(':');
    if (!a.headingLike && colon > 0 && colon < 120) {
      return { heading: strip(text.slice(0, colon)), body: text.slice(colon + 1).trim() };
    }
    return { heading: strip(text), body: '' };
  }

  private addResponsibility(rs: ResponsibilitySection, text: string, block: Block, extra: Partial<Responsibility> = {}): void {
    const n = this.nextNumber(rs.key);
    const recurrence = extra.recurrence ?? extractRecurrence(text);
    const roles = this.roleOf(text, rs.unitRef);
    this.out.responsibilities.push({
      key: `${rs.key}.${n}`,
      sectionKey: rs.key,
      unitRef: rs.unitRef,
      ...roles,
      text,
      deadline: deadlineFor(text, recurrence, this.year, this.issueDate),
      recurrence,
      source: source(this.section?.key ?? null, block),
      ...extra,
    });
  }

  /**
   * 'phối hợp (chặt chẽ) với <one unit>' at the start makes this a supporting duty for that unit;
   * 'phối hợp với <many units>' means the section's unit leads and the others help.
   */
  private roleOf(text: string, self: UnitRef): Pick<Responsibility, 'role' | 'leadUnitRefs' | 'coordinatingUnitRefs'> {
    const hit = /^(?:căn cứ[^,]*,\s*(?:nhiệm vụ[^,]*,\s*)?)?phối hợp(?:\s+chặt chẽ)?\s+với\s+/iu.exec(text);
    if (!hit) return { role: 'lead', leadUnitRefs: [], coordinatingUnitRefs: [] };
    const rest = text.slice(hit[0].length);
    const partner = this.directory.matchAtStart(rest);
    const ref: UnitRef | null = partner
      ? { kind: partner.match.kind, code: partner.match.code, text: rest.slice(0, partner.length).replace(/[,;:]$/u, '') }
      : null;
    if (ref && ref.kind === 'unit' && ref.code !== self.code) return { role: 'coordinate', leadUnitRefs: [ref], coordinatingUnitRefs: [] };
    // Partners are informational: an unknown one is kept as written, without a warning.
    const list = parseUnitList(rest.split(/\s(?:chủ động|để|xây dựng|triển khai|thực hiện|tổ chức thực hiện)\s/u)[0], this.directory).refs;
    return { role: 'lead', leadUnitRefs: [], coordinatingUnitRefs: list };
  }

  /** Nội dung | Đơn vị chủ trì | Đơn vị phối hợp | Thời gian hoàn thành: one section per lead unit. */
  private readResponsibilityTable(section: SectionState, block: Block): void {
    const rows = tableRows(block.raw);
    const header = (rows[0] ?? []).map((c) => normaliseKey(c));
    const col = (re: RegExp): number => header.findIndex((h) => re.test(h));
    const cText = col(/noi dung|nhiem vu|hoat dong/);
    const cLead = col(/chu tri/);
    const cCoord = col(/phoi hop/);
    const cTime = col(/thoi gian|thoi han|hoan thanh/);
    if (cText < 0 || cLead < 0) {
      this.out.warn('UNMAPPED_PARAGRAPH', 'Bảng không có cột Nội dung và Đơn vị chủ trì', section.key, block.line, block.raw);
      return;
    }
    rows.slice(1).forEach((cells, i) => {
      const line = block.line + i + 2;
      const rowBlock: Block = { ...block, line: Math.min(line, block.endLine), endLine: Math.min(line, block.endLine) };
      const text = cells[cText] ?? '';
      const leadText = cells[cLead] ?? '';
      if (text === '' || leadText === '') {
        this.out.warn('INCOMPLETE_TABLE_ROW', 'Dòng bảng thiếu nội dung hoặc đơn vị chủ trì', section.key, rowBlock.line, cells.join(' | '));
        return;
      }
      const rs = this.sectionForUnit(section, leadText, rowBlock);
      const coordinators = cCoord >= 0 && cells[cCoord] ? parseUnitList(cells[cCoord], this.directory) : { refs: [], unresolved: [] };
      coordinators.unresolved.forEach((u) => this.unresolved(u, rs.key, rowBlock));
      const timeText = cTime >= 0 ? (cells[cTime] ?? '') : '';
      const recurrence = extractRecurrence(`${timeText} ${text}`);
      const deadline =
        explicitDeadline(timeText, this.year) ?? deadlineFor(`${text} ${timeText}`, recurrence, this.year, this.issueDate);
      this.addResponsibility(rs, text, rowBlock, {
        role: 'lead',
        leadUnitRefs: [],
        coordinatingUnitRefs: coordinators.refs,
        recurrence,
        deadline,
      });
    });
  }

  private sectionForUnit(section: SectionState, unitText: string, block: Block): ResponsibilitySection {
    const { ref, resolved } = toUnitRef(unitText, this.directory);
    const same = this.out.responsibilitySections.find(
      (s) => s.key.startsWith(`${section.key}.`) && (ref.code !== null ? s.unitRef.code === ref.code : s.heading === unitText),
    );
    if (same) return same;
    const n = this.nextNumber(`${section.key}#sections`);
    const rs: ResponsibilitySection = { key: `${section.key}.${n}`, heading: unitText, unitRef: ref, source: source(section.key, block) };
    if (!resolved) this.unresolved(unitText, rs.key, block);
    this.out.responsibilitySections.push(rs);
    return rs;
  }

  // ---- reporting ----------------------------------------------------------------------------

  private readReporting(section: SectionState, block: Block, a: Analysed): void {
    const rules = this.reportingRules(section.key, a.plain, block);
    if (rules.length === 0) {
      this.out.warn('UNMAPPED_PARAGRAPH', 'Không đọc được quy định báo cáo (kỳ báo cáo, hạn)', section.key, block.line, a.plain);
    }
    this.out.reportingRules.push(...rules);
  }

  private reportingRules(sectionKey: string, text: string, block: Block): ReportingRule[] {
    const folded = foldForSearch(text);
    const who = /^(?:yeu cau|de nghi|giao)\s+(.+?)\s+(?:dinh ky|thuc hien|bao cao|gui)\s/.exec(folded);
    const reporters = who ? parseUnitList(text.slice(who.index + who[0].indexOf(who[1]), who.index + who[0].indexOf(who[1]) + who[1].length), this.directory) : { refs: [], unresolved: [] };
    reporters.unresolved.forEach((u) => this.unresolved(u, sectionKey, block));
    const recipientHit = /\sve\s+(?=ubnd|uy ban|phong|so |ban )/.exec(folded);
    let recipientText = 'Cơ quan ban hành kế hoạch';
    let recipientUnitRef: UnitRef | null = null;
    let viaUnitRef: UnitRef | null = null;
    if (recipientHit) {
      const rest = text.slice(recipientHit.index + recipientHit[0].length);
      const hit = this.directory.matchAtStart(rest);
      const written = hit ? rest.slice(0, hit.length) : rest.split(/[(,;.]/u)[0].trim();
      recipientText = written;
      recipientUnitRef = toUnitRef(written, this.directory).ref;
      const via = /^\s*\(\s*qua\s+([^)]+)\)/iu.exec(rest.slice(written.length));
      if (via) viaUnitRef = toUnitRef(via[1], this.directory).ref;
    }
    const periods: Array<{ period: ReportingRule['period']; re: RegExp }> = [
      { period: 'semiannual', re: /bao cao\s+(?:dinh ky\s+)?(?:6|sau) thang/g },
      { period: 'annual', re: /bao cao\s+(?:dinh ky\s+)?(?:hang |hang |ca )?nam(?!\s+\d)/g },
      { period: 'quarterly', re: /bao cao\s+(?:dinh ky\s+)?(?:hang )?quy(?![\p{L}])/gu },
      { period: 'monthly', re: /bao cao\s+(?:dinh ky\s+)?hang thang/g },
    ];
    const found: Array<{ index: number; rule: Omit<ReportingRule, 'key'> }> = [];
    for (const { period, re } of periods) {
      for (const hit of folded.matchAll(re)) {
        const index = hit.index ?? 0;
        const window = text.slice(index + hit[0].length, index + hit[0].length + 60).split(/báo cáo|\)/iu)[0];
        const deadline = explicitDeadline(window, this.year);
        if (!deadline || reporters.refs.length === 0) continue;
        found.push({
          index,
          rule: { reporterRefs: reporters.refs, recipientText, recipientUnitRef, viaUnitRef, period, deadline, text, source: source(sectionKey, block) },
        });
      }
    }
    return found
      .sort((x, y) => x.index - y.index)
      .map(({ rule }) => ({ ...rule, key: `${sectionKey}.${this.nextNumber(`${sectionKey}#rules`)}` }));
  }

  // ---- tail: recipients and signature --------------------------------------------------------

  private readTail(blocks: readonly Block[]): Signer | null {
    let pendingSigner: Omit<Signer, 'name'> | null = null;
    let signer: Signer | null = null;
    let inDistribution = false;
    for (const block of blocks) {
      if (block.kind === 'break') continue;
      if (block.kind === 'footnote') {
        this.addFootnote(block, null);
        continue;
      }
      const a = analyse(block);
      const folded = foldForSearch(a.plain);
      if (/^noi nhan\s*:?/.test(folded)) {
        inDistribution = true;
        const rest = a.plain.replace(/^nơi nhận\s*:?\s*/iu, '');
        if (rest) this.out.distribution.push(parseDistribution(rest, this.directory));
        continue;
      }
      const lines = plainLines(block.raw);
      const signing = parseSignerBlock(lines);
      if (signing && !signer) {
        // Plain text puts 'KT. CHỦ TỊCH' and 'PHÓ CHỦ TỊCH' on separate lines: one block each.
        pendingSigner = mergeSigningLines(pendingSigner, signing);
        inDistribution = false;
        continue;
      }
      if (pendingSigner && looksLikeName(a.plain)) {
        signer = { ...pendingSigner, name: a.plain };
        pendingSigner = null;
        continue;
      }
      if (/^\(?(da ky|ky ten|ky, ghi ro|dong dau)/.test(folded)) continue;
      if (inDistribution && (block.kind === 'bullet' || a.plain.length < 150)) {
        this.out.distribution.push(parseDistribution(a.plain, this.directory));
        continue;
      }
      this.out.warn('UNMAPPED_PARAGRAPH', 'Đoạn cuối văn bản chưa được xử lý', null, block.line, a.plain);
    }
    if (!signer) this.out.warn('MISSING_SIGNER', 'Không tìm thấy người ký', null, null);
    return signer;
  }

  // ---- footnotes ----------------------------------------------------------------------------

  private addFootnote(block: Block, section: string | null): void {
    const hit = /^\s*(?:<sup>\s*(\d{1,3})\s*<\/sup>|\[\^(\d{1,3})\]:)\s*/iu.exec(block.raw);
    const number = Number(hit?.[1] ?? hit?.[2] ?? 0);
    const text = plainText(block.raw.slice(hit?.[0].length ?? 0)).text;
    if (number < 1 || text === '') {
      this.out.warn('UNMAPPED_PARAGRAPH', 'Chú thích không đọc được', section, block.line, block.raw);
      return;
    }
    this.out.footnotes.push({ number, text, source: source(section, block) });
  }

  private checkFootnotes(): void {
    const referenced = new Set(this.blocks.flatMap((b) => (b.kind === 'footnote' ? [] : plainText(b.raw).footnotes)));
    for (const note of this.out.footnotes) {
      if (!referenced.has(note.number)) {
        this.out.warn('UNREFERENCED_FOOTNOTE', `Chú thích ${note.number} không được dẫn chiếu`, note.source.section, note.source.line, note.text);
      }
    }
  }

  private finish(head: HeadInfo, signer: Signer | null): ParsePlanResult {
    const out = this.out;
    if (head.number === null) out.warn('MISSING_NUMBER', 'Văn bản không ghi số hiệu (Số: .../KH-...)', null, null);
    if (head.issueDate === null) out.warn('MISSING_ISSUE_DATE', 'Văn bản không ghi ngày ban hành', null, null);
    if (head.issuer === null) out.warn('MISSING_ISSUER', 'Không xác định được cơ quan ban hành', null, null);
    const issuer = head.issuer ?? 'Chưa xác định';
    const candidate = {
      status: 'draft' as const,
      metadata: {
        number: head.number,
        title: head.title ?? 'Kế hoạch',
        issuer,
        issuerUnitCode: head.issuer ? (this.directory.resolveUnitRef(head.issuer, { minConfidence: 0.95 })?.code ?? null) : null,
        issueDate: head.issueDate,
        year: head.year,
        legalBasis: head.legalBasis,
        signer,
        distribution: out.distribution,
      },
      preamble: head.preamble || null,
      sections: out.sections,
      purposes: out.purposes,
      requirements: out.requirements,
      objectives: out.objectives,
      tasks: out.tasks,
      funding: out.funding,
      responsibilitySections: out.responsibilitySections,
      responsibilities: out.responsibilities,
      reportingRules: out.reportingRules,
      footnotes: out.footnotes,
      closing: out.closing,
    };
    const parsed = PlanSchema.safeParse(candidate);
    if (!parsed.success) {
      throw new PlanParseError('INVALID_STRUCTURE', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    }
    return { plan: parsed.data, warnings: out.warnings };
  }
}

/** 'KT. CHỦ TỊCH' then 'PHÓ CHỦ TỊCH' as two blocks are one signing capacity. */
function mergeSigningLines(previous: Omit<Signer, 'name'> | null, next: Omit<Signer, 'name'>): Omit<Signer, 'name'> {
  const continues = previous !== null && previous.title === previous.onBehalfOf && next.onBehalfOf === null;
  return continues && previous ? { ...previous, title: `${previous.title} ${next.position}`, position: next.position } : next;
}

interface HeadInfo {
  isPlan: boolean;
  title: string | null;
  number: string | null;
  issueDate: string | null;
  issuer: string | null;
  legalBasis: LegalBasis[];
  preamble: string;
  year: number;
}

/** Parses a plan document already in text form. Throws only PlanParseError. */
export function parsePlan(
  input: ParsePlanInput,
  directory: OrganisationDirectory,
  options: ParsePlanOptions = {},
): ParsePlanResult {
  guardInput(input, options.maxBytes ?? DEFAULT_MAX_BYTES);
  const lines = input.text.normalize('NFC').replace(/^\ufeff/, '').split(/\r\n|\r|\n/);
  const raw = input.format === 'markdown' ? markdownBlocks(lines) : textBlocks(lines);
  return new PlanParser(joinContinuations(raw), directory, options).run();
}
