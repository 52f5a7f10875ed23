/**
 * Text normalisation shared by the organisation matcher and the plan parser.
 * Vietnamese documents mix precomposed and decomposed diacritics, typographic quotes and
 * non-breaking spaces; comparisons must not depend on any of that.
 */

/** Removes Vietnamese diacritics. 'đ' is a separate letter, not a combining mark, so NFD alone misses it. */
export function foldDiacritics(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .normalize('NFC');
}

/** Collapses every run of whitespace (incl. NBSP) to one space and trims. */
export function collapseWhitespace(text: string): string {
  return text.replace(/[\s\u00a0\u200b]+/gu, ' ').trim();
}

/** Lower-case, diacritic-free, punctuation-free form used as a lookup key. */
export function normaliseKey(text: string): string {
  return collapseWhitespace(
    foldDiacritics(text.normalize('NFC'))
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, ' '),
  );
}

/** Splits a normalised key into tokens; an empty key has no tokens. */
export function keyTokens(key: string): string[] {
  return key === '' ? [] : key.split(' ');
}

/** Uniform NFC text with single spaces, for storing what the document says. */
export function cleanText(text: string): string {
  return collapseWhitespace(text.normalize('NFC'));
}
