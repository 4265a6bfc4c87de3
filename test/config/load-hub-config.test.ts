import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { attributionOf, compilePolicy } from '../../src/access';
import { verifySecret } from '../../src/auth/secret-hashing';
import { defaultConfigPath, loadHubConfig, type LoadResult } from '../../src/config/load-hub-config';
import type { HubConfig } from '../../src/config/hub-config';
import { validConfig } from './valid-config';

const PACKAGE_ROOT = path.resolve(__dirname, '../..');

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'hub-config-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function write(name: string, text: string): Promise<string> {
  const file = path.join(dir, name);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text);
  return file;
}

function expectOk(result: LoadResult): HubConfig {
  if (!result.ok) throw new Error(`expected a valid configuration:\n${JSON.stringify(result.errors, null, 2)}`);
  return result.config;
}

describe('the demo configuration in collections/', () => {
  test('validates', async () => {
    const config = expectOk(await loadHubConfig(path.join(PACKAGE_ROOT, 'collections')));
    expect(config.apiRoots.map((root) => root.id)).toEqual(['demo']);
    expect(config.organizations.length).toBeGreaterThanOrEqual(5);
    expect(new Set(config.trustGroups.map((group) => group.topology))).toEqual(new Set(['horizontal', 'vertical', 'hybrid']));
  });

  test('has a hub operator, a user in every organization and a collection per trust group', async () => {
    const config = expectOk(await loadHubConfig(path.join(PACKAGE_ROOT, 'collections')));
    expect(config.users.some((user) => user.roles.includes('operator'))).toBe(true);
    for (const org of config.organizations) expect(config.users.some((user) => user.organizationId === org.id)).toBe(true);
    for (const group of config.trustGroups) {
      expect(config.collections.some((c) => c.owner.kind === 'trust-group' && c.owner.id === group.id)).toBe(true);
    }
    expect(config.collections.some((c) => c.owner.kind === 'organization')).toBe(true);
  });

  test('finance-isac alone hides attribution, which hides the ISAC feed and Initech\'s feed, and every collection gives unmarked objects its default marking', async () => {
    const config = expectOk(await loadHubConfig(path.join(PACKAGE_ROOT, 'collections')));
    expect(config.trustGroups.filter((group) => group.attribution === 'hidden').map((group) => group.id)).toEqual(['finance-isac']);
    expect(config.collections.every((c) => c.unmarked === 'default' && c.attribution === 'attributed')).toBe(true);
    const policy = compilePolicy(config);
    if (!policy.ok) throw new Error(JSON.stringify(policy.problems));
    const hidden = config.collections.filter((c) => attributionOf(policy.policy, c.id) === 'hidden').map((c) => c.alias);
    expect(hidden.sort()).toEqual(['initech-feed', 'isac-feed']); // as collections/README.md says
  });

  test('every demo password is "<username>-demo-pw", as collections/README.md says', async () => {
    const config = expectOk(await loadHubConfig(path.join(PACKAGE_ROOT, 'collections')));
    for (const user of config.users) {
      if (user.password.kind !== 'hash') throw new Error(`${user.username} has no password hash`);
      await expect(verifySecret(user.password.hash, `${user.username}-demo-pw`)).resolves.toBe(true);
    }
  });
});

describe('loadHubConfig', () => {
  test('reads a single YAML file', async () => {
    const file = await write('hub.yaml', stringify(validConfig()));
    const result = await loadHubConfig(file);
    expect(expectOk(result).organizations).toHaveLength(6);
    expect(result.sources).toEqual([file]);
  });

  test('merges the lists of every YAML file in a folder, in name order', async () => {
    const { organizations, ...rest } = validConfig();
    await write('b-rest.yml', stringify(rest));
    await write('a-orgs.yaml', `# organizations only\n${stringify({ organizations })}`);
    await write('notes.txt', 'not configuration');
    await write('.draft.yaml', 'organizations: [oops');
    const result = await loadHubConfig(dir);
    expect(result.sources.map((source) => path.basename(source))).toEqual(['a-orgs.yaml', 'b-rest.yml']);
    expect(expectOk(result).organizations.map((org) => org.id)).toContain('initech');
  });

  test('an id declared in two files of a folder is an error naming both files', async () => {
    await write('a.yaml', stringify({ organizations: [{ id: 'initech', name: 'Initech' }] }));
    await write('b.yaml', stringify({ organizations: [{ id: 'acme', name: 'ACME' }, { id: 'initech', name: 'Initech (again)' }] }));
    const result = await loadHubConfig(dir);
    expect(result).toMatchObject({
      ok: false,
      errors: [
        {
          source: path.join(dir, 'b.yaml'),
          line: 4,
          path: 'organizations[1].id',
          message: `duplicate organization id 'initech' (first declared at organizations[0] in ${path.join(dir, 'a.yaml')})`,
        },
      ],
    });
  });

  test('the hub section may appear in one file only', async () => {
    await write('a.yaml', 'hub: { title: One }\n');
    await write('b.yaml', 'hub: { title: Two }\n');
    const result = await loadHubConfig(dir);
    expect(result).toMatchObject({ ok: false, errors: [{ source: path.join(dir, 'b.yaml'), path: 'hub', message: expect.stringContaining('already declared in') }] });
  });

  test('reports a YAML syntax error with its file and line', async () => {
    const file = await write('broken.yaml', 'organizations:\n  - id: acme\n    name: [ACME\n  - id: globex\n');
    const result = await loadHubConfig(file);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors[0]).toMatchObject({ source: file, line: expect.any(Number), message: expect.stringContaining('YAML syntax error') });
    expect(result.errors[0]!.line).toBeGreaterThanOrEqual(3);
  });

  test('reports a duplicate mapping key with its line', async () => {
    const file = await write('dup.yaml', 'hub:\n  title: A\n  title: B\n');
    expect(await loadHubConfig(file)).toMatchObject({ ok: false, errors: [{ source: file, line: 3, message: expect.stringContaining('unique') }] });
  });

  test('gives the line of each problem in the file', async () => {
    const file = await write(
      'hub.yaml',
      ['organizations:', '  - id: acme', '    name: ACME', '    colour: red', 'users:', '  - username: bob', '    organization: acm', '    roles: [consumer]', ''].join('\n'),
    );
    expect(await loadHubConfig(file)).toEqual({
      ok: false,
      sources: [file],
      errors: [
        { source: file, line: 4, path: 'organizations[0].colour', message: 'unknown key (expected one of: id, name, parent, delivery_allow_list)' },
        { source: file, line: 7, path: 'users[0].organization', message: "unknown organization 'acm' (did you mean 'acme'?)" },
      ],
    });
  });

  test('a file with several YAML documents is rejected', async () => {
    const file = await write('two.yaml', 'organizations: []\n---\nusers: []\n');
    expect(await loadHubConfig(file)).toMatchObject({ ok: false, errors: [{ line: 2, message: expect.stringContaining('one YAML document') }] });
  });

  test('an empty file and empty sections are an empty configuration', async () => {
    await write('empty.yaml', '# nothing yet\n');
    await write('sections.yaml', 'organizations:\n  # - { id: acme, name: ACME }\nusers:\n');
    expect(expectOk(await loadHubConfig(dir)).organizations).toEqual([]);
  });

  test('a missing path is reported, not thrown', async () => {
    const missing = path.join(dir, 'nope');
    expect(await loadHubConfig(missing)).toEqual({ ok: false, sources: [], errors: [{ source: missing, path: '', message: expect.stringContaining('no such file or folder') }] });
  });

  test('a folder without YAML files is reported', async () => {
    await write('readme.md', '# nothing');
    expect(await loadHubConfig(dir)).toMatchObject({ ok: false, errors: [{ message: expect.stringContaining('no *.yaml or *.yml files') }] });
  });
});

describe('defaultConfigPath', () => {
  test('is HUB_CONFIG when set, resolved against the working directory', () => {
    expect(defaultConfigPath({ HUB_CONFIG: 'conf/hub.yaml' })).toBe(path.resolve('conf/hub.yaml'));
  });

  test("is the package's collections/ folder otherwise", () => {
    expect(defaultConfigPath({})).toBe(path.join(PACKAGE_ROOT, 'collections'));
  });
});
