/** The types docs/api-contract.md allows, with the signature their first bytes must carry. */
interface FileType {
  contentType: string;
  magic: readonly (readonly number[])[];
}

const ZIP = [
  [0x50, 0x4b, 0x03, 0x04],
  [0x50, 0x4b, 0x05, 0x06], // an empty archive
] as const;
// Word 97-2003 and Excel 97-2003 are OLE compound files.
const OLE = [[0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]] as const;
const JPEG = [[0xff, 0xd8, 0xff]] as const;

export const ALLOWED_FILE_TYPES: Readonly<Record<string, FileType>> = {
  pdf: { contentType: 'application/pdf', magic: [[0x25, 0x50, 0x44, 0x46, 0x2d]] },
  docx: { contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', magic: ZIP },
  xlsx: { contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', magic: ZIP },
  doc: { contentType: 'application/msword', magic: OLE },
  xls: { contentType: 'application/vnd.ms-excel', magic: OLE },
  jpg: { contentType: 'image/jpeg', magic: JPEG },
  jpeg: { contentType: 'image/jpeg', magic: JPEG },
  png: { contentType: 'image/png', magic: [[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]] },
  zip: { contentType: 'application/zip', magic: ZIP },
};

export type FileCheck = { ok: true; contentType: string } | { ok: false; reason: 'UNSUPPORTED_TYPE' | 'CONTENT_MISMATCH' };

/**
 * Extension first (what the user sees), then the magic bytes (what the file is): a renamed .exe fails the
 * second check. The client's Content-Type is never trusted.
 */
export function checkFileType(name: string, head: Buffer): FileCheck {
  const ext = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase();
  const type = ext ? ALLOWED_FILE_TYPES[ext] : undefined;
  if (!type) return { ok: false, reason: 'UNSUPPORTED_TYPE' };
  const matches = type.magic.some((sig) => head.length >= sig.length && sig.every((b, i) => head[i] === b));
  return matches ? { ok: true, contentType: type.contentType } : { ok: false, reason: 'CONTENT_MISMATCH' };
}

/**
 * Busboy (under multer) reads multipart filenames as latin1; browsers send UTF-8. Re-decode when the bytes
 * form valid UTF-8, so "Báo cáo.pdf" survives; a genuine latin1 name stays as it was.
 */
export function decodeUploadName(raw: string): string {
  const codes = [...raw].map((c) => c.charCodeAt(0));
  if (!codes.some((c) => c >= 0x80) || codes.some((c) => c > 0xff)) return raw;
  const utf8 = Buffer.from(raw, 'latin1').toString('utf8');
  return utf8.includes('\ufffd') ? raw : utf8;
}

/** RFC 6266 Content-Disposition with an ASCII fallback and the UTF-8 name. */
export function contentDisposition(name: string, kind: 'attachment' | 'inline' = 'attachment'): string {
  const ascii = name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
