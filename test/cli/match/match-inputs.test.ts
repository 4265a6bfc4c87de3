import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findMatchInputs, STDIN_INPUT } from '../../../src/cli/match/match-inputs';
import { defaultMirrorDir } from '../../../src/cli/match/match-options';

/** Which inputs `taxii-hub match` arguments name. */

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'match-inputs-'));
  fs.mkdirSync(path.join(dir, 'logs', 'old'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'logs', 'mail.log'), 'a\n');
  fs.writeFileSync(path.join(dir, 'logs', 'old', 'mail.log.2.gz'), 'b\n');
  fs.writeFileSync(path.join(dir, 'logs', 'access.log'), 'c\n');
  fs.symlinkSync(path.join(dir, 'logs'), path.join(dir, 'logs', 'old', 'loop'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('no argument and - mean standard input', async () => {
  expect(await findMatchInputs([])).toEqual({ inputs: [STDIN_INPUT], problems: [] });
  expect((await findMatchInputs(['-'])).inputs).toEqual([STDIN_INPUT]);
});

test("a folder gives every file below it, sorted by path, with sizes and times; a link back up is not followed", async () => {
  const { inputs, problems } = await findMatchInputs([path.join(dir, 'logs')]);
  expect(problems).toEqual([]);
  expect(inputs.map((i) => path.relative(dir, i.name))).toEqual(['logs/access.log', 'logs/mail.log', 'logs/old/mail.log.2.gz']);
  expect(inputs[0]).toMatchObject({ size: 2, mtimeMs: expect.any(Number) });
});

test('a missing path is a problem, and the other arguments are still found', async () => {
  const { inputs, problems } = await findMatchInputs([path.join(dir, 'nope.log'), path.join(dir, 'logs', 'mail.log')]);
  expect(problems).toEqual([`${path.join(dir, 'nope.log')}: there is no such file or folder`]);
  expect(inputs.map((i) => i.name)).toEqual([path.join(dir, 'logs', 'mail.log')]);
});

test('the mirror lives in TAXII_HUB_MIRROR, else under XDG_DATA_HOME, else ~/.local/share', () => {
  expect(defaultMirrorDir({ TAXII_HUB_MIRROR: '/var/lib/taxii-hub/mirror', XDG_DATA_HOME: '/data' })).toBe('/var/lib/taxii-hub/mirror');
  expect(defaultMirrorDir({ XDG_DATA_HOME: '/data' })).toBe(path.join('/data', 'taxii-hub', 'mirror'));
  expect(defaultMirrorDir({})).toBe(path.join(os.homedir(), '.local', 'share', 'taxii-hub', 'mirror'));
});
