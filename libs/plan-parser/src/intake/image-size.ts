/**
 * Pixel size of a PNG or JPEG from its header, read before anything decodes it: a 20 MB upload can declare a
 * 100,000 × 100,000 image that would take gigabytes once tesseract (leptonica) decodes it.
 */

export interface PixelSize {
  width: number;
  height: number;
}

/** Width and height of a baseline or progressive JPEG, from its first SOF marker; null when there is none. */
export function jpegSize(jpeg: Buffer): PixelSize | null {
  let at = 2;
  while (at + 9 < jpeg.length) {
    if (jpeg[at] !== 0xff) return null;
    const marker = jpeg[at + 1];
    // SOF0–SOF15 except DHT (C4), JPG (C8) and DAC (CC) carry the frame size.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: jpeg.readUInt16BE(at + 5), width: jpeg.readUInt16BE(at + 7) };
    }
    at += 2 + jpeg.readUInt16BE(at + 2);
  }
  return null;
}

/** Width and height from a PNG's IHDR chunk, which the format requires first. */
export function pngSize(png: Buffer): PixelSize | null {
  if (png.length < 24 || png.toString('latin1', 12, 16) !== 'IHDR') return null;
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** About a 300 dpi A3 page with room to spare (A4 at 300 dpi is 8.7 million pixels). */
export const MAX_OCR_PIXELS = 60_000_000;
