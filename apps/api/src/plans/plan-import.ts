import { extname } from 'node:path';
import { type OrganisationDirectory } from '@app/domain';
import { parseDocx, PlanParseError, parsePlan, type ParsePlanResult } from '@app/plan-parser';

/** A plan document as it arrives: text with its format, or an uploaded file's bytes. */
export type PlanSource =
  | { kind: 'text'; text: string; format: 'markdown' | 'text'; name: string | null }
  | { kind: 'file'; buffer: Buffer; name: string };

export interface ParsedSource extends ParsePlanResult {
  /** The text the line numbers refer to (for .docx, the converted Markdown). */
  sourceText: string;
  sourceName: string | null;
}

/** Parses any accepted source; throws PlanParseError for what cannot become a plan. */
export async function parseSource(source: PlanSource, directory: OrganisationDirectory, maxBytes: number): Promise<ParsedSource> {
  if (source.kind === 'text') {
    const result = parsePlan({ text: source.text, format: source.format }, directory, { maxBytes });
    return { ...result, sourceText: source.text, sourceName: source.name };
  }
  const ext = extname(source.name).toLowerCase();
  if (ext === '.docx') {
    const { markdown, ...result } = await parseDocx(source.buffer, directory, { maxBytes });
    return { ...result, sourceText: markdown, sourceName: source.name };
  }
  if (ext !== '.md' && ext !== '.markdown' && ext !== '.txt') {
    throw new PlanParseError('UNSUPPORTED_FORMAT', 'Chỉ nhận tệp .md, .txt hoặc .docx.');
  }
  if (source.buffer.length > maxBytes) throw new PlanParseError('TOO_LARGE');
  // Fatal decoding would throw on stray bytes; replacement characters let the parser call it binary.
  const text = new TextDecoder('utf-8').decode(source.buffer);
  const result = parsePlan({ text, format: ext === '.txt' ? 'text' : 'markdown' }, directory, { maxBytes });
  return { ...result, sourceText: text, sourceName: source.name };
}
