import { buildProgram } from '../../src/cli/main';

export interface CliRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** Runs `taxii-hub <args>` in this process, capturing what it prints and its exit code. */
export async function cli(args: string[]): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  const error = jest.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  process.exitCode = undefined;
  try {
    await buildProgram().parseAsync(['node', 'taxii-hub', ...args]);
    return { code: Number(process.exitCode ?? 0), out: out.join('\n'), err: err.join('\n') };
  } finally {
    process.exitCode = undefined;
    log.mockRestore();
    error.mockRestore();
  }
}
