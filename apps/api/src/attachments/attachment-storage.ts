import { createReadStream } from 'node:fs';
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { type DataSource } from 'typeorm';

/**
 * Port for attachment bytes, keyed by the attachment id: PostgreSQL (the default, shared by every API replica)
 * or the local disk (one machine). An S3-compatible store would implement the same three methods.
 */
export abstract class AttachmentStorage {
  abstract put(id: string, data: Buffer): Promise<void>;
  abstract open(id: string): Promise<Readable>;
  abstract remove(id: string): Promise<void>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Files under DATA_DIR/attachments/<uuid>. */
export class DiskAttachmentStorage extends AttachmentStorage {
  constructor(private readonly dir: string) {
    super();
  }

  /** Ids are uuids the API chose; refusing anything else keeps a path from ever leaving the folder. */
  private pathOf(id: string): string {
    if (!UUID.test(id)) throw new Error(`not an attachment id: ${id}`);
    return join(this.dir, id.toLowerCase());
  }

  async put(id: string, data: Buffer): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    // Write then rename, so a reader never sees half a file.
    const tmp = `${this.pathOf(id)}.part`;
    await writeFile(tmp, data, { flag: 'wx' });
    await rename(tmp, this.pathOf(id));
  }

  async open(id: string): Promise<Readable> {
    const stream = createReadStream(this.pathOf(id));
    // Surface a missing file as a rejected promise rather than a later stream error.
    await new Promise<void>((resolve, reject) => {
      stream.once('open', () => resolve());
      stream.once('error', reject);
    });
    return stream;
  }

  async remove(id: string): Promise<void> {
    await rm(this.pathOf(id), { force: true });
  }
}

/** 1 MiB: small enough that no query moves a big value, large enough that a 100 MB file is 100 rows. */
export const ATTACHMENT_CHUNK_BYTES = 1024 * 1024;

/**
 * Bytes in PostgreSQL's `attachment_chunks` (migration 1764560000000), so any API replica serves any file.
 * Files that an older version left under DATA_DIR/attachments are still served from there (`legacy`) until
 * `npm run cli -- attachments move-to-postgres` has moved them (docs/deployment.md "Attachments").
 */
export class PostgresAttachmentStorage extends AttachmentStorage {
  constructor(
    private readonly ds: DataSource,
    private readonly legacy?: DiskAttachmentStorage,
    private readonly chunkBytes = ATTACHMENT_CHUNK_BYTES,
  ) {
    super();
  }

  /** One transaction: a reader sees every chunk or none. An empty file is one empty chunk, so chunk 0 always exists. */
  async put(id: string, data: Buffer): Promise<void> {
    if (!UUID.test(id)) throw new Error(`not an attachment id: ${id}`);
    await this.ds.transaction(async (tx) => {
      for (let no = 0, offset = 0; offset < data.length || no === 0; no++, offset += this.chunkBytes) {
        await tx.query(`INSERT INTO attachment_chunks (attachment_id, chunk_no, data) VALUES ($1, $2, $3)`, [id, no, data.subarray(offset, offset + this.chunkBytes)]);
      }
    });
  }

  async has(id: string): Promise<boolean> {
    const rows = await this.ds.query<unknown[]>(`SELECT 1 FROM attachment_chunks WHERE attachment_id = $1 AND chunk_no = 0`, [id]);
    return rows.length > 0;
  }

  /**
   * Streams chunk by chunk: only one chunk of a file is in memory at a time, and each is fetched when the
   * client has taken the previous one (a slow download holds no connection between chunks). The end is the
   * first missing chunk number, not a short chunk, so files written with another chunk size read the same.
   */
  async open(id: string): Promise<Readable> {
    if (!UUID.test(id)) throw new Error(`not an attachment id: ${id}`);
    const first = await this.chunk(id, 0);
    if (!first) {
      if (this.legacy) return this.legacy.open(id);
      throw Object.assign(new Error(`attachment ${id} has no stored bytes`), { code: 'ENOENT' });
    }
    const fetchChunk = (no: number) => this.chunk(id, no);
    let next = 1;
    let pending: Buffer | null = first;
    return new Readable({
      read() {
        const deliver = (buf: Buffer | null): void => {
          if (buf === null) {
            this.push(null);
            return;
          }
          this.push(buf);
        };
        if (pending) {
          const buf = pending;
          pending = null;
          deliver(buf);
          return;
        }
        fetchChunk(next++).then(deliver, (err: unknown) => this.destroy(err instanceof Error ? err : new Error(String(err))));
      },
    });
  }

  private async chunk(id: string, no: number): Promise<Buffer | null> {
    const rows = await this.ds.query<{ data: Buffer }[]>(`SELECT data FROM attachment_chunks WHERE attachment_id = $1 AND chunk_no = $2`, [id, no]);
    return rows[0]?.data ?? null;
  }

  async remove(id: string): Promise<void> {
    if (!UUID.test(id)) throw new Error(`not an attachment id: ${id}`);
    await this.ds.query(`DELETE FROM attachment_chunks WHERE attachment_id = $1`, [id]);
    await this.legacy?.remove(id);
  }
}

export interface MoveReport {
  /** Files copied into PostgreSQL and then deleted from disk. */
  moved: number;
  /** Already in PostgreSQL (an earlier, interrupted run): only the disk copy was deleted. */
  alreadyMoved: number;
  /** On disk with no attachment row (an upload refused or interrupted): left where they are. */
  orphans: string[];
  /** Bytes on disk whose SHA-256 differs from the one recorded at upload: left where they are. */
  mismatched: string[];
  /** Upload leftovers (`.part`) and names that are not attachment ids: ignored. */
  ignored: number;
}

/**
 * Moves files an older version stored under `dir` (DATA_DIR/attachments) into PostgreSQL. Idempotent and safe to
 * interrupt: a file is deleted from disk only after its bytes are committed and checked against the SHA-256
 * recorded at upload, and the API keeps serving from disk whatever is still there.
 */
export async function moveDiskAttachmentsToPostgres(ds: DataSource, dir: string): Promise<MoveReport> {
  const report: MoveReport = { moved: 0, alreadyMoved: 0, orphans: [], mismatched: [], ignored: 0 };
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return report;
    throw err;
  }
  const disk = new DiskAttachmentStorage(dir);
  const store = new PostgresAttachmentStorage(ds);
  for (const name of names.sort()) {
    if (!UUID.test(name)) {
      report.ignored++;
      continue;
    }
    const [row] = await ds.query<{ sha256: string }[]>(`SELECT sha256 FROM attachments WHERE id = $1`, [name]);
    if (!row) {
      report.orphans.push(name);
      continue;
    }
    const bytes = await readFile(join(dir, name));
    if (createHash('sha256').update(bytes).digest('hex') !== row.sha256) {
      report.mismatched.push(name);
      continue;
    }
    if (await store.has(name)) report.alreadyMoved++;
    else {
      await store.put(name, bytes);
      report.moved++;
    }
    await disk.remove(name);
  }
  return report;
}

/**
 * Deletes chunks that no attachment row claims and that are older than `olderThanMs`: the bytes of an upload whose
 * process died between storing them and inserting the row (a refusal removes its bytes itself). Young ones are
 * kept because an upload in progress looks exactly like that until its row is inserted.
 */
export async function removeOrphanChunks(ds: DataSource, olderThanMs: number): Promise<{ files: number; bytes: number }> {
  const [row] = await ds.query<{ files: number; bytes: string }[]>(
    `WITH orphans AS (
       SELECT c.attachment_id FROM attachment_chunks c
       WHERE c.chunk_no = 0 AND c.created_at < now() - make_interval(secs => $1::double precision / 1000)
         AND NOT EXISTS (SELECT 1 FROM attachments a WHERE a.id = c.attachment_id)
     ), gone AS (
       DELETE FROM attachment_chunks c USING orphans o WHERE c.attachment_id = o.attachment_id
       RETURNING c.attachment_id, octet_length(c.data) AS n
     )
     SELECT count(DISTINCT attachment_id)::int AS files, coalesce(sum(n), 0)::bigint AS bytes FROM gone`,
    [olderThanMs],
  );
  return { files: row.files, bytes: Number(row.bytes) };
}
