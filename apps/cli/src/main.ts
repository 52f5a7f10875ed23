import { ConfigError } from '@app/config';
import { attachmentsCommand } from './attachments.command';
import { type Command, type CommandIo, UsageError } from './command';
import { importCommand } from './import.command';
import { reconcileCommand } from './reconcile.command';

/** Subcommands by name; new ones (reconcile, activate …) are added here. */
export const COMMANDS: Record<string, Command> = {
  import: importCommand,
  reconcile: reconcileCommand,
  attachments: attachmentsCommand,
};

function usage(): string {
  return ['usage: npm run cli -- <command> [options]', '', ...Object.entries(COMMANDS).map(([, c]) => `  ${c.summary}`)].join('\n');
}

export async function main(argv: string[], io: CommandIo): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(`${usage()}\n`);
    return name ? 0 : 64;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    io.stderr(`unknown command: ${name}\n${usage()}\n`);
    return 64;
  }
  try {
    return await command.run(args, io);
  } catch (err) {
    if (err instanceof UsageError || (err instanceof TypeError && (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS'))) {
      io.stderr(`${err.message}\n${usage()}\n`);
      return 64;
    }
    // A bad setting is the operator's input: its message names the variable, a stack would only hide it.
    if (err instanceof ConfigError) {
      io.stderr(`${err.message}\n`);
      return 78; // EX_CONFIG, as the server's start-up
    }
    io.stderr(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return 1;
  }
}

// run-ts.js requires this file itself, so require.main is the runner; it sets argv[1] to this file.
if (require.main === module || process.argv[1] === __filename) {
  const io: CommandIo = {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
  };
  main(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`${String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
