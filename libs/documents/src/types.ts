/**
 * Inputs of the administrative documents. Plain data, already aggregated by the caller (the read
 * model), so the builders stay pure functions of their input.
 */

/** The issuing authority's header block (Nghị định 30/2020/NĐ-CP, Phụ lục I). */
export interface Issuer {
  /** Cơ quan chủ quản, printed upright above the issuer, e.g. "UBND TỈNH LẠNG SƠN"; omit when there is none. */
  parent?: string;
  /** Cơ quan ban hành, printed upper case and bold, e.g. "UBND HUYỆN VĂN QUAN". */
  name: string;
  /** The issuer as running text names it, e.g. "Ủy ban nhân dân huyện Văn Quan"; defaults to `name`. */
  textName?: string;
  /** Địa danh for the date line, e.g. "Văn Quan". */
  place: string;
  /** The part after "Số: …/", e.g. "UBND-LĐTBXH" or "BC-UBND". */
  numberSuffix: string;
  /** The issued number; omitted for a draft, which keeps the "…" placeholder for the clerk. */
  number?: string;
  /** The issue date; omitted for a draft ("ngày … tháng … năm …"). */
  date?: Date;
}

export interface Signer {
  /** Thẩm quyền ký, e.g. "KT. CHỦ TỊCH"; omit when the head signs in their own name. */
  authority?: string;
  /** Chức vụ, e.g. "PHÓ CHỦ TỊCH". */
  title: string;
  name: string;
}

export interface PlanReference {
  /** E.g. "45/KH-UBND". */
  number: string;
  title: string;
  issuedOn?: Date;
  /** E.g. "UBND huyện". */
  issuer?: string;
}

/**
 * Assignment counts by timeliness. The six buckets are disjoint ("sắp đến hạn" is not also counted
 * as "trong hạn"), so they add up to the total.
 */
export interface TimelinessCounts {
  /** Hoàn thành đúng hạn. */
  doneOnTime: number;
  /** Hoàn thành quá hạn. */
  doneLate: number;
  /** Chưa hoàn thành – trong hạn. */
  openOnTime: number;
  /** Chưa hoàn thành – quá hạn. */
  openOverdue: number;
  /** Sắp đến hạn. */
  dueSoon: number;
  /** Chưa có hạn. */
  noDeadline: number;
}

export type TimelinessKey = keyof TimelinessCounts;

export interface UnitRow {
  unitCode: string;
  unitName: string;
  counts: TimelinessCounts;
}

export interface ResponsibilityRow {
  /** Stable key of the responsibility in the plan, e.g. "V.1.3". */
  key: string;
  text: string;
  leadUnit?: string;
  counts: TimelinessCounts;
}

export interface IndicatorRow {
  /** E.g. "II.9". */
  code: string;
  text: string;
  /** The target as the plan states it: "100%", "15/17", "0". */
  target: string;
  /** The reported value in the same form, or null when nobody has reported. */
  reported: string | null;
  /** Whether the target is met; null when it cannot be judged yet. */
  met: boolean | null;
  /** How many units reported a value. */
  reportingUnits?: number;
}

export interface LateRow {
  unitCode: string;
  unitName: string;
  responsibilityKey: string;
  responsibility: string;
  deadline: Date;
  daysLate: number;
  /** The escalation step reached (0 = none yet). */
  escalationLevel: number;
  escalationLabel?: string;
}

/** Everything the consolidated report, workbook and CSV are built from. */
export interface ConsolidatedData {
  plan: PlanReference;
  /** The instant the figures were taken. */
  asOf: Date;
  units: UnitRow[];
  responsibilities: ResponsibilityRow[];
  indicators: IndicatorRow[];
  late: LateRow[];
}

export interface UrgingLetterInput {
  issuer: Issuer;
  plan: PlanReference;
  /** The text after "V/v đôn đốc thực hiện"; defaults to the plan title. */
  subject?: string;
  /** The instant the overdue figures were taken. */
  asOf: Date;
  late: LateRow[];
  /** Where results go, e.g. "Phòng Lao động, Thương binh, Xã hội - Dân tộc". */
  via?: string;
  /** The date by which late units must report; omitted → "ngay" (immediately). */
  replyBy?: Date;
  signer: Signer;
  /** Nơi nhận entries besides the late units, e.g. "CT, các PCT UBND huyện"; "Lưu: VT" is added if absent. */
  distribution?: string[];
}

export interface SummaryReportInput {
  issuer: Issuer;
  data: ConsolidatedData;
  /** The report's subject line under "BÁO CÁO", e.g. "Kết quả thực hiện công tác trẻ em 6 tháng đầu năm 2024". */
  title: string;
  /** The authority the report goes to, e.g. "Sở Lao động - Thương binh và Xã hội tỉnh Lạng Sơn". */
  recipient: string;
  signer: Signer;
  distribution?: string[];
  /** Free paragraphs for the assessment part (đánh giá chung), written by the coordinator. */
  assessment?: string[];
}
