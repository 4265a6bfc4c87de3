import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { buildMatchProgram } from '../../../src/cli/match/match-main';

/**
 * `taxii-hub match` on its own (bin/taxii-hub.js takes this path for it): the same command, without
 * the hub's modules, so that a run from cron starts in a fraction of a second.
 */

const SRC = path.resolve(__dirname, '../../../src');

/** The project modules `file` loads at run time (type-only imports left out), followed transitively. */
function runtimeClosure(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const text = readFileSync(file, 'utf8');
  for (const match of text.matchAll(/^(?:import|export)\s+(?!type\s)[^;]*?from\s+'(\.[^']+)';/gms)) {
    const target = path.resolve(path.dirname(file), match[1] as string);
    const resolved = [`${target}.ts`, path.join(target, 'index.ts')].find((candidate) => {
      try {
        readFileSync(candidate);
        return true;
      } catch {
        return false;
      }
    });
    if (resolved !== undefined) runtimeClosure(resolved, seen);
  }
  return seen;
}

test('the match program loads nothing of the hub: no composition, database, HTTP server or schema validator', () => {
  const loaded = [...runtimeClosure(path.join(SRC, 'cli/match/match-main.ts'))].map((file) => path.relative(SRC, file));
  expect(loaded).toContain('cli/match/match-command.ts');
  expect(loaded).toContain('domain/matching/index.ts');
  // The route table is constants (the hub API's paths); anything else under http/ is the server.
  const heavy = loaded.filter((file) => /^(hub-composition|app\.ts|storage\/sql\/|services\/|validation\/)|^http\/(?!route-table\.ts)/.test(file));
  expect(heavy).toEqual([]);
});

test('it runs the match command: an offline scan without a mirror says so and exits 2', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'match-main-'));
  const errors: string[] = [];
  const error = jest.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void errors.push(a.join(' ')));
  try {
    const log = path.join(dir, 'mail.log');
    await writeFile(log, 'Dec  6 09:14:02 mx1 postfix/smtpd[20411]: connect from unknown[203.0.113.9]\n');
    process.exitCode = undefined;
    await buildMatchProgram().parseAsync(['node', 'taxii-hub', 'match', '--no-sync', '--mirror', path.join(dir, 'mirror'), log]);
    expect(process.exitCode).toBe(2);
    expect(errors.join('\n')).toMatch(/mirror/i);
  } finally {
    process.exitCode = undefined;
    error.mockRestore();
    await rm(dir, { recursive: true, force: true });
  }
});
