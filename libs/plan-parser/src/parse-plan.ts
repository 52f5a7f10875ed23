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
import { type DutyRow, readDutyTable } from './annex';
import { cutUnits, inlineAssignment } from './assignments';
import { deadlineFor, explicitDeadline, extractRecurrence, foldForSearch, unreadDeadlinePhrase, unreadRecurrencePhrase } from './dates';
import { PlanParseError } from './errors';
import { periodClauses } from './reporting';
import { unitLabel, unitRefOf, unitRefsIn, unitsThenDuty } from './units';
import { extractIndicators } from './indicators';
import { type HeadInfo as HeadRead, type PreparedText, dedupeBasis, isPreamble, prepareLines, readHead } from './plan-head';
import { type SectionScheme, type TopHeading, detectScheme, isPlanPart, topHeading } from './sections';
import {
  looksLikeName,
  parseDistribution,
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

/** The same unit: same directory code, or the same words when unresolved. */
function sameUnit(a: UnitRef, b: UnitRef): boolean {
  return a.code !== null || b.code !== null ? a.code === b.code : a.text === b.text;
}

/** 'PHỤ LỤC', 'Phụ lục I', 'PHỤ LỤC SỐ 02': the start of an annex, a short line on its own. */
function isAnnexStart(block: Block): boolean {
  if (block.kind === 'table' || block.kind === 'footnote' || block.kind === 'break') return false;
  const first = plainLines(block.raw)[0] ?? '';
  return first.length <= 60 && /^phu luc(?:\s+(?:so\s+)?(?:[ivx]{1,5}|\d{1,2}))?\s*[:.]?$/.test(foldForSearch(first));
}

function annexLabel(block: Block): string | null {
  const hit = /^phu luc\s+(?:so\s+)?([ivx]{1,5}|\d{1,2})/.exec(foldForSearch(plainLines(block.raw)[0] ?? ''));
  return hit ? hit[1].toUpperCase().replace(/^0+(?=\d)/, '') : null;
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

  /** Top-level numbering of this document (sections.ts), decided once from all blocks. */
  private readonly scheme: SectionScheme;
  /** The part ('Phần II', 'A') the current section belongs to. */
  private part: string | null = null;
  /** Inside a 'CĂN CỨ …' section: its lines are legal basis, read like the preamble. */
  private inBasis = false;
  private readonly basisFromBody: LegalBasis[] = [];
  private readonly basisText: string[] = [];

  constructor(
    private readonly blocks: readonly Block[],
    private readonly directory: OrganisationDirectory,
    private readonly options: ParsePlanOptions,
    private readonly prepared: PreparedText,
  ) {
    this.scheme = detectScheme(blocks.map((b) => this.schemeInput(b)));
  }

  private schemeInput(block: Block): { plain: string; headingLike: boolean; roman: { numeral: string; title: string } | null } {
    if (block.kind === 'table' || block.kind === 'footnote' || block.kind === 'break') return { plain: '', headingLike: false, roman: null };
    const a = analyse(block);
    return { plain: a.plain, headingLike: a.headingLike, roman: block.kind === 'bullet' ? null : a.roman };
  }

  /** The number the next section would have in the current part. */
  private nextSectionNumber(): number {
    const prefix = this.part ? `${this.part}.` : '';
    return this.sections.filter((s) => (prefix ? s.key.startsWith(prefix) : !s.key.includes('.') && !/^(Phần|[A-E]$)/u.test(s.key))).length + 1;
  }

  private topHeadingOf(block: Block): TopHeading | null {
    return topHeading(this.schemeInput(block), this.scheme, this.nextSectionNumber());
  }

  run(): ParsePlanResult {
    const firstSection = this.blocks.findIndex((b) => this.topHeadingOf(b) !== null);
    const head = firstSection >= 0 ? this.blocks.slice(0, firstSection) : this.blocks;
    const headInfo = this.readHead(head);
    const firstHeading = firstSection >= 0 ? this.topHeadingOf(this.blocks[firstSection]) : null;
    // Never refuse what has a plan's header or a 'KẾ HOẠCH' title: a draft with warnings instead.
    const planLike = headInfo.isPlan || (firstHeading !== null && isPlanPart(firstHeading.title));
    if (!planLike || headInfo.otherType) throw new PlanParseError('NOT_A_PLAN');
    this.year = headInfo.year;
    this.issueDate = headInfo.issueDate;

    const tail = firstSection >= 0 ? this.readBody(this.blocks.slice(firstSection)) : [];
    this.assignTasks();
    // Annexes (Phụ lục) follow the signature; their duty tables are responsibilities like any other.
    const annexAt = tail.findIndex(isAnnexStart);
    const signer = this.readTail(annexAt >= 0 ? tail.slice(0, annexAt) : tail);
    if (annexAt >= 0) this.readAnnexes(tail.slice(annexAt));
    this.warnMissingBody();
    this.checkFootnotes();
    return this.finish(headInfo, signer);
  }

  private get sections(): PlanSection[] {
    return this.out.sections;
  }

  // ---- head: title, header lines, legal basis -------------------------------------------------

  private readHead(blocks: readonly Block[]): HeadInfo {
    const read: HeadRead = readHead(blocks, this.prepared, {
      warn: (code, message, line, text) => this.out.warn(code, message, null, line, text),
      footnote: (block) => this.addFootnote(block, null),
    });
    if (read.title === null) this.out.warn('MISSING_TITLE', 'Không thấy tên kế hoạch sau chữ "KẾ HOẠCH"; hãy nhập tên trên trang rà soát', null, null);
    // A year the document states; else the option; else the latest year it cites, flagged for review.
    const year = read.statedYear ?? this.options.fallbackYear ?? read.citedYear ?? new Date().getUTCFullYear();
    if (read.statedYear === null && this.options.fallbackYear === undefined) {
      this.out.warn('MISSING_YEAR', `Văn bản không ghi năm kế hoạch; tạm lấy năm ${year}`, null, null);
    }
    return { ...read, year };
  }

  /**
   * A plan without the sections duties come from is an opening or a cut-off paste: the coordinator
   * gets a draft and is told what is missing and where the text stops.
   */
  private warnMissingBody(): void {
    const last = this.blocks.length > 0 ? this.blocks[this.blocks.length - 1].endLine : null;
    const hasBody = this.sections.some((s) => ['objectives', 'tasks', 'implementation', 'reporting'].includes(s.kind));
    if (!hasBody) {
      const seen = this.sections.length === 0 ? 'không thấy mục nào (I, II …)' : `chỉ thấy mục ${this.sections.map((s) => s.key).join(', ')}`;
      this.out.warn('MISSING_BODY', `Văn bản chỉ có phần mở đầu: ${seen}; thiếu nhiệm vụ và tổ chức thực hiện. Hãy nhập đủ văn bản hoặc bổ sung trên trang rà soát`, null, last);
      return;
    }
    if (this.out.responsibilities.length === 0 && this.out.reportingRules.length === 0) {
      this.out.warn('NO_ASSIGNMENTS', 'Không đọc được nhiệm vụ nào giao cho đơn vị; hãy thêm trên trang rà soát trước khi kích hoạt', null, null);
    }
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
      if (isAnnexStart(block) && a.headingLike) return blocks.slice(i);
      if (/^(tren day la|noi nhan)/.test(foldForSearch(a.plain))) {
        if (/^tren day la/.test(foldForSearch(a.plain))) {
          this.out.closing = a.plain;
          return blocks.slice(i + 1);
        }
        return blocks.slice(i);
      }
      const top = this.topHeadingOf(block);
      if (top) {
        this.openSection(top, block);
        continue;
      }
      if (this.inBasis) {
        this.readBasisBlock(block, a);
        continue;
      }
      this.readSectionBlock(block, a);
    }
    return [];
  }

  /**
   * A part ('Phần II', 'A') or a section ('III', or '2' where Arabic numbers are the top level).
   * Sections inside a part are keyed by it ('Phần II.I'): Roman numbers restart in each part.
   */
  private openSection(top: TopHeading, block: Block): void {
    const { title } = top;
    const expected = top.level === 'part' ? this.sections.filter((s) => /^(Phần|[A-E]$)/u.test(s.key)).length + 1 : this.nextSectionNumber();
    if (top.level === 'part') this.part = top.label;
    const key = top.level === 'part' || this.part === null ? top.label : `${this.part}.${top.label}`;
    const kind = sectionKindOf(title);
    this.section = { key, kind };
    this.sub = null;
    this.lastItem = null;
    this.respSection = null;
    this.inBasis = /^can cu\b/u.test(normaliseKey(title));
    if (top.value !== expected) {
      this.out.warn('UNKNOWN_SECTION', `Số thứ tự mục ${top.label} không liên tục`, key, block.line, title);
    }
    this.sections.push({ key, title, kind, source: source(key, block) });
    if (kind === 'other' && !this.inBasis) {
      this.out.warn('UNKNOWN_SECTION', 'Mục không thuộc loại nào đã biết; nội dung được ghi vào cảnh báo', key, block.line, title);
    }
  }

  /** 'I. CĂN CỨ XÂY DỰNG KẾ HOẠCH' then '1. Quyết định số …': the legal basis, as in a preamble. */
  private readBasisBlock(block: Block, a: Analysed): void {
    const basis = parseLegalBasis(a.plain);
    if (basis.length === 0 && !isPreamble(a.plain)) {
      this.out.warn('UNMAPPED_PARAGRAPH', 'Đoạn trong mục căn cứ không nêu văn bản nào', this.section?.key ?? null, block.line, a.plain);
      return;
    }
    this.basisFromBody.push(...basis);
    this.basisText.push(a.plain);
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
    // Text from a PDF has no bold: '1. Mục đích' / '2. Yêu cầu' on a line of their own are the sub-headings still.
    const namedSub =
      a.numbered !== null && a.numbered.text.length <= 40 && !/[.;]$/u.test(a.numbered.text.trim()) && /^(muc dich|yeu cau)\b/u.test(normaliseKey(a.numbered.text));
    if (a.numbered && (a.headingLike || a.boldLead !== null || namedSub)) {
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
      // 'II. NHIỆM VỤ' given as a table of duties and units: the same reader as an annex.
      if (section.kind === 'tasks' && readDutyTable(tableRows(block.raw))) return this.readResponsibilityTable(section, block);
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

  /** Key of the implementation section whose current numbered item is its reporting rules ('4. Chế độ báo cáo'). */
  private reportingItemOf: string | null = null;

  private readImplementation(section: SectionState, block: Block, a: Analysed): void {
    if (block.kind === 'table') return this.readResponsibilityTable(section, block);
    const numberedItem = a.numbered !== null && block.kind !== 'bullet';
    if (numberedItem) this.reportingItemOf = null;
    if (numberedItem && a.numbered) {
      const { heading, body } = this.splitHeading(a);
      // '4. Chế độ báo cáo: Định kỳ hằng quý ...' inside Tổ chức thực hiện: rules, not a unit.
      if (/^(?:che do |thong tin[, ]+)?bao cao(?: ket qua| dinh ky)?$|^che do thong tin(?: bao cao)?$/.test(normaliseKey(heading))) {
        this.reportingItemOf = section.key;
        if (body) this.readReporting(section, block, { ...a, numbered: null, plain: body });
        return;
      }
      const sentence = body === '' && !a.headingLike && heading.length > 60 ? unitsThenDuty(a.numbered.text, this.directory) : null;
      if (sentence) return this.readUnitSentence(section, block, a.numbered.n, sentence.units, sentence.duty);
      const { ref, resolved } = unitRefOf(heading, this.directory);
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
    if (this.reportingItemOf === section.key) return this.readReporting(section, block, a);
    const labelled = a.numbered ? null : unitLabel(a.plain, this.directory);
    if (labelled) return this.readUnitBullet(section, block, labelled.label, labelled.body);
    if (!this.respSection) {
      this.out.warn('ITEM_WITHOUT_SECTION', 'Nhiệm vụ không thuộc đơn vị nào', section.key, block.line, a.plain);
      return;
    }
    this.addResponsibility(this.respSection, a.plain, block);
  }

  /**
   * '2. Sở LĐTBXH là cơ quan thường trực, ...; tổng hợp kết quả ... trước ngày 15/7/2024': a numbered
   * sentence that opens with its units. One section per unit named ('V.3', then 'V.3#2'), each with the duty.
   */
  private readUnitSentence(section: SectionState, block: Block, n: number, unitsText: string, duty: string): void {
    const units = unitRefsIn(unitsText, this.directory);
    units.refs.forEach((ref, i) => {
      const base = `${section.key}.${n}`;
      const key = i === 0 ? this.freeKey(base, this.out.responsibilitySections, block, unitsText) : `${base}#${i + 1}`;
      if (units.unresolved.includes(ref.text)) this.unresolved(ref.text, key, block);
      const rs: ResponsibilitySection = { key, heading: ref.text, unitRef: ref, source: source(section.key, block) };
      this.out.responsibilitySections.push(rs);
      if (i === 0) this.respSection = rs;
      this.addResponsibility(rs, duty, block);
    });
  }

  /** Sections opened by a unit bullet, with the numbered heading they sit under (null: the Roman section). */
  private readonly bulletParents = new Map<string, ResponsibilitySection | null>();

  /**
   * '- Sở Y tế: chủ trì ...' / 'Phòng Tư pháp: ...': a unit and its duty in one bullet. Under a
   * numbered heading ('1. Các sở, ngành:') the units are numbered below it (III.1.1, III.1.2).
   */
  private readUnitBullet(section: SectionState, block: Block, label: string, body: string): void {
    const current = this.respSection;
    const parent = current && current.key.startsWith(`${section.key}.`) ? (this.bulletParents.has(current.key) ? (this.bulletParents.get(current.key) ?? null) : current) : null;
    const parentKey = parent?.key ?? section.key;
    const { ref, resolved } = unitRefOf(label, this.directory);
    const key = this.freeSectionKey(parentKey, `${parentKey}#units`);
    if (!resolved) this.unresolved(label, key, block);
    const rs: ResponsibilitySection = { key, heading: label, unitRef: ref, source: source(section.key, block) };
    this.out.responsibilitySections.push(rs);
    this.bulletParents.set(key, parent);
    this.respSection = rs;
    if (body) this.addResponsibility(rs, body, block);
  }

  /** The next '<parent>.<n>' no responsibility section holds yet. */
  private freeSectionKey(parent: string, counter: string): string {
    for (;;) {
      const key = `${parent}.${this.nextNumber(counter)}`;
      if (!this.out.responsibilitySections.some((s) => s.key === key)) return key;
    }
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
    const deadline = 'deadline' in extra ? (extra.deadline ?? null) : deadlineFor(text, recurrence, this.year, this.issueDate);
    if (deadline?.kind !== 'explicit') {
      const phrase = unreadDeadlinePhrase(text, this.year);
      if (phrase) this.out.warn('UNREAD_DEADLINE', `Không đọc được thời hạn "${phrase}"; hãy đặt hạn trên trang rà soát`, rs.key, block.line, phrase);
    }
    const cadence = unreadRecurrencePhrase(text);
    if (cadence) this.out.warn('UNREAD_DEADLINE', `"${cadence}": chưa đọc được kỳ của nhiệm vụ (việc được giao theo tháng, quý, 6 tháng hoặc năm); hãy đặt kỳ trên trang rà soát`, rs.key, block.line, cadence);
    this.out.responsibilities.push({
      key: `${rs.key}.${n}`,
      sectionKey: rs.key,
      unitRef: rs.unitRef,
      ...roles,
      text,
      deadline,
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
    // 'Chủ trì, phối hợp với Huyện đoàn tổ chức ...': the unit leads, the partners help.
    const leads = /^chủ trì\s*,?\s*(?:và\s+)?phối hợp(?:\s+chặt chẽ)?\s+với\s+/iu.exec(text);
    if (leads) {
      const partners = unitRefsIn(cutUnits(text.slice(leads[0].length).split(/[;.(]/u)[0]), this.directory).refs;
      return { role: 'lead', leadUnitRefs: [], coordinatingUnitRefs: partners.filter((p) => p.code === null || p.code !== self.code) };
    }
    // 'phối hợp tuyên truyền ...' without a partner: the unit helps whoever leads (the issuer).
    if (!hit && /^phối hợp\s+(?!với|chặt chẽ)/iu.test(text)) return { role: 'coordinate', leadUnitRefs: [], coordinatingUnitRefs: [] };
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

  /**
   * Nội dung | Đơn vị chủ trì | Đơn vị phối hợp | Thời gian hoàn thành [| Sản phẩm]: one section per
   * lead unit, one lead responsibility per row and lead unit; coordinators ride on it
   * (coordinatingUnitRefs), activation gives them their share. Rows are read by annex.ts.
   */
  /** The header of the last duty table, for its continuation after a page break or a stray line. */
  private lastDutyHeader: { sectionKey: string; header: string[][]; width: number } | null = null;
  /** Responsibilities of the last table row read, which a wrapped line of text may continue. */
  private lastRowDuties: Responsibility[] = [];

  private readResponsibilityTable(section: SectionState, block: Block): void {
    const rows = tableRows(block.raw);
    let table = readDutyTable(rows);
    let borrowed = 0;
    const previous = this.lastDutyHeader;
    // PDF text may merge two cells of a row: one cell fewer than the widest row still fits.
    const fits = (width: number): boolean => previous !== null && width <= previous.width && width >= previous.width - 1;
    if (!table && previous?.sectionKey === section.key && fits(rows[0]?.length ?? 0)) {
      // A piece of the table above without its header (PDF pages, a line of text that broke it).
      table = readDutyTable([...previous.header, ...rows]);
      borrowed = previous.header.length;
    }
    if (!table) {
      this.out.warn('UNMAPPED_PARAGRAPH', 'Bảng không có cột Nội dung và Đơn vị chủ trì', section.key, block.line, block.raw);
      return;
    }
    if (borrowed === 0) this.lastDutyHeader = { sectionKey: section.key, header: rows.slice(0, table.headerRows), width: table.width };
    // Row r of the cells is source line r + 1 when a Markdown separator row ('|---|') takes line 2.
    const separator = /^\s*\|?\s*:?-{2,}/u.test(block.raw.split('\n')[1] ?? '') ? 1 : 0;
    const lineOf = (r: number): number => {
      const index = r - borrowed;
      return Math.min(block.line + index + (index >= 1 ? separator : 0), block.endLine);
    };
    for (const { row, cells } of table.incomplete) {
      this.out.warn('INCOMPLETE_TABLE_ROW', 'Dòng bảng thiếu nội dung hoặc đơn vị chủ trì', section.key, lineOf(row), cells.join(' | '));
    }
    for (const row of table.rows) this.addDutyRow(section, block, row, lineOf);
  }

  private addDutyRow(section: SectionState, block: Block, row: DutyRow, lineOf: (r: number) => number): void {
    const rowBlock: Block = { ...block, line: lineOf(row.firstRow), endLine: lineOf(row.lastRow) };
    const before = this.out.responsibilities.length;
    const leads = unitRefsIn(row.leadText, this.directory);
    const text = row.productText ? `${row.text} (Sản phẩm: ${row.productText})` : row.text;
    const recurrence = extractRecurrence(`${row.timeText} ${row.text}`);
    const fromColumn = explicitDeadline(row.timeText, this.year);
    const deadline = fromColumn ?? deadlineFor(`${row.text} ${row.timeText}`, recurrence, this.year, this.issueDate);
    let first = true;
    for (const lead of leads.refs) {
      const rs = this.sectionForUnit(section, lead, !leads.unresolved.includes(lead.text), rowBlock);
      if (first && row.timeText !== '' && !fromColumn && recurrence.kinds.includes('once')) {
        this.out.warn('UNREAD_DEADLINE', `Không đọc được thời hạn "${row.timeText}"; hãy đặt hạn trên trang rà soát`, rs.key, rowBlock.line, row.timeText);
      }
      const coordinators = unitRefsIn(row.coordinatingText, this.directory);
      if (first) coordinators.unresolved.forEach((u) => this.unresolved(u, rs.key, rowBlock));
      first = false;
      this.addResponsibility(rs, text, rowBlock, {
        role: 'lead',
        leadUnitRefs: [],
        coordinatingUnitRefs: coordinators.refs.filter((c) => (c.code !== null ? c.code !== lead.code : c.text !== lead.text)),
        recurrence,
        deadline,
      });
    }
    this.lastRowDuties = this.out.responsibilities.slice(before);
  }

  private sectionForUnit(section: SectionState, ref: UnitRef, resolved: boolean, block: Block): ResponsibilitySection {
    const same = this.out.responsibilitySections.find(
      (s) => s.key.startsWith(`${section.key}.`) && (ref.code !== null ? s.unitRef.code === ref.code : s.heading === ref.text),
    );
    if (same) return same;
    // Numbered unit headings may already hold '<section>.1': a table's units take the next free numbers.
    const rs: ResponsibilitySection = {
      key: this.freeSectionKey(section.key, `${section.key}#sections`),
      heading: ref.text,
      unitRef: ref,
      source: source(section.key, block),
    };
    if (!resolved) this.unresolved(ref.text, rs.key, block);
    this.out.responsibilitySections.push(rs);
    return rs;
  }

  // ---- tasks that name their units ('Giao Phòng ... chủ trì', 'Cơ quan thực hiện: ...') -------

  /**
   * A task that assigns itself is work: one lead responsibility per named lead unit, in a section
   * keyed by the task ('II.3'; a second lead 'II.3#2'). Runs after the body so bullets that
   * continue a task ('- Thời gian: Quý III/2024') are part of its text.
   */
  private assignTasks(): void {
    for (const task of this.out.tasks) {
      // 'Công tác tuyên truyền' with bullets 'a) ... Giao Phòng X chủ trì', 'b) ... Giao Huyện đoàn chủ trì':
      // each bullet that assigns itself is a duty of its own, under the task's heading.
      const lines = task.text.split('\n');
      const own = lines.map((line, i) => ({ line, i, found: i > 0 ? inlineAssignment(line) : null })).filter((l) => l.found !== null);
      if (own.length >= 2) {
        for (const { line } of own) this.assignTask(task, `${lines[0]}\n${line}`);
        continue;
      }
      this.assignTask(task, task.text);
    }
  }

  private assignTask(task: Task, text: string): void {
    const found = inlineAssignment(text);
    if (!found) return;
    const block: Block = { kind: 'paragraph', raw: text, line: task.source.line, endLine: task.source.endLine, level: 0 };
    const leads = unitRefsIn(found.leadText, this.directory);
    if (leads.refs.length === 0) return;
    const coordinators = unitRefsIn(found.coordinatingText, this.directory);
    const known = task.leadUnitRefs.length > 0;
    task.leadUnitRefs = [...task.leadUnitRefs, ...leads.refs.filter((l) => !task.leadUnitRefs.some((t) => sameUnit(t, l)))];
    task.coordinatingUnitRefs = [...task.coordinatingUnitRefs, ...coordinators.refs.filter((c) => !task.coordinatingUnitRefs.some((t) => sameUnit(t, c)))];
    const recurrence = extractRecurrence(text);
    const deadline = (found.timeText ? explicitDeadline(found.timeText, this.year) : null) ?? deadlineFor(text, recurrence, this.year, this.issueDate);
    leads.refs.forEach((lead) => {
      let key = task.key;
      for (let n = 2; this.out.responsibilitySections.some((s) => s.key === key); n += 1) key = `${task.key}#${n}`;
      const rs: ResponsibilitySection = { key, heading: lead.text, unitRef: lead, source: task.source };
      if (!known && leads.unresolved.includes(lead.text)) this.unresolved(lead.text, key, block);
      this.out.responsibilitySections.push(rs);
      this.addResponsibility(rs, text, block, {
        role: 'lead',
        leadUnitRefs: [],
        coordinatingUnitRefs: coordinators.refs.filter((c) => !sameUnit(c, lead)),
        recurrence,
        deadline,
        source: task.source,
      });
    });
    if (!known) coordinators.unresolved.forEach((u) => this.unresolved(u, task.key, block));
  }

  // ---- annexes after the signature -----------------------------------------------------------

  private readAnnexes(blocks: readonly Block[]): void {
    let count = 0;
    for (const block of blocks) {
      if (block.kind === 'break') continue;
      if (isAnnexStart(block)) {
        count += 1;
        const label = annexLabel(block);
        this.section = { key: label ? `PL${label}` : count === 1 ? 'PL' : `PL${count}`, kind: 'implementation' };
        this.respSection = null;
        this.lastRowDuties = [];
        continue;
      }
      const section = this.section;
      if (!section) continue;
      if (block.kind === 'footnote') {
        this.addFootnote(block, section.key);
        continue;
      }
      if (block.kind === 'table') {
        this.readResponsibilityTable(section, block);
        continue;
      }
      const a = analyse(block);
      // 'cha mẹ và người chăm sóc trẻ' after a row: the row's text wrapped onto a line of its own.
      if (block.kind === 'paragraph' && /^\p{Ll}/u.test(a.plain) && this.lastRowDuties.length > 0) {
        for (const duty of this.lastRowDuties) {
          const product = duty.text.indexOf(' (Sản phẩm: ');
          duty.text = product >= 0 ? `${duty.text.slice(0, product)} ${a.plain}${duty.text.slice(product)}` : `${duty.text} ${a.plain}`;
          duty.source.endLine = Math.max(duty.source.endLine, block.endLine);
        }
        continue;
      }
      this.lastRowDuties = [];
      // Titles and '(Kèm theo Kế hoạch số ...)' lines name the annex; prose inside it is shown to the reviewer.
      // A short line ending in ')' is the rest of a wrapped '(Kèm theo ...' line.
      const wrapped = a.plain.length < 60 && a.plain.endsWith(')');
      if (a.headingLike || wrapped || /^\(?kem theo/.test(foldForSearch(a.plain)) || a.plain === a.plain.toLocaleUpperCase('vi')) continue;
      this.out.warn('UNMAPPED_PARAGRAPH', 'Đoạn trong phụ lục chưa được xử lý', section.key, block.line, a.plain);
    }
  }

  // ---- reporting ----------------------------------------------------------------------------

  /** Reporters named in an earlier paragraph of the same section ('Các xã báo cáo như sau:'). */
  private lastReporters: { sectionKey: string; refs: UnitRef[] } | null = null;

  private readReporting(section: SectionState, block: Block, a: Analysed): void {
    const text = a.numbered?.text ?? a.plain;
    const rules = this.reportingRules(section.key, text, block);
    // 'Trưởng các thôn báo cáo kết quả ... trước ngày 05/9/2024': a report due once is a duty.
    if (rules === null && this.readOneOffReport(section, block, text)) return;
    if (rules === null) {
      this.out.warn('UNMAPPED_PARAGRAPH', 'Không đọc được quy định báo cáo (kỳ báo cáo, hạn)', section.key, block.line, a.plain);
      return;
    }
    this.out.reportingRules.push(...rules);
  }

  /** The rules of one paragraph; null when it names no reporting period at all. */
  private reportingRules(sectionKey: string, text: string, block: Block): ReportingRule[] | null {
    const folded = foldForSearch(text);
    const reporters = this.reportersOf(sectionKey, text, folded, block);
    const recipientHit = /\sve\s+(?=ubnd|uy ban|phong|so |ban )/.exec(folded);
    let recipientText = 'Cơ quan ban hành kế hoạch';
    let recipientUnitRef: UnitRef | null = null;
    let viaUnitRef: UnitRef | null = null;
    if (recipientHit) {
      const rest = text.slice(recipientHit.index + recipientHit[0].length);
      const hit = this.directory.matchAtStart(rest);
      const written = hit ? rest.slice(0, hit.length) : rest.split(/[(,;.]/u)[0].trim();
      recipientText = written.replace(/[.,;:\s]+$/u, '');
      recipientUnitRef = toUnitRef(written, this.directory).ref;
      const via = /^\s*\(\s*qua\s+([^)]+)\)/iu.exec(rest.slice(written.length));
      if (via) viaUnitRef = toUnitRef(via[1], this.directory).ref;
    }
    const clauses = periodClauses(text, this.year);
    if (clauses.length === 0) return null;
    const rules: ReportingRule[] = [];
    for (const clause of clauses) {
      if (!clause.deadline) {
        this.out.warn('UNREAD_DEADLINE', `Không đọc được hạn của báo cáo "${clause.cue}"; hãy đặt hạn trên trang rà soát`, sectionKey, block.line, clause.cue);
        continue;
      }
      if (reporters.length === 0) {
        this.out.warn('UNMAPPED_PARAGRAPH', `Không xác định được đơn vị phải gửi báo cáo "${clause.cue}"`, sectionKey, block.line, text);
        continue;
      }
      rules.push({
        key: `${sectionKey}.${this.nextNumber(`${sectionKey}#rules`)}`,
        reporterRefs: reporters,
        recipientText,
        recipientUnitRef,
        viaUnitRef,
        period: clause.period,
        deadline: clause.deadline,
        ...(clause.deadlineRule ? { deadlineRule: clause.deadlineRule } : {}),
        text,
        source: source(sectionKey, block),
      });
    }
    return rules;
  }

  private readOneOffReport(section: SectionState, block: Block, text: string): boolean {
    const deadline = explicitDeadline(text, this.year);
    const opening = unitsThenDuty(text, this.directory);
    if (!deadline || !opening) return false;
    const units = unitRefsIn(opening.units, this.directory);
    for (const ref of units.refs) {
      const rs = this.sectionForUnit(section, ref, !units.unresolved.includes(ref.text), block);
      this.addResponsibility(rs, opening.duty, block, { deadline });
    }
    return units.refs.length > 0;
  }

  /** 'Yêu cầu/Đề nghị/Giao X định kỳ báo cáo', 'X báo cáo ...', else the reporters named just before. */
  private reportersOf(sectionKey: string, text: string, folded: string, block: Block): UnitRef[] {
    const who = /^(?:yeu cau|de nghi|giao)\s+(.+?)\s+(?:dinh ky|thuc hien|bao cao|gui)\s/.exec(folded);
    let found: { refs: UnitRef[]; unresolved: string[] } | null = null;
    if (who) {
      const start = who.index + who[0].indexOf(who[1]);
      found = parseUnitList(text.slice(start, start + who[1].length), this.directory);
    } else {
      const opening = unitsThenDuty(text, this.directory);
      if (opening) found = unitRefsIn(opening.units, this.directory);
    }
    if (found && found.refs.length > 0) {
      found.unresolved.forEach((u) => this.unresolved(u, sectionKey, block));
      this.lastReporters = { sectionKey, refs: found.refs };
      return found.refs;
    }
    return this.lastReporters?.sectionKey === sectionKey ? this.lastReporters.refs : [];
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
        place: head.place,
        year: head.year,
        legalBasis: dedupeBasis([...head.legalBasis, ...this.basisFromBody]),
        signer,
        distribution: out.distribution,
      },
      preamble: [head.preamble, ...this.basisText].filter((t) => t !== '').join('\n') || null,
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

interface HeadInfo extends HeadRead {
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
  const prepared = prepareLines(lines, input.format);
  const raw = input.format === 'markdown' ? markdownBlocks(prepared.lines) : textBlocks(prepared.lines);
  const result = new PlanParser(joinContinuations(raw), directory, options, prepared).run();
  return toOriginalLines(result, prepared);
}

/**
 * Line numbers in the result are those of the prepared text; the coordinator sees the original.
 * Every source location and warning is mapped back (a joined line spans its first to last line).
 */
function toOriginalLines(result: ParsePlanResult, prepared: PreparedText): ParsePlanResult {
  const start = (line: number): number => prepared.origin[line - 1]?.start ?? line;
  const end = (line: number): number => prepared.origin[line - 1]?.end ?? line;
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (value === null || typeof value !== 'object') return;
    const record = value as Record<string, unknown>;
    if (typeof record.line === 'number' && typeof record.endLine === 'number' && 'section' in record) {
      const from = start(record.line);
      record.endLine = Math.max(from, end(record.endLine));
      record.line = from;
      return;
    }
    Object.values(record).forEach(visit);
  };
  visit(result.plan);
  for (const w of result.warnings) if (w.line !== null) w.line = start(w.line);
  return result;
}
