import type { Command } from 'commander';

/** Parses `argv` with `program` and sets the process's exit status; an error is one line, not a stack. */
export function runProgram(program: Command, argv: readonly string[]): void {
  program.parseAsync([...argv]).catch((error: unknown) => {
    const code = (error as { code?: string; exitCode?: number }).exitCode;
    if (typeof code === 'number') process.exit(code); // commander already printed help or the error
    console.error(`taxii-hub: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
