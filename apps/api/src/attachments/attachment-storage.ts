import { createReadStream } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Readable } from 'node:stream';

/**
 * Port for attachment bytes, keyed by the attachment id. Only disk exists today; an S3-compatible store
 * replaces it by implementing these three methods (several API replicas then share one store).
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
