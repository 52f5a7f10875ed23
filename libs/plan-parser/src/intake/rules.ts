/**
 * Table rules removed from a scanned page before OCR. Tesseract reads a cell border as a `|`, `/`, `[` or `l`
 * glued to the nearest word ("/UBND", "[6/2024") and lets a border join two cells into one line, so an annex
 * table rebuilt from its words came out as noise (docs/plan-import.md, "Scans and photos"). A printed rule is a
 * dark run far longer than any glyph stroke; whitening those runs (and their blurred fringe) leaves the text.
 * Plain loops over a binary PGM (pdftoppm -gray), linear in the pixels.
 */

interface Pgm {
  width: number;
  height: number;
  maxval: number;
  offset: number;
}

/** Parses a binary PGM (P5) header; null when the bytes are not one. */
export function pgmHeader(bytes: Buffer): Pgm | null {
  if (bytes.length < 8 || bytes[0] !== 0x50 || bytes[1] !== 0x35) return null;
  const fields: number[] = [];
  let at = 2;
  while (fields.length < 3 && at < bytes.length && at < 256) {
    const c = bytes[at];
    if (c === 0x23) {
      while (at < bytes.length && bytes[at] !== 0x0a) at += 1;
    } else if (c >= 0x30 && c <= 0x39) {
      let value = 0;
      while (at < bytes.length && bytes[at] >= 0x30 && bytes[at] <= 0x39) {
        value = value * 10 + (bytes[at] - 0x30);
        at += 1;
      }
      fields.push(value);
      continue;
    }
    at += 1;
  }
  // One whitespace byte separates the header from the pixels.
  const [width, height, maxval] = fields;
  const offset = at + 1;
  if (fields.length < 3 || maxval !== 255 || bytes.length < offset + width * height) return null;
  return { width, height, maxval, offset };
}

/** A printed vertical border (bounding box in pixels): words on either side of it are in different cells. */
export interface VerticalRule {
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
}

/** A piece of a printed horizontal border: one dark run (a skewed border is several pieces). */
export interface HorizontalRule {
  xMin: number;
  xMax: number;
  y: number;
}

const MAX_RULES = 200;

export interface PageRules {
  vertical: VerticalRule[];
  horizontal: HorizontalRule[];
}

/**
 * Whitens horizontal and vertical dark runs longer than `minRun` pixels (default: 1/20 of the page width,
 * ~12 mm on A4: no letter is that long, a table border always is), with `fringe` pixels either side.
 * Returns the rules: vertical ones (column borders, the runs of a slightly skewed border merged) and
 * horizontal pieces (row borders); the buffer is changed in place.
 */
export function removeRules(
  bytes: Buffer,
  options: { dark?: number; minRun?: number; fringe?: number } = {},
): PageRules {
  const pgm = pgmHeader(bytes);
  if (!pgm) return { vertical: [], horizontal: [] };
  const { width, height, offset } = pgm;
  const dark = options.dark ?? 140;
  const minRun = options.minRun ?? Math.max(40, Math.round(width / 20));
  const fringe = options.fringe ?? 2;
  const mask = new Uint8Array(width * height);
  const vertical: VerticalRule[] = [];
  const horizontal: HorizontalRule[] = [];
  // Horizontal runs.
  for (let y = 0; y < height; y += 1) {
    const row = offset + y * width;
    let start = -1;
    for (let x = 0; x <= width; x += 1) {
      const isDark = x < width && bytes[row + x] < dark;
      if (isDark && start < 0) start = x;
      else if (!isDark && start >= 0) {
        if (x - start >= minRun) {
          // A border a few pixels thick gives a run on each of its pixel rows: keep one piece per stroke.
          const last = horizontal[horizontal.length - 1];
          if (last && last.y >= y - fringe && last.xMin <= x && last.xMax >= start) {
            last.xMin = Math.min(last.xMin, start);
            last.xMax = Math.max(last.xMax, x);
          } else horizontal.push({ xMin: start, xMax: x, y });
          for (let yy = Math.max(0, y - fringe); yy <= Math.min(height - 1, y + fringe); yy += 1)
            mask.fill(1, yy * width + start, yy * width + x);
        }
        start = -1;
      }
    }
  }
  // Vertical runs.
  // Rules the current column can still extend: a search over every rule so far would be quadratic on a page
  // of stripes.
  let active: VerticalRule[] = [];
  for (let x = 0; x < width; x += 1) {
    let start = -1;
    active = active.filter((r) => r.xMax >= x - fringe - 1);
    for (let y = 0; y <= height; y += 1) {
      const isDark = y < height && bytes[offset + y * width + x] < dark;
      if (isDark && start < 0) start = y;
      else if (!isDark && start >= 0) {
        if (y - start >= minRun) {
          // A skewed border is a staircase of runs a pixel apart: one rule.
          const rule = active.find(
            (r) =>
              x >= r.xMin - 1 && x <= r.xMax + fringe + 1 && start <= r.yMax + minRun && y >= r.yMin - minRun,
          );
          if (rule) {
            rule.xMin = Math.min(rule.xMin, x);
            rule.xMax = Math.max(rule.xMax, x);
            rule.yMin = Math.min(rule.yMin, start);
            rule.yMax = Math.max(rule.yMax, y);
          } else {
            const created = { xMin: x, xMax: x, yMin: start, yMax: y };
            vertical.push(created);
            active.push(created);
          }
          for (let yy = start; yy < y; yy += 1)
            for (let xx = Math.max(0, x - fringe); xx <= Math.min(width - 1, x + fringe); xx += 1)
              mask[yy * width + xx] = 1;
        }
        start = -1;
      }
    }
  }
  for (let i = 0; i < mask.length; i += 1) if (mask[i] === 1) bytes[offset + i] = 255;
  // Hundreds of borders is no table (a hatched picture, a hostile file): whitened, but not handed to layout.ts,
  // whose checks against every border would then cost too much.
  return vertical.length > MAX_RULES || horizontal.length > 20 * MAX_RULES
    ? { vertical: [], horizontal: [] }
    : { vertical, horizontal };
}

/** A rectangle of a binary PGM as a PGM of its own (clamped to the image); null when the bytes are no PGM. */
export function cropPgm(bytes: Buffer, x: number, y: number, width: number, height: number): Buffer | null {
  const pgm = pgmHeader(bytes);
  if (!pgm) return null;
  const left = Math.max(0, Math.floor(x));
  const top = Math.max(0, Math.floor(y));
  const w = Math.min(pgm.width - left, Math.ceil(width));
  const h = Math.min(pgm.height - top, Math.ceil(height));
  if (w <= 0 || h <= 0) return null;
  const out = Buffer.alloc(w * h);
  for (let row = 0; row < h; row += 1) {
    const from = pgm.offset + (top + row) * pgm.width + left;
    bytes.copy(out, row * w, from, from + w);
  }
  return Buffer.concat([Buffer.from(`P5\n${w} ${h}\n255\n`), out]);
}
