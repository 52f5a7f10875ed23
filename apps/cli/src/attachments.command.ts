import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type Command, type CommandIo, UsageError } from './command';

/**
 * `attachments move-to-postgres [--json]`: move files an older version kept under DATA_DIR/attachments into PostgreSQL.
 * `attachments sweep-orphans [--json]`: delete stored bytes that no attachment claims (uploads cut off mid-way), older than an hour.
 */
/** Far longer than any upload takes (the bytes are stored in one transaction just before the row). */
const ORPHAN_AGE_MS = 60 * 60 * 1000;

export const attachmentsCommand: Command = {
  summary:
    'attachments move-to-postgres|sweep-orphans [--json]   move attachment files from DATA_DIR/attachments into PostgreSQL (idempotent); delete bytes no attachment claims',
  async run(args: string[], io: CommandIo): Promise<number> {
    const { positionals, values } = parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean', default: false } } });
    const action = positionals[0];
    if (positionals.length !== 1 || (action !== 'move-to-postgres' && action !== 'sweep-orphans')) throw new UsageError('attachments takes one action: move-to-postgres or sweep-orphans');
    // Loaded here so `import` never needs a database.
    const { parseConfig } = await import('@app/config');
    const { DataSource } = await import('typeorm');
    const { dataSourceOptions } = await import('@app/persistence');
    const { moveDiskAttachmentsToPostgres, removeOrphanChunks } = await import('../../api/src/attachments/attachment-storage');

    // Moving bytes signs nothing: no SECRET_KEY needed.
    const config = parseConfig(io.env, { requireSecret: false });
    const dir = join(resolve(config.dataDir), 'attachments');
    const ds = await new DataSource(dataSourceOptions(config.database.url, 2)).initialize();
    try {
      if (action === 'sweep-orphans') {
        const swept = await removeOrphanChunks(ds, ORPHAN_AGE_MS);
        io.stdout(values.json ? `${JSON.stringify(swept)}\n` : `Đã xoá dữ liệu không thuộc tệp đính kèm nào: ${swept.files} tệp, ${swept.bytes} byte\n`);
        return 0;
      }
      const report = await moveDiskAttachmentsToPostgres(ds, dir);
      if (values.json) io.stdout(`${JSON.stringify({ dir, ...report }, null, 2)}\n`);
      else {
        io.stdout(
          [
            `Thư mục: ${dir}`,
            `Đã chuyển vào PostgreSQL: ${report.moved}   đã có sẵn (chỉ xoá bản trên đĩa): ${report.alreadyMoved}`,
            `Không có bản ghi tệp đính kèm (giữ nguyên): ${report.orphans.length}   sai SHA-256 (giữ nguyên): ${report.mismatched.length}   bỏ qua: ${report.ignored}`,
            ...report.mismatched.map((id) => `  - sai SHA-256: ${id}`),
          ].join('\n') + '\n',
        );
      }
      // A file whose bytes do not match the upload's hash needs a person: exit 3 like reconcile's findings.
      return report.mismatched.length > 0 ? 3 : 0;
    } finally {
      await ds.destroy();
    }
  },
};
