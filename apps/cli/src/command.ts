export interface CommandIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Record<string, string | undefined>;
}

/** A subcommand: resolves to the process exit code. */
export interface Command {
  summary: string;
  run(args: string[], io: CommandIo): Promise<number>;
}

/** Wrong arguments: the CLI prints usage and exits 64 (EX_USAGE). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
