import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { delimiter, join } from 'node:path';
import { PlanParseError } from '../errors';

/**
 * The external programs intake uses (Debian's poppler-utils and tesseract-ocr): always spawned with an
 * argument array (no shell, so a file name can never become a command), with a time limit and a cap
 * on what we read back, so a hostile document costs bounded time and memory.
 */

export interface RunLimits {
  timeoutMs: number;
  maxOutputBytes: number;
}

export interface ToolOutput {
  stdout: Buffer;
  stderr: string;
}

function onPath(bin: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => dir !== '' && existsSync(join(dir, bin)));
}

/** Whether OCR can run here: tesseract on PATH and its Vietnamese model installed. */
export function ocrAvailable(): { ok: true } | { ok: false; missing: string[] } {
  const missing: string[] = [];
  if (!onPath('pdftoppm')) missing.push('poppler-utils');
  if (!onPath('tesseract')) missing.push('tesseract-ocr');
  else if (!vieModelInstalled()) missing.push('tesseract-ocr-vie');
  return missing.length === 0 ? { ok: true } : { ok: false, missing };
}

function vieModelInstalled(): boolean {
  const dirs = [process.env.TESSDATA_PREFIX ?? ''];
  const base = '/usr/share/tesseract-ocr';
  if (existsSync(base)) for (const version of readdirSync(base)) dirs.push(join(base, version, 'tessdata'));
  return dirs.some((dir) => dir !== '' && existsSync(join(dir, 'vie.traineddata')));
}

export function requireTool(
  bin: string,
  pkg: string,
  code: 'OCR_UNAVAILABLE' | 'PDF_TOOLS_UNAVAILABLE',
): void {
  if (!onPath(bin))
    throw new PlanParseError(
      code,
      `Máy chủ thiếu chương trình ${bin} (gói Debian ${pkg}); quản trị viên cần cài đặt.`,
    );
}

/** Runs `bin args…`; rejects with PlanParseError on a non-zero exit, a time-out or too much output. */
export function runTool(
  bin: string,
  args: readonly string[],
  limits: RunLimits,
  what: string,
): Promise<ToolOutput> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, OMP_THREAD_LIMIT: '1' },
    });
    const chunks: Buffer[] = [];
    let size = 0;
    let stderr = '';
    let failure: PlanParseError | null = null;
    const stop = (error: PlanParseError): void => {
      failure ??= error;
      child.kill('SIGKILL');
    };
    const timer = setTimeout(
      () =>
        stop(
          new PlanParseError(
            'EXTRACTION_TIMEOUT',
            `${what}: quá ${Math.round(limits.timeoutMs / 1000)} giây.`,
          ),
        ),
      limits.timeoutMs,
    );
    child.stdout.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limits.maxOutputBytes)
        stop(new PlanParseError('TOO_LARGE', `${what}: nội dung trích ra quá lớn.`));
      else chunks.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 4000) stderr += chunk.toString('utf8');
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(
        error.code === 'ENOENT'
          ? new PlanParseError(
              bin === 'tesseract' ? 'OCR_UNAVAILABLE' : 'PDF_TOOLS_UNAVAILABLE',
              `Máy chủ thiếu chương trình ${bin}.`,
            )
          : error,
      );
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (failure) reject(failure);
      else if (code !== 0) {
        const reason = stderr.trim().split('\n').slice(-2).join(' ').slice(0, 300);
        reject(
          new PlanParseError(
            'UNREADABLE_DOCUMENT',
            `${what} thất bại (${code ?? signal})${reason ? `: ${reason}` : ''}.`,
          ),
        );
      } else resolve({ stdout: Buffer.concat(chunks), stderr });
    });
  });
}

/**
 * OCR is the one CPU-heavy step (seconds per page at one core each): at most half the cores run it at once
 * in this process, so concurrent scan uploads queue instead of starving the API of CPU.
 */
const ocrSlots = {
  free: Math.max(1, Math.floor(availableParallelism() / 2)),
  waiting: [] as Array<() => void>,
};

export async function withOcrSlot<T>(work: () => Promise<T>): Promise<T> {
  if (ocrSlots.free > 0) ocrSlots.free -= 1;
  else await new Promise<void>((resolve) => ocrSlots.waiting.push(resolve));
  try {
    return await work();
  } finally {
    const next = ocrSlots.waiting.shift();
    if (next) next();
    else ocrSlots.free += 1;
  }
}
