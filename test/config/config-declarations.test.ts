import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readConfigDeclarations } from '../../src/config/config-declarations';
import { BUNDLED_CONFIG_PATH } from '../../src/config/hub-config-path';

describe('where the config declares an entity', () => {
  test('in the bundled folder: each kind by its id (users by username), with file and line', async () => {
    const declared = await readConfigDeclarations(BUNDLED_CONFIG_PATH);
    expect(declared.whereDeclared('trust-group', 'finance-isac')).toBe(`${path.join(path.basename(BUNDLED_CONFIG_PATH), 'trust-groups.yaml')}:15`); // no absolute server path
    expect(declared.whereDeclared('user', 'alice')).toMatch(/users\.yaml:\d+$/);
    expect(declared.whereDeclared('organization', 'acme-hq')).toMatch(/organizations\.yaml:\d+$/);
    expect(declared.whereDeclared('collection', '948f89cd-d3ab-4b2e-bb60-bdffe702b793')).toMatch(/collections\.yaml:\d+$/);
    expect(declared.whereDeclared('trust-group', 'initech-partners')).toBeUndefined();
    expect(declared.whereDeclared('organization', 'finance-isac')).toBeUndefined();
  });

  test('in a single file, and nothing for a path that cannot be read', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'declarations-'));
    try {
      const file = path.join(dir, 'hub.yaml');
      await writeFile(file, 'organizations:\n  - id: one\n    name: One\napi_roots:\n  - id: main\n    title: Main\n');
      const declared = await readConfigDeclarations(file);
      expect(declared.whereDeclared('organization', 'one')).toBe('hub.yaml:2');
      expect(declared.whereDeclared('api-root', 'main')).toBe('hub.yaml:5');
      expect((await readConfigDeclarations(path.join(dir, 'missing'))).whereDeclared('organization', 'one')).toBeUndefined();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
