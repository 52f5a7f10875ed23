import { type OrganisationDirectory } from '@app/domain';
import { type DocumentKind, importDocument, parseInWorker, type ParsePlanResult } from '@app/plan-parser';

/** A plan document as it arrives: text with its format, or an uploaded file's bytes. */
export type PlanSource =
  | { kind: 'text'; text: string; format: 'markdown' | 'text'; name: string | null }
  | { kind: 'file'; buffer: Buffer; name: string };

export interface ParsedSource extends ParsePlanResult {
  /** The text the line numbers refer to (for .docx, the converted Markdown; for PDF and photos, the rebuilt text). */
  sourceText: string;
  sourceName: string | null;
  /** How the text was obtained: the reviewer reads OCR'd text with more care. */
  documentKind: DocumentKind;
}

/**
 * Parses any accepted source; throws PlanParseError for what cannot become a plan. Files go through
 * intake (.md, .txt, .docx, .pdf with or without a text layer, .jpg/.png photos); every parse runs in a
 * worker thread with time and memory limits, pasted text too, so no document can stall the API.
 */
export async function parseSource(
  source: PlanSource,
  directory: OrganisationDirectory,
  maxBytes: number,
): Promise<ParsedSource> {
  if (source.kind === 'text') {
    const result = await parseInWorker({ text: source.text, format: source.format }, directory, { maxBytes });
    return { ...result, sourceText: source.text, sourceName: source.name, documentKind: source.format };
  }
  const { extracted, ...result } = await importDocument(source.buffer, source.name, directory, {
    maxTextBytes: maxBytes,
  });
  return { ...result, sourceText: extracted.text, sourceName: source.name, documentKind: extracted.kind };
}
