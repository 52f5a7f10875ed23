import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Attachment bytes in PostgreSQL, so every API replica serves every file (docs/deployment.md "Attachments").
 * A file is split into chunks of at most 1 MiB, keyed by (attachment id, chunk number): no single value ever
 * holds a whole 100 MB file, and a download reads one chunk at a time. All chunks of a file are written in one
 * transaction, so a reader sees the whole file or none of it.
 *
 * No foreign key to `attachments`: the bytes are stored before the row (the row is what makes a file visible,
 * and the quota check that inserts it may refuse). Instead a trigger removes the chunks whenever an attachment
 * row is deleted, whoever deletes it.
 */
export class AttachmentChunks1764560000000 implements MigrationInterface {
  name = 'AttachmentChunks1764560000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE attachment_chunks (
        attachment_id uuid NOT NULL,
        chunk_no int NOT NULL CHECK (chunk_no >= 0),
        data bytea NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (attachment_id, chunk_no)
      )`);
    // Uploads are pdf/docx/xlsx/zip/jpg/png, already compressed: trying again on every chunk only costs CPU.
    await q.query(`ALTER TABLE attachment_chunks ALTER COLUMN data SET STORAGE EXTERNAL`);
    await q.query(`
      CREATE FUNCTION attachment_chunks_follow_row() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM attachment_chunks WHERE attachment_id = OLD.id;
        RETURN OLD;
      END $$`);
    await q.query(`
      CREATE TRIGGER tr_attachments_remove_chunks AFTER DELETE ON attachments
      FOR EACH ROW EXECUTE FUNCTION attachment_chunks_follow_row()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER IF EXISTS tr_attachments_remove_chunks ON attachments`);
    await q.query(`DROP FUNCTION IF EXISTS attachment_chunks_follow_row()`);
    await q.query(`DROP TABLE IF EXISTS attachment_chunks`);
  }
}
