import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Hour-sized counts for the district-wide inbox (docs/read-performance.md, "Hour buckets for the district").
 *
 * assignment_totals (migration InboxTotals) counts by deadline *day*; the reader reads one by one the rows of the
 * days that the current instant (and now + the due-soon window, now + "due within N days") cuts in two. For one
 * unit that is a hundred rows; for the whole district, with deadlines spread over the hours of a day, it is tens
 * of thousands, and it was most of the district inbox's time. `assignment_hour_totals` counts the same rows (those
 * that carry a day) for the district only, by (status, class, UTC hour of the deadline), so the reader classifies
 * the boundary days' other hours at once and reads only the rows of the hours those instants fall in.
 *
 * Units keep day buckets: a unit's boundary days are few rows, and hours would multiply its cells up to 24 times.
 *
 * It is kept the way assignment_totals is: its own statement-level triggers append net changes to
 * `assignment_hour_total_deltas`, fold_assignment_hour_totals() folds them (under its own advisory lock) and the
 * reader sums totals and pending deltas in one statement; rebuild_assignment_hour_totals() recomputes it from
 * the rows. Separate triggers and functions rather than a second version of InboxTotals's, so this migration
 * is undone by dropping what it created.
 */
export class InboxHourTotals1764590000000 implements MigrationInterface {
  name = 'InboxHourTotals1764590000000';

  async up(q: QueryRunner): Promise<void> {
    // The rows that carry a day (assignment_total_day is not '-infinity'): word for word the predicate of
    // ix_assignments_clock_deadline, so the rebuild below reads them from that index. `r` prefixes the columns.
    const hasDay = (r: string): string =>
      `${r}deadline IS NOT NULL AND (${r}status NOT IN ('done', 'cancelled') OR (${r}status = 'done' AND ${r}submitted_at IS NULL AND ${r}completed_at IS NULL))`;
    // NULL for the other rows (no deadline, or a class fixed for good).
    await q.query(`
      CREATE FUNCTION assignment_total_hour(status text, deadline timestamptz, completed_at timestamptz, submitted_at timestamptz)
      RETURNS timestamp LANGUAGE sql IMMUTABLE AS $$
        SELECT CASE WHEN ${hasDay('')} THEN date_trunc('hour', deadline AT TIME ZONE 'UTC') END $$`);
    await q.query(`
      CREATE TABLE assignment_hour_totals (
        hour timestamp NOT NULL,
        status text NOT NULL,
        cls text NOT NULL,
        n bigint NOT NULL,
        PRIMARY KEY (hour, status, cls)
      )`);
    await q.query(`
      CREATE TABLE assignment_hour_total_deltas (
        hour timestamp NOT NULL,
        status text NOT NULL,
        cls text NOT NULL,
        n bigint NOT NULL
      )`);
    await q.query(`CREATE INDEX ix_assignment_hour_total_deltas_hour ON assignment_hour_total_deltas (hour)`);

    // The net change of a statement by hour key: new rows count +1, old rows -1 (an update nets out when the key
    // stays, and then writes nothing).
    const keyed = (rows: 'new_rows' | 'old_rows', n: 1 | -1): string =>
      `SELECT assignment_total_hour(r.status, r.deadline, r.completed_at, r.submitted_at) AS hour, r.status,
              assignment_total_class(r.status, r.deadline, r.completed_at, r.submitted_at) AS cls, ${n} AS n FROM ${rows} r`;
    const append = (source: string): string =>
      `INSERT INTO assignment_hour_total_deltas (hour, status, cls, n)
       SELECT hour, status, cls, sum(n) FROM (${source}) k WHERE hour IS NOT NULL GROUP BY 1, 2, 3 HAVING sum(n) <> 0;`;
    await q.query(`
      CREATE FUNCTION assignment_hour_totals_delta() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN ${append(keyed('new_rows', 1))}
        ELSIF TG_OP = 'DELETE' THEN ${append(keyed('old_rows', -1))}
        ELSE ${append(`${keyed('new_rows', 1)} UNION ALL ${keyed('old_rows', -1)}`)}
        END IF;
        RETURN NULL;
      END $$`);
    // Statement-level, with transition tables: PostgreSQL allows those only on single-event triggers.
    const transitions = { insert: 'NEW TABLE AS new_rows', update: 'OLD TABLE AS old_rows NEW TABLE AS new_rows', delete: 'OLD TABLE AS old_rows' };
    for (const [op, tables] of Object.entries(transitions)) {
      await q.query(
        `CREATE TRIGGER tg_assignment_hour_totals_${op} AFTER ${op.toUpperCase()} ON assignments REFERENCING ${tables} FOR EACH STATEMENT EXECUTE FUNCTION assignment_hour_totals_delta()`,
      );
    }
    await q.query(`
      CREATE FUNCTION assignment_hour_totals_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM assignment_hour_total_deltas;
        DELETE FROM assignment_hour_totals;
        RETURN NULL;
      END $$`);
    await q.query(
      `CREATE TRIGGER tg_assignment_hour_totals_truncate AFTER TRUNCATE ON assignments FOR EACH STATEMENT EXECUTE FUNCTION assignment_hour_totals_truncate()`,
    );

    await q.query(`
      CREATE FUNCTION fold_assignment_hour_totals() RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        IF pg_try_advisory_xact_lock(hashtext('dondoc.assignment_hour_totals')) THEN
          WITH moved AS (DELETE FROM assignment_hour_total_deltas RETURNING hour, status, cls, n)
          INSERT INTO assignment_hour_totals AS t (hour, status, cls, n)
          SELECT hour, status, cls, sum(n) FROM moved GROUP BY 1, 2, 3
          ON CONFLICT (hour, status, cls) DO UPDATE SET n = t.n + EXCLUDED.n;
          DELETE FROM assignment_hour_totals WHERE n = 0;
        END IF;
      END $$`);
    await q.query(`
      CREATE FUNCTION rebuild_assignment_hour_totals() RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_advisory_xact_lock(hashtext('dondoc.assignment_hour_totals'));
        LOCK TABLE assignments IN SHARE MODE;
        DELETE FROM assignment_hour_total_deltas;
        DELETE FROM assignment_hour_totals;
        INSERT INTO assignment_hour_totals (hour, status, cls, n)
        SELECT hour, status, cls, count(*) FROM (
          SELECT assignment_total_hour(a.status, a.deadline, a.completed_at, a.submitted_at) AS hour, a.status,
                 assignment_total_class(a.status, a.deadline, a.completed_at, a.submitted_at) AS cls
          FROM assignments a WHERE ${hasDay('a.')}) k
        GROUP BY 1, 2, 3;
      END $$`);
    await q.query(`SELECT rebuild_assignment_hour_totals()`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['insert', 'update', 'delete', 'truncate']) await q.query(`DROP TRIGGER IF EXISTS tg_assignment_hour_totals_${t} ON assignments`);
    await q.query(`DROP FUNCTION IF EXISTS rebuild_assignment_hour_totals()`);
    await q.query(`DROP FUNCTION IF EXISTS fold_assignment_hour_totals()`);
    await q.query(`DROP FUNCTION IF EXISTS assignment_hour_totals_truncate()`);
    await q.query(`DROP FUNCTION IF EXISTS assignment_hour_totals_delta()`);
    await q.query(`DROP TABLE IF EXISTS assignment_hour_total_deltas`);
    await q.query(`DROP TABLE IF EXISTS assignment_hour_totals`);
    await q.query(`DROP FUNCTION IF EXISTS assignment_total_hour(text, timestamptz, timestamptz, timestamptz)`);
  }
}
