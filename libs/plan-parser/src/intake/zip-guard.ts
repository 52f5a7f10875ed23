import { inflateRawSync } from 'node:zlib';
import { PlanParseError } from '../errors';

/**
 * A .docx is a zip. Before mammoth (through jszip) inflates it, we read the central directory ourselves
 * and refuse archives that declare too much (total size, ratio, entry count); then we inflate every entry
 * with an output cap equal to its declared size, so an archive that lies about its sizes is refused
 * after at most the cap, never after exhausting memory. Background in docs/plan-import.md.
 */

export interface ZipLimits {
  /** Sum of the declared uncompressed sizes. */
  maxTotalBytes: number;
  maxEntries: number;
  /** Uncompressed/compressed of one entry; XML compresses ~10×, bombs 1000× and more. */
  maxRatio: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxTotalBytes: 20 * 1024 * 1024,
  maxEntries: 2000,
  maxRatio: 200,
};

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

export interface ZipEntryInfo {
  name: string;
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  localOffset: number;
}

const refuse = (detail: string): PlanParseError => new PlanParseError('ARCHIVE_TOO_LARGE', detail);
const broken = (detail: string): PlanParseError =>
  new PlanParseError('UNSUPPORTED_FORMAT', `Tệp .docx hỏng: ${detail}`);

function findEndOfCentralDirectory(zip: Buffer): number {
  // The record is 22 bytes plus a comment of at most 65,535 bytes at the very end.
  const stop = Math.max(0, zip.length - 22 - 0xffff);
  for (let at = zip.length - 22; at >= stop; at -= 1) if (zip.readUInt32LE(at) === EOCD) return at;
  throw broken('không tìm thấy danh mục tệp (central directory).');
}

/** Lists the entries from the central directory and checks the declared sizes against the limits. */
export function readZipDirectory(zip: Buffer, limits: ZipLimits = DEFAULT_ZIP_LIMITS): ZipEntryInfo[] {
  if (zip.length < 22) throw broken('tệp quá ngắn.');
  const eocd = findEndOfCentralDirectory(zip);
  const count = zip.readUInt16LE(eocd + 10);
  const size = zip.readUInt32LE(eocd + 12);
  const offset = zip.readUInt32LE(eocd + 16);
  if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff)
    throw refuse('tệp nén dạng ZIP64, không phải một văn bản .docx thông thường.');
  if (count > limits.maxEntries) throw refuse(`tệp nén có ${count} mục, tối đa ${limits.maxEntries}.`);
  if (offset + size > eocd) throw broken('danh mục tệp nằm ngoài tệp.');
  const entries: ZipEntryInfo[] = [];
  let total = 0;
  let at = offset;
  for (let i = 0; i < count; i += 1) {
    if (at + 46 > eocd || zip.readUInt32LE(at) !== CENTRAL) throw broken('danh mục tệp không hợp lệ.');
    const method = zip.readUInt16LE(at + 10);
    const compressedSize = zip.readUInt32LE(at + 20);
    const uncompressedSize = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const localOffset = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, Math.min(eocd, at + 46 + nameLength));
    total += uncompressedSize;
    if (total > limits.maxTotalBytes) {
      throw refuse(`nội dung giải nén vượt ${Math.round(limits.maxTotalBytes / 1024 / 1024)} MB.`);
    }
    if (uncompressedSize > 1024 * 1024 && uncompressedSize > limits.maxRatio * Math.max(1, compressedSize)) {
      throw refuse(
        `mục "${name.slice(0, 80)}" nén với tỷ lệ bất thường (${Math.round(uncompressedSize / Math.max(1, compressedSize))}:1).`,
      );
    }
    entries.push({ name, method, compressedSize, uncompressedSize, localOffset });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/**
 * Refuses a zip that would inflate past the limits, before any library inflates it: declared sizes
 * first, then each entry inflated with an output cap of its declared size (a lie is caught at the cap).
 */
export function guardZip(zip: Buffer, limits: ZipLimits = DEFAULT_ZIP_LIMITS): ZipEntryInfo[] {
  const entries = readZipDirectory(zip, limits);
  for (const entry of entries) {
    const at = entry.localOffset;
    if (at + 30 > zip.length || zip.readUInt32LE(at) !== LOCAL)
      throw broken(`mục "${entry.name.slice(0, 80)}" không hợp lệ.`);
    const start = at + 30 + zip.readUInt16LE(at + 26) + zip.readUInt16LE(at + 28);
    const data = zip.subarray(start, start + entry.compressedSize);
    if (data.length !== entry.compressedSize) throw broken(`mục "${entry.name.slice(0, 80)}" bị cắt cụt.`);
    if (entry.method === 0) {
      if (entry.compressedSize !== entry.uncompressedSize)
        throw broken(`mục "${entry.name.slice(0, 80)}" khai sai kích thước.`);
      continue;
    }
    if (entry.method !== 8)
      throw broken(`mục "${entry.name.slice(0, 80)}" dùng kiểu nén ${entry.method} không hỗ trợ.`);
    let inflated: Buffer;
    try {
      // One byte of headroom: output reaching it means the entry holds more than it declared.
      inflated = inflateRawSync(data, { maxOutputLength: entry.uncompressedSize + 1 });
    } catch (error) {
      // By code, not instanceof: zlib's RangeError may come from another realm (jest, vm).
      if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
        throw refuse(`mục "${entry.name.slice(0, 80)}" giải nén ra nhiều hơn kích thước khai báo.`);
      throw broken(`mục "${entry.name.slice(0, 80)}" không giải nén được.`);
    }
    if (inflated.length !== entry.uncompressedSize)
      throw refuse(`mục "${entry.name.slice(0, 80)}" giải nén ra khác kích thước khai báo.`);
  }
  return entries;
}
