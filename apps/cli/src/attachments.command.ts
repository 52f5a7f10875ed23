import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type Command, type CommandIo, UsageError } from './command';

/** `attachments move-to-postgres [--json]`: move files an older version kept under DATA_DIR/attachments into PostgreSQL. */
export const attachmentsCommand: Command = {
  summary: 'attachments move-to-postgres [--json]   move attachment files from DATA_DIR/attachments into PostgreSQL (idempotent)',
  async run(args: string[], io: CommandIo): Promise<number> {
    const { positionals, values } = parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean', default: false } } });
    if (positionals.length !== 1 || positionals[0] !== 'move-to-postgres') throw new UsageError('attachments takes one action: move-to-postgres');
    // Loaded here so `import` never needs a database.
    const { parseConfig } = await import('@app/config');
    const { DataSource } = await import('typeorm');
    const { dataSourceOptions } = await import('@app/persistence');
    const { moveDiskAttachmentsToPostgres } = await import('../../api/src/attachments/attachment-storage');

    // Moving bytes signs nothing: no SECRET_KEY needed.
    const config = parseConfig(io.env, { requireSecret: false });
    const dir = join(resolve(config.dataDir), 'attachments');
    const ds = await new DataSource(dataSourceOptions(config.database.url, 2)).initialize();
    try {
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
