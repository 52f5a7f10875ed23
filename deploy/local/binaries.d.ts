export interface ResolvedBinary {
  path: string | null;
  source: string;
  tried?: string[];
}
export function resolveBinary(kind: 'cli' | 'testServer', options?: { allowSdkDownload?: boolean }): ResolvedBinary;
export const CACHE_DIR: string;
