import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { readSetting } from '@app/config';
import { loadOrganisationDirectory, OrganisationFileError, planAssignments } from '@app/domain';
import { DEFAULT_MAX_BYTES, formatPlanReport, PlanParseError } from '@app/plan-parser';
// The same source rules as the HTTP import (.md/.txt/.docx), so the CLI shows exactly what the API would store.
import { parseSource } from '../../api/src/plans/plan-import';
import { type Command, type CommandIo, UsageError } from './command';
import { formatAssignmentsReport } from './assignments-report';

export const DEFAULT_ORGANISATION_FILE = resolve(__dirname, '..', '..', '..', 'deploy', 'seed', 'van-quan', 'organisation.yaml');

/**
 * `import <file> [--json] [--org <file>] [--save] [--assignments]`: parse a plan and show what was understood, or with
 * `--assignments` the work activation would start against the directory, so a plan can be checked without the server.
 */
export const importCommand: Command = {
  summary:
    'import <file> [--json] [--org <organisation.yaml>] [--save] [--assignments]   parse a plan and print its structure, or the work activation would start',
  async run(args: string[], io: CommandIo): Promise<number> {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        org: { type: 'string' },
        save: { type: 'boolean', default: false },
        assignments: { type: 'boolean', default: false },
      },
    });
    if (positionals.length !== 1) throw new UsageError('import needs exactly one file');
    const file = resolve(positionals[0]);
    // PLAN_MAX_BYTES is validated like the server's (a bad value is refused, not silently replaced); unset keeps
    // the parser's own default rather than the server's, so the CLI behaves the same with or without a .env.
    const maxBytes = io.env.PLAN_MAX_BYTES ? readSetting(io.env, 'PLAN_MAX_BYTES') : DEFAULT_MAX_BYTES;

    let directory;
    try {
      directory = loadOrganisationDirectory(await readFile(values.org ? resolve(values.org) : DEFAULT_ORGANISATION_FILE, 'utf8'));
    } catch (err) {
      if (err instanceof OrganisationFileError) {
        io.stderr(`${err.message}\n${err.issues.map((i) => `  ${i}`).join('\n')}\n`);
        return 1;
      }
      throw err;
    }

    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch (err) {
      // A missing or unreadable file is the user's input, not a crash: one line, no stack.
      io.stderr(`FILE_UNREADABLE: Không đọc được tệp ${file} (${(err as NodeJS.ErrnoException).code ?? String(err)}).\n`);
      return 2;
    }

    let parsed;
    try {
      parsed = await parseSource({ kind: 'file', buffer: bytes, name: basename(file) }, directory, maxBytes);
    } catch (err) {
      if (err instanceof PlanParseError) {
        io.stderr(`${err.code}: ${err.message}\n`);
        return 2;
      }
      throw err;
    }
    if (values.assignments) {
      const planned = planAssignments(parsed.plan, directory);
      io.stdout(`${formatAssignmentsReport(parsed.plan, planned, parsed.warnings, directory, { json: values.json })}\n`);
    } else {
      io.stdout(`${formatPlanReport(parsed.plan, parsed.warnings, { json: values.json })}\n`);
    }

    if (values.save) {
      if (!io.env.DATABASE_URL) throw new UsageError('--save needs DATABASE_URL');
      const url = readSetting(io.env, 'DATABASE_URL');
      // Loaded only here, so parsing never needs a database driver or a connection.
      const { DataSource } = await import('typeorm');
      const { dataSourceOptions, TypeormPlanRepository } = await import('@app/persistence');
      const ds = await new DataSource(dataSourceOptions(url, 1)).initialize();
      try {
        const stored = await new TypeormPlanRepository(ds).createDraft(
          { plan: parsed.plan, warnings: parsed.warnings, sourceText: parsed.sourceText, sourceName: parsed.sourceName },
          'cli',
        );
        io.stderr(`Đã lưu bản nháp ${stored.id} (phiên bản ${stored.revision})\n`);
      } finally {
        await ds.destroy();
      }
    }
    return 0;
  },
};
