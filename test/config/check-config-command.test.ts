import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { stringify } from 'yaml';
import { registerCheckConfigCommand } from '../../src/cli/check-config-command';
import { validConfig } from './valid-config';

const PACKAGE_ROOT = path.resolve(__dirname, '../..');

async function run(...args: string[]): Promise<{ out: string[]; err: string[]; exitCode: number }> {
  const out: string[] = [];
  const err: string[] = [];
  const program = new Command('taxii-hub').exitOverride();
  registerCheckConfigCommand(program, { out: (text) => out.push(text), err: (text) => err.push(text) });
  const previous = process.exitCode;
  process.exitCode = undefined;
  try {
    await program.parseAsync(['check-config', ...args], { from: 'user' });
    return { out, err, exitCode: Number(process.exitCode ?? 0) };
  } finally {
    process.exitCode = previous;
  }
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'check-config-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('taxii-hub check-config', () => {
  test('says OK with the counts and exits 0 for the demo configuration', async () => {
    const { out, err, exitCode } = await run(path.join(PACKAGE_ROOT, 'collections'));
    expect(exitCode).toBe(0);
    expect(err).toEqual([]);
    expect(out[0]).toMatch(/^configuration OK: 8 organizations, 9 users, 3 trust groups, 4 collections, 1 API root/);
  });

  test('lists every problem on stderr, one per line, and exits 1', async () => {
    const config = validConfig();
    config.users[1]!.organization = 'acme-south';
    config.collections[0]!.owner = { trust_group: 'nobody' };
    const file = path.join(dir, 'hub.yaml');
    await writeFile(file, stringify(config));
    const { out, err, exitCode } = await run(file);
    expect(exitCode).toBe(1);
    expect(out).toEqual([]);
    expect(err).toHaveLength(3);
    expect(err[0]).toContain('2 problems');
    expect(err[1]).toMatch(new RegExp(`^${file}:\\d+: users\\[1\\]\\.organization: unknown organization 'acme-south'`));
    expect(err[2]).toContain("collections[0].owner.trust_group: unknown trust group 'nobody'");
  });

  test('names the file, line and path of a bad unmarked or attribution setting', async () => {
    const file = path.join(dir, 'hub.yaml');
    await writeFile(
      file,
      [
        'api_roots: [{ id: demo, title: Demo }]',
        'organizations: [{ id: acme, name: ACME }, { id: globex, name: Globex }]',
        'trust_groups:',
        '  - { id: peers, name: Peers, topology: horizontal, members: [acme, globex], attribution: hidden }',
        'collections:',
        '  - id: 2f0b1c4e-7a3d-4e5f-9a1b-3c4d5e6f7a8b',
        '    api_root: demo',
        '    title: Feed',
        '    owner: { trust_group: peers }',
        '    default_marking: green',
        '    unmarked: drop',
        '  - id: 8c9d0e1f-2a3b-4c5d-8e6f-7a8b9c0d1e2f',
        '    api_root: demo',
        '    title: Own',
        '    owner: { organization: acme }',
        '    default_marking: amber',
        '    attribution: attributed',
        '',
      ].join('\n'),
    );
    const { err, exitCode } = await run(file);
    expect(exitCode).toBe(1);
    expect(err).toEqual([
      `configuration ${file} has 2 problems:`,
      `${file}:11: collections[0].unmarked: must be one of: default, refuse`,
      `${file}:17: collections[1].attribution: is attributed, but its owner 'acme' is in trust group 'peers', which hides attribution, and a trust group's hidden attribution applies to every collection it governs; remove this key or set it to hidden`,
    ]);
  });

  test('--json prints the problems as JSON', async () => {
    const file = path.join(dir, 'hub.yaml');
    await writeFile(file, 'organizations:\n  - { id: acme, name: ACME, colour: red }\n');
    const { out, exitCode } = await run(file, '--json');
    expect(exitCode).toBe(1);
    expect(JSON.parse(out.join('\n'))).toEqual({
      ok: false,
      path: file,
      problems: [{ source: file, line: 2, path: 'organizations[0].colour', message: expect.stringContaining('unknown key') }],
    });
  });

  test('--json reports a valid configuration with its counts', async () => {
    const { out, exitCode } = await run(path.join(PACKAGE_ROOT, 'collections'), '--json');
    expect(exitCode).toBe(0);
    expect(JSON.parse(out.join('\n'))).toMatchObject({ ok: true, counts: { organizations: 8, trust_groups: 3 } });
  });
});
