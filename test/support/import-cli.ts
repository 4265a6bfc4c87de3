import fs from 'node:fs';
import path from 'node:path';
import { cli, type CliRun } from './cli-run';

/** Runs the CLI with standard error seen as a pipe, and returns what the import wrote there too. */
export async function importCli(args: string[]): Promise<CliRun & { progress: string }> {
  const written: string[] = [];
  const tty = Object.getOwnPropertyDescriptor(process.stderr, 'isTTY');
  Object.defineProperty(process.stderr, 'isTTY', { value: false, configurable: true, writable: true });
  const write = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
  try {
    return { ...(await cli(['import', ...args])), progress: written.join('') };
  } finally {
    write.mockRestore();
    if (tty) Object.defineProperty(process.stderr, 'isTTY', tty);
    else delete (process.stderr as { isTTY?: boolean }).isTTY;
  }
}

export function writeJson(file: string, content: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
}

