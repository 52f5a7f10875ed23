import { join } from 'node:path';
import { Linter } from 'eslint';
import tseslint from 'typescript-eslint';

const ROOT = join(__dirname, '../../..');

// The project's own flat config (CommonJS, so jest can load it) and, in it, the workflow entry.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const config = require(join(ROOT, 'eslint.config.js')) as Linter.Config[];
const workflowEntry = config.find((c) => c.plugins?.dondoc)!;

/** Lints `code` as a file of workflows/ with the workflow entry's rule. */
function findings(code: string): string[] {
  const linter = new Linter({ configType: 'flat', cwd: ROOT });
  const messages = linter.verify(
    code,
    [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser as Linter.Parser }, plugins: workflowEntry.plugins, rules: workflowEntry.rules }],
    join(ROOT, 'workflows/plan/import-probe.ts'),
  );
  expect(messages.filter((m) => m.fatal)).toEqual([]);
  return messages.filter((m) => m.ruleId === 'dondoc/workflow-imports').map((m) => m.message.replace(/.*not '(.*)'\.$/, '$1'));
}

describe('the workflow import allow-list (eslint.config.js)', () => {
  it('refuses I/O, other SDK packages and other libraries, spelled as aliases or as relative paths', () => {
    const code = [
      "import { readFileSync } from 'node:fs';",
      "import { PlanRepository } from '../../libs/persistence/src';",
      "import { parseConfig } from '@app/config';",
      "import { Client } from '@temporalio/client';",
      "export const probe = [readFileSync, PlanRepository, parseConfig, Client];",
    ].join('\n');
    expect(findings(code)).toEqual(['node:fs', '../../libs/persistence/src', '@app/config', '@temporalio/client']);
  });

  it('allows the workflow SDK, the domain, the contracts and workflows/ itself', () => {
    const code = [
      "import { workflowInfo } from '@temporalio/workflow';",
      "import { classifyTimeliness } from '../../libs/domain/src/timeliness';",
      "import { SA } from '../../libs/contracts/src/workflow/search-attributes';",
      "import { planEndWorkflow } from './plan-end.workflow';",
      "export const probe = [workflowInfo, classifyTimeliness, SA, planEndWorkflow];",
    ].join('\n');
    expect(findings(code)).toEqual([]);
  });
});
