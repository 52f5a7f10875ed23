import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Inbox counts without reading millions of rows (docs/read-performance.md).
 *
 * `assignment_totals` counts assignments per (unit, status, class, deadline day); unit '' is the whole district.
 * Timeliness moves with the clock, so a class is stored only when it cannot change any more (cancelled, done on
 * time or late, no deadline, submitted before the deadline); the rest is 'clock' and keeps the UTC day of its
 * deadline, which the reader turns into overdue / due soon / on time for the current instant. Open rows keep their
 * day whatever their class, because the inbox's "due within N days" filter needs it too.
 *
 * Writers never update a shared counter row (that would serialise every projection write of an activation on
 * one row lock): statement-level triggers append the net change of each statement to `assignment_total_deltas`,
 * and fold_assignment_totals() (called by readers, one at a time) moves the deltas into the totals in one
 * transaction. A reader sums totals and pending deltas in one statement, so it sees one consistent state.
 *
 * ix_assignments_clock_deadline holds exactly the rows that carry a day, for the exact count of the one or two
 * days that the current instant cuts in two; ix_assignments_all_inbox gives the district-wide inbox its first
 * page in the default order without sorting the district.
 */
export class InboxTotals1764570000000 implements MigrationInterface {
  name = 'InboxTotals1764570000000';

  async up(q: QueryRunner): Promise<void> {
    // The class and day of a row. The class follows timeliness-sql.ts's rule branch by branch (done is judged by
    // the submission's time, else the approval's); 'clock' is every branch that compares with now.
    await q.query(`
      CREATE FUNCTION assignment_total_class(status text, deadline timestamptz, completed_at timestamptz, submitted_at timestamptz)
      RETURNS text LANGUAGE sql IMMUTABLE AS $$
        SELECT CASE
          WHEN status = 'cancelled' THEN 'cancelled'
          WHEN status = 'done' THEN
            CASE WHEN deadline IS NULL THEN 'done_on_time'
                 WHEN COALESCE(submitted_at, completed_at) IS NULL THEN 'clock'
                 WHEN COALESCE(submitted_at, completed_at) <= deadline THEN 'done_on_time'
                 ELSE 'done_late' END
          WHEN deadline IS NULL THEN 'no_deadline'
          WHEN status = 'submitted' AND submitted_at IS NOT NULL AND submitted_at <= deadline THEN 'open_on_time'
          ELSE 'clock'
        END $$`);
    await q.query(`
      CREATE FUNCTION assignment_total_day(status text, deadline timestamptz, completed_at timestamptz, submitted_at timestamptz)
      RETURNS date LANGUAGE sql IMMUTABLE AS $$
        SELECT CASE
          WHEN deadline IS NOT NULL AND (status NOT IN ('done', 'cancelled') OR (status = 'done' AND submitted_at IS NULL AND completed_at IS NULL))
            THEN (deadline AT TIME ZONE 'UTC')::date
          ELSE '-infinity'::date
        END $$`);
    await q.query(`
      CREATE TABLE assignment_totals (
        unit_code text NOT NULL,
        status text NOT NULL,
        cls text NOT NULL,
        day date NOT NULL,
        n bigint NOT NULL,
        PRIMARY KEY (unit_code, status, cls, day)
      )`);
    await q.query(`
      CREATE TABLE assignment_total_deltas (
        unit_code text NOT NULL,
        status text NOT NULL,
        cls text NOT NULL,
        day date NOT NULL,
        n bigint NOT NULL
      )`);
    await q.query(`CREATE INDEX ix_assignment_total_deltas_unit ON assignment_total_deltas (unit_code)`);

    // One function for the three statement triggers: PostgreSQL allows a transition table only on a
    // single-event trigger. Each row counts for its unit and for the district ('').
    await q.query(`
      CREATE FUNCTION assignment_totals_delta() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          INSERT INTO assignment_total_deltas (unit_code, status, cls, day, n)
          SELECT u, status, cls, day, sum(n) FROM (
            SELECT r.unit_code, r.status, assignment_total_class(r.status, r.deadline, r.completed_at, r.submitted_at) AS cls,
                   assignment_total_day(r.status, r.deadline, r.completed_at, r.submitted_at) AS day, 1 AS n FROM new_rows r) k
          CROSS JOIN LATERAL (VALUES (k.unit_code), ('')) v(u)
          GROUP BY 1, 2, 3, 4;
        ELSIF TG_OP = 'DELETE' THEN
          INSERT INTO assignment_total_deltas (unit_code, status, cls, day, n)
          SELECT u, status, cls, day, sum(n) FROM (
            SELECT r.unit_code, r.status, assignment_total_class(r.status, r.deadline, r.completed_at, r.submitted_at) AS cls,
                   assignment_total_day(r.status, r.deadline, r.completed_at, r.submitted_at) AS day, -1 AS n FROM old_rows r) k
          CROSS JOIN LATERAL (VALUES (k.unit_code), ('')) v(u)
          GROUP BY 1, 2, 3, 4;
        ELSE
          -- Most updates (progress, escalation, state) leave the key alone and net to nothing: no delta row.
          INSERT INTO assignment_total_deltas (unit_code, status, cls, day, n)
          SELECT u, status, cls, day, sum(n) FROM (
            SELECT r.unit_code, r.status, assignment_total_class(r.status, r.deadline, r.completed_at, r.submitted_at) AS cls,
                   assignment_total_day(r.status, r.deadline, r.completed_at, r.submitted_at) AS day, 1 AS n FROM new_rows r
            UNION ALL
            SELECT r.unit_code, r.status, assignment_total_class(r.status, r.deadline, r.completed_at, r.submitted_at),
                   assignment_total_day(r.status, r.deadline, r.completed_at, r.submitted_at), -1 FROM old_rows r) k
          CROSS JOIN LATERAL (VALUES (k.unit_code), ('')) v(u)
          GROUP BY 1, 2, 3, 4
          HAVING sum(n) <> 0;
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER tg_assignment_totals_insert AFTER INSERT ON assignments
      REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION assignment_totals_delta()`);
    await q.query(`
      CREATE TRIGGER tg_assignment_totals_update AFTER UPDATE ON assignments
      REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION assignment_totals_delta()`);
    await q.query(`
      CREATE TRIGGER tg_assignment_totals_delete AFTER DELETE ON assignments
      REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION assignment_totals_delta()`);
    // TRUNCATE leaves no rows, so nothing is left to count.
    await q.query(`
      CREATE FUNCTION assignment_totals_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM assignment_total_deltas;
        DELETE FROM assignment_totals;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER tg_assignment_totals_truncate AFTER TRUNCATE ON assignments FOR EACH STATEMENT EXECUTE FUNCTION assignment_totals_truncate()`);

    // One folder at a time (the advisory lock); others skip, their readers still see the deltas. Rows inserted
    // by transactions that commit after the DELETE's snapshot stay for the next fold.
    await q.query(`
      CREATE FUNCTION fold_assignment_totals() RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        IF pg_try_advisory_xact_lock(hashtext('dondoc.assignment_totals')) THEN
          WITH moved AS (DELETE FROM assignment_total_deltas RETURNING unit_code, status, cls, day, n)
          INSERT INTO assignment_totals AS t (unit_code, status, cls, day, n)
          SELECT unit_code, status, cls, day, sum(n) FROM moved GROUP BY 1, 2, 3, 4
          ON CONFLICT (unit_code, status, cls, day) DO UPDATE SET n = t.n + EXCLUDED.n;
          DELETE FROM assignment_totals WHERE n = 0;
        END IF;
      END $$`);
    // The whole table from scratch (existing rows now; bulk loads that prefer it to the triggers' deltas).
    await q.query(`
      CREATE FUNCTION rebuild_assignment_totals() RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_advisory_xact_lock(hashtext('dondoc.assignment_totals'));
        LOCK TABLE assignments IN SHARE MODE;
        DELETE FROM assignment_total_deltas;
        DELETE FROM assignment_totals;
        INSERT INTO assignment_totals (unit_code, status, cls, day, n)
        SELECT u, status, cls, day, count(*) FROM (
          SELECT a.unit_code, a.status, assignment_total_class(a.status, a.deadline, a.completed_at, a.submitted_at) AS cls,
                 assignment_total_day(a.status, a.deadline, a.completed_at, a.submitted_at) AS day FROM assignments a) k
        CROSS JOIN LATERAL (VALUES (k.unit_code), ('')) v(u)
        GROUP BY 1, 2, 3, 4;
      END $$`);
    await q.query(`SELECT rebuild_assignment_totals()`);

    await q.query(`
      CREATE INDEX ix_assignments_clock_deadline ON assignments (deadline) INCLUDE (status, completed_at, submitted_at)
      WHERE deadline IS NOT NULL AND (status NOT IN ('done', 'cancelled') OR (status = 'done' AND submitted_at IS NULL AND completed_at IS NULL))`);
    await q.query(`CREATE INDEX ix_assignments_all_inbox ON assignments (deadline, workflow_id) INCLUDE (status, completed_at, submitted_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS ix_assignments_all_inbox`);
    await q.query(`DROP INDEX IF EXISTS ix_assignments_clock_deadline`);
    for (const t of ['insert', 'update', 'delete', 'truncate']) await q.query(`DROP TRIGGER IF EXISTS tg_assignment_totals_${t} ON assignments`);
    await q.query(`DROP FUNCTION IF EXISTS rebuild_assignment_totals()`);
    await q.query(`DROP FUNCTION IF EXISTS fold_assignment_totals()`);
    await q.query(`DROP FUNCTION IF EXISTS assignment_totals_truncate()`);
    await q.query(`DROP FUNCTION IF EXISTS assignment_totals_delta()`);
    await q.query(`DROP TABLE IF EXISTS assignment_total_deltas`);
    await q.query(`DROP TABLE IF EXISTS assignment_totals`);
    await q.query(`DROP FUNCTION IF EXISTS assignment_total_day(text, timestamptz, timestamptz, timestamptz)`);
    await q.query(`DROP FUNCTION IF EXISTS assignment_total_class(text, timestamptz, timestamptz, timestamptz)`);
  }
}
