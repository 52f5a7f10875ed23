export interface ResolvedBinary {
  path: string | null;
  source: string;
  tried?: string[];
}
/** 'server' and 'sqlTool' (the real Temporal server and temporal-sql-tool) never resolve to an SDK download. */
export function resolveBinary(kind: 'cli' | 'testServer' | 'server' | 'sqlTool', options?: { allowSdkDownload?: boolean }): ResolvedBinary;
export const CACHE_DIR: string;
