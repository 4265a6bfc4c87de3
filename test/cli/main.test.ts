import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildProgram, packageVersion } from '../../src/cli/main';

/** The `taxii-hub` command itself: its version, and what `npx taxii-hub` says before a build. */

const ROOT = path.resolve(__dirname, '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };

describe('taxii-hub --version', () => {
  test.each(['--version', '-V'])('%s prints the package version', async (flag) => {
    const written: string[] = [];
    const program = buildProgram().configureOutput({ writeOut: (text) => void written.push(text) });
    await expect(program.parseAsync(['node', 'taxii-hub', flag])).rejects.toMatchObject({ code: 'commander.version', exitCode: 0 });
    expect(written.join('')).toBe(`${pkg.version}\n`);
    expect(packageVersion()).toBe(pkg.version);
  });
});

describe('bin/taxii-hub.js before a build', () => {
  test.each([['serve'], ['match', '--help']])('taxii-hub %s says to run npm run build, without a stack trace', (...args) => {
    // The bin as installed in a checkout that was never built: no dist/ beside it.
    const checkout = fs.mkdtempSync(path.join(os.tmpdir(), 'taxii-hub-unbuilt-'));
    try {
      fs.mkdirSync(path.join(checkout, 'bin'));
      fs.copyFileSync(path.join(ROOT, 'bin', 'taxii-hub.js'), path.join(checkout, 'bin', 'taxii-hub.js'));
      const run = spawnSync(process.execPath, [path.join(checkout, 'bin', 'taxii-hub.js'), ...args], { encoding: 'utf8' });
      expect(run.status).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toBe(`taxii-hub: the hub is not built yet: run \`npm run build\` first (in ${checkout})\n`);
    } finally {
      fs.rmSync(checkout, { recursive: true, force: true });
    }
  });
});
