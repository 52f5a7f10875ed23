// The SQL timeliness expression must agree with classifyTimeliness on every row: random rows are evaluated by
// the real PostgreSQL and by the domain function.
import fc from 'fast-check';
import { Client } from 'pg';
import { ASSIGNMENT_STATUSES, type AssignmentStatus, classifyTimeliness } from '@app/domain';
import { timelinessSql } from '@app/persistence';

describe('timeliness in SQL = classifyTimeliness', () => {
  let pg: Client;
  beforeAll(async () => {
    pg = new Client({ connectionString: process.env.DONDOC_TEST_DATABASE_URL });
    await pg.connect();
  });
  afterAll(async () => {
    await pg?.end();
  });

  const base = Date.UTC(2024, 4, 10);
  // Instants close to each other (minutes to days, ms precision) so equality and the window edges are hit.
  const instant = fc.integer({ min: -10 * 86_400_000, max: 10 * 86_400_000 }).map((d) => new Date(base + d));
  const edgeOrInstant = fc.oneof(instant, fc.constantFrom(new Date(base), new Date(base + 3 * 86_400_000), new Date(base - 1), new Date(base + 1)));
  const row = fc.record({
    status: fc.constantFrom<AssignmentStatus>(...ASSIGNMENT_STATUSES),
    deadline: fc.option(edgeOrInstant, { nil: null }),
    completedAt: fc.option(edgeOrInstant, { nil: null }),
    submittedAt: fc.option(edgeOrInstant, { nil: null }),
    now: edgeOrInstant,
    window: fc.constantFrom(0, 1, 86_400_000, 3 * 86_400_000),
  });

  it('agrees on random rows', async () => {
    const expr = timelinessSql({ status: 'r.status', deadline: 'r.deadline', completedAt: 'r.completed_at', submittedAt: 'r.submitted_at', now: 'r.now', dueSoonMs: 'r.window' });
    await fc.assert(
      fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 200 }), async (rows) => {
        const res = await pg.query<{ i: number; t: string | null }>(
          `SELECT r.i, ${expr} AS t
           FROM jsonb_to_recordset($1::jsonb) AS r(i int, status text, deadline timestamptz, completed_at timestamptz, submitted_at timestamptz, now timestamptz, "window" bigint)
           ORDER BY r.i`,
          [JSON.stringify(rows.map((r, i) => ({ i, status: r.status, deadline: r.deadline, completed_at: r.completedAt, submitted_at: r.submittedAt, now: r.now, window: r.window })))],
        );
        const expected = rows.map((r) => classifyTimeliness({ ...r, dueSoonWithinMs: r.window }));
        expect(res.rows.map((x) => x.t)).toEqual(expected);
      }),
      { numRuns: 100 },
    );
  });
});
