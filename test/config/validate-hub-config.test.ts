import { DEFAULT_VALIDITY_DAYS } from '../../src/domain/indicators';
import { validateHubConfig } from '../../src/config/validate-hub-config';
import { configUserId, type ConfigProblem } from '../../src/config/hub-config';
import { readFileSync } from 'node:fs';
import { HUB_CONFIG_SCHEMA_PATH } from '../../src/config/hub-config-document';
import { ATTRIBUTION_MODES, ROLES, TLP_LEVELS, TOPOLOGIES, UNMARKED_POLICIES } from '../../src/domain/tenancy';
import { validConfig, type RawConfig } from './valid-config';

function problemsOf(config: unknown): readonly ConfigProblem[] {
  const result = validateHubConfig(config);
  if (result.ok) throw new Error('expected the configuration to be rejected');
  return result.errors;
}

type Case = [name: string, change: (config: RawConfig) => void, path: string, fragment: string];

const invalidConfigs: Case[] = [
  ['an unknown top-level key', (c) => (c.organisations = []), 'organisations', 'unknown key'],
  ['an unknown key in an organization', (c) => (c.organizations[1]!.nmae = 'x'), 'organizations[1].nmae', 'unknown key (expected one of: id, name, parent, delivery_allow_list)'],
  ['an unknown key in a peer link', (c) => (c.trust_groups[2]!.peer_links = [{ between: ['acme-hq', 'globex-hq'], passdown: true }]), 'trust_groups[2].peer_links[0].passdown', 'unknown key'],
  ['a missing required field', (c) => delete c.organizations[0]!.name, 'organizations[0].name', 'is required'],
  ['a list given as a string', (c) => (c.users[0]!.roles = 'provider'), 'users[0].roles', 'must be a list'],
  ['an unknown role', (c) => (c.users[1]!.roles = ['consumer', 'admin']), 'users[1].roles[1]', 'must be one of: provider, consumer, org-admin, operator'],
  ['a role listed twice', (c) => (c.users[1]!.roles = ['consumer', 'consumer']), 'users[1].roles[1]', "role 'consumer' is listed twice"],
  ['an id that is not a slug', (c) => c.organizations.push({ id: 'Initrode Inc', name: 'Initrode' }), 'organizations[6].id', 'must be a slug'],
  ['an unknown topology', (c) => (c.trust_groups[0]!.topology = 'diagonal'), 'trust_groups[0].topology', 'must be one of: horizontal, vertical, hybrid'],
  ['a duplicate organization id', (c) => c.organizations.push({ id: 'initech', name: 'Initech again' }), 'organizations[6].id', "duplicate organization id 'initech' (first declared at organizations[5])"],
  ['a duplicate username', (c) => c.users.push({ username: 'bob', organization: 'initech', roles: ['consumer'] }), 'users[2].username', "duplicate username 'bob'"],
  ['an unknown parent organization', (c) => (c.organizations[1]!.parent = 'acme-hqq'), 'organizations[1].parent', "unknown organization 'acme-hqq' (did you mean 'acme-hq'?)"],
  ['an organization that is its own parent', (c) => (c.organizations[5]!.parent = 'initech'), 'organizations[5].parent', 'cannot be its own parent'],
  ['a cycle in organization parents', (c) => (c.organizations[0]!.parent = 'acme-east'), 'organizations[0].parent', 'organization parents form a cycle: acme-hq -> acme-east -> acme-hq'],
  ['a user of an unknown organization', (c) => (c.users[1]!.organization = 'acme-south'), 'users[1].organization', "unknown organization 'acme-south'"],
  ['a plaintext password in password_hash', (c) => (c.users[0]!.password_hash = 'hunter2'), 'users[0].password_hash', 'must be an Argon2 PHC string'],
  ['both password_hash and password_env', (c) => (c.users[0]!.password_env = 'ALICE_PASSWORD'), 'users[0]', 'not both'],
  ['an unknown organization among horizontal members', (c) => (c.trust_groups[0]!.members = ['acme-hq', 'initch']), 'trust_groups[0].members[1]', "unknown organization 'initch' (did you mean 'initech'?)"],
  ['a horizontal group of one', (c) => (c.trust_groups[0]!.members = ['initech']), 'trust_groups[0].members', 'at least 2 members'],
  ['a horizontal group with a tree', (c) => (c.trust_groups[0]!.tree = { initech: [] }), 'trust_groups[0].tree', 'tree is for vertical and hybrid groups'],
  ['a member listed twice', (c) => (c.trust_groups[0]!.members = ['initech', 'acme-hq', 'initech']), 'trust_groups[0].members[2]', "organization 'initech' is listed twice"],
  ['an unknown organization in a tree', (c) => (c.trust_groups[1]!.tree = { 'acme-hq': ['acme-eats', 'acme-west'] }), 'trust_groups[1].tree.acme-hq[0]', "unknown organization 'acme-eats' (did you mean 'acme-east'?)"],
  ['an unknown organization as a tree parent', (c) => (c.trust_groups[1]!.tree = { 'acme-hqq': ['acme-east'] }), 'trust_groups[1].tree.acme-hqq', "unknown organization 'acme-hqq'"],
  [
    'a cycle in a vertical tree',
    (c) => (c.trust_groups[1]!.tree = { 'acme-hq': ['acme-east'], 'acme-west': ['globex-hq'], 'globex-hq': ['acme-west'] }),
    'trust_groups[1].tree.acme-west',
    'cycle in tree: acme-west -> globex-hq -> acme-west',
  ],
  ['an organization under two parents', (c) => (c.trust_groups[1]!.tree = { 'acme-hq': ['acme-east', 'acme-west'], 'acme-east': ['acme-west'] }), 'trust_groups[1].tree.acme-east[0]', "organization 'acme-west' is already under 'acme-hq'"],
  ['an organization that is its own child', (c) => (c.trust_groups[1]!.tree = { 'acme-hq': ['acme-hq', 'acme-east'] }), 'trust_groups[1].tree.acme-hq[0]', 'cannot be its own child'],
  ['two roots in a vertical tree', (c) => (c.trust_groups[1]!.tree = { 'acme-hq': ['acme-east'], 'globex-hq': ['globex-lab'] }), 'trust_groups[1].tree', 'exactly one root; found 2: acme-hq, globex-hq'],
  ['a vertical group listing members', (c) => (c.trust_groups[1]!.members = ['acme-hq']), 'trust_groups[1].members', 'are the organizations in its tree'],
  ['a vertical group without a tree', (c) => delete c.trust_groups[1]!.tree, 'trust_groups[1].tree', 'is required for a vertical group'],
  ['a peer link to a non-member', (c) => (c.trust_groups[2]!.peer_links = [{ between: ['acme-hq', 'initech'] }]), 'trust_groups[2].peer_links[0].between[1]', "organization 'initech' is not in this group's tree"],
  ['a peer link to an unknown organization', (c) => (c.trust_groups[2]!.peer_links = [{ between: ['acme-hq', 'globex'] }]), 'trust_groups[2].peer_links[0].between[1]', "unknown organization 'globex'"],
  ['a peer link from an organization to itself', (c) => (c.trust_groups[2]!.peer_links = [{ between: ['acme-hq', 'acme-hq'] }]), 'trust_groups[2].peer_links[0].between', 'two different organizations'],
  ['a peer link with one end', (c) => (c.trust_groups[2]!.peer_links = [{ between: ['acme-hq'] }]), 'trust_groups[2].peer_links[0].between', 'must list at least 2'],
  ['a hybrid group without peer links', (c) => delete c.trust_groups[2]!.peer_links, 'trust_groups[2].peer_links', 'at least one peer link'],
  ['a collection id that is not a UUID', (c) => (c.collections[0]!.id = 'isac-feed-1'), 'collections[0].id', 'must be a version 4 UUID'],
  ['a collection id that is a version 1 UUID', (c) => (c.collections[0]!.id = 'c232ab00-9414-11ec-b3c8-9f6bdeced846'), 'collections[0].id', 'must be a version 4 UUID'],
  ['a duplicate collection id', (c) => (c.collections[1]!.id = c.collections[0]!.id), 'collections[1].id', 'duplicate collection id'],
  ['a collection in an unknown API root', (c) => (c.collections[0]!.api_root = 'dmeo'), 'collections[0].api_root', "unknown API root 'dmeo' (did you mean 'demo'?)"],
  ['a collection owned by an unknown organization', (c) => (c.collections[1]!.owner = { organization: 'initrode' }), 'collections[1].owner.organization', "unknown organization 'initrode'"],
  ['a collection owned by an unknown trust group', (c) => (c.collections[0]!.owner = { trust_group: 'isca' }), 'collections[0].owner.trust_group', "unknown trust group 'isca' (did you mean 'isac'?)"],
  ['a collection with two owners', (c) => (c.collections[0]!.owner = { trust_group: 'isac', organization: 'initech' }), 'collections[0].owner', 'one owner'],
  ['a collection with no owner', (c) => (c.collections[0]!.owner = {}), 'collections[0].owner', 'must name an organization or a trust_group'],
  ['an alias used twice in one API root', (c) => (c.collections[1]!.alias = 'isac-feed'), 'collections[1].alias', "alias 'isac-feed' is already used in API root 'demo' by collections[0]"],
  ['an alias that looks like a UUID', (c) => (c.collections[1]!.alias = '2f0b1c4e-7a3d-4e5f-9a1b-3c4d5e6f7a8c'), 'collections[1].alias', 'must not look like a UUID'],
  ['an unknown TLP level', (c) => (c.collections[1]!.default_marking = 'white'), 'collections[1].default_marking', 'must be one of: clear, green, amber, amber+strict, red'],
  ['a trust group attribution that is not a mode', (c) => (c.trust_groups[0]!.attribution = 'hiden'), 'trust_groups[0].attribution', "must be one of: attributed, hidden (did you mean 'hidden'?)"],
  ['a collection attribution that is not a mode', (c) => (c.collections[1]!.attribution = 'anonymous'), 'collections[1].attribution', 'must be one of: attributed, hidden'],
  ['an unmarked policy that is not one', (c) => (c.collections[0]!.unmarked = 'refused'), 'collections[0].unmarked', "must be one of: default, refuse (did you mean 'refuse'?)"],
  ['a misspelled attribution key', (c) => (c.collections[0]!.atribution = 'hidden'), 'collections[0].atribution', "unknown key (expected one of: id, api_root, alias, title, description, owner, default_marking, unmarked, attribution) (did you mean 'attribution'?)"],
  ['unmarked on a trust group', (c) => (c.trust_groups[0]!.unmarked = 'refuse'), 'trust_groups[0].unmarked', 'unknown key'],
  [
    'a collection saying attributed while its owning group hides attribution',
    (c) => {
      c.trust_groups[0]!.attribution = 'hidden';
      c.collections[0]!.attribution = 'attributed';
    },
    'collections[0].attribution',
    "is attributed, but its owner, trust group 'isac', hides attribution",
  ],
  [
    "an organization's collection saying attributed while a group of its owner hides attribution",
    (c) => {
      c.trust_groups[0]!.attribution = 'hidden';
      c.collections[1]!.attribution = 'attributed';
    },
    'collections[1].attribution',
    "is attributed, but its owner 'initech' is in trust group 'isac', which hides attribution",
  ],
  ['an API root id the hub serves itself', (c) => c.api_roots.push({ id: 'healthz', title: 'Health' }), 'api_roots[1].id', "'healthz' is reserved for the hub's own /healthz endpoints"],
  ['an unknown default API root', (c) => (c.hub = { title: 'Hub', default_api_root: 'prod' }), 'hub.default_api_root', "unknown API root 'prod'"],
  ['a hub without a title', (c) => (c.hub = { description: 'no title' }), 'hub.title', 'is required'],
];

describe('validateHubConfig', () => {
  test('accepts a configuration using every topology', () => {
    expect(validateHubConfig(validConfig())).toMatchObject({ ok: true });
  });

  test.each(invalidConfigs)('rejects %s, naming the path', (_name, change, path, fragment) => {
    const config = validConfig();
    change(config);
    const problems = problemsOf(config);
    expect(problems).toContainEqual({ path, message: expect.stringContaining(fragment) });
    expect(problems).toHaveLength(1);
  });

  test('reports every problem at once, not just the first', () => {
    const config = validConfig();
    config.organizations[1]!.colour = 'blue'; // schema
    config.trust_groups[1]!.tree = { 'acme-hq': ['acme-eats'] }; // reference
    config.collections[0]!.owner = { trust_group: 'nobody' }; // reference
    expect(problemsOf(config).map((p) => p.path)).toEqual([
      'organizations[1].colour',
      'trust_groups[1].tree.acme-hq[0]',
      'collections[0].owner.trust_group',
    ]);
  });

  test('an entry that fails the schema does not also make references to it unknown', () => {
    const config = validConfig();
    delete config.organizations[5]!.name; // initech is still referenced by groups and collections
    expect(problemsOf(config)).toEqual([{ path: 'organizations[5].name', message: 'is required' }]);
  });

  test('an entry that fails the schema does not hide the reference errors of the other entries in its section', () => {
    const config = validConfig();
    config.users[0]!.roles = ['superuser']; // schema: alice is left out of the reference checks
    config.users[1]!.organization = 'acme-esat'; // reference: bob is still checked
    expect(problemsOf(config)).toEqual([
      { path: 'users[0].roles[0]', message: expect.stringContaining('must be one of') },
      { path: 'users[1].organization', message: "unknown organization 'acme-esat' (did you mean 'acme-east'?)" },
    ]);
  });

  test('every API root id the hub serves itself is rejected', () => {
    const config = validConfig();
    config.api_roots.push(...['taxii2', 'admin', 'healthz', 'readyz', 'metrics'].map((id) => ({ id, title: id })));
    expect(problemsOf(config).map((p) => p.path)).toEqual(['api_roots[1].id', 'api_roots[2].id', 'api_roots[3].id', 'api_roots[4].id', 'api_roots[5].id']);
  });

  test('a configuration that is not a mapping is rejected', () => {
    expect(problemsOf(['organizations'])).toEqual([{ path: '', message: 'must be a mapping' }]);
  });

  test('names the source in every problem when one is given', () => {
    const config = validConfig();
    config.users[0]!.organization = 'nowhere';
    const result = validateHubConfig(config, 'hub.yaml');
    expect(result).toEqual({ ok: false, errors: [expect.objectContaining({ source: 'hub.yaml', path: 'users[0].organization' })] });
  });

  test('the default validity of submitted indicators comes from the hub section, kind by kind, with the defaults for the rest', () => {
    const config = validConfig();
    config.hub = { ...config.hub, title: 'Test hub', indicator_validity_days: { 'c2-ip': 14, url: 7 } };
    const result = validateHubConfig(config);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.config.hub.indicatorValidityDays).toEqual({ ...DEFAULT_VALIDITY_DAYS, 'c2-ip': 14, url: 7 });
  });

  test('an unknown kind or a validity below one day is refused with its path', () => {
    const config = validConfig();
    config.hub = { ...config.hub, title: 'Test hub', indicator_validity_days: { mutex: 3, 'c2-ip': 0 } as never };
    const result = validateHubConfig(config);
    expect(result.ok).toBe(false);
    const paths = result.ok ? [] : result.errors.map((e) => e.path).sort();
    expect(paths).toEqual(['hub.indicator_validity_days.c2-ip', 'hub.indicator_validity_days.mutex']);
  });

  test('unmarked and attribution default to default and attributed, and map as written', () => {
    const defaults = validateHubConfig(validConfig());
    if (!defaults.ok) throw new Error(JSON.stringify(defaults.errors));
    expect(defaults.config.collections.map((c) => [c.unmarked, c.attribution])).toEqual([
      ['default', 'attributed'],
      ['default', 'attributed'],
    ]);
    expect(defaults.config.trustGroups.map((g) => g.attribution)).toEqual(['attributed', 'attributed', 'attributed']);

    const raw = validConfig();
    raw.trust_groups[0]!.attribution = 'hidden';
    raw.trust_groups[1]!.attribution = 'attributed';
    raw.collections[0]!.unmarked = 'refuse';
    raw.collections[1]!.attribution = 'hidden';
    const written = validateHubConfig(raw);
    if (!written.ok) throw new Error(JSON.stringify(written.errors));
    expect(written.config.trustGroups.map((g) => g.attribution)).toEqual(['hidden', 'attributed', 'attributed']);
    expect(written.config.collections[0]).toMatchObject({ unmarked: 'refuse', attribution: 'attributed' });
    expect(written.config.collections[1]).toMatchObject({ unmarked: 'default', attribution: 'hidden' });
  });

  test('a collection may say hidden, or leave attribution out, under a group that hides it', () => {
    const raw = validConfig();
    raw.trust_groups[0]!.attribution = 'hidden';
    raw.collections[0]!.attribution = 'hidden';
    expect(validateHubConfig(raw)).toMatchObject({ ok: true });
  });

  test('maps the configuration to domain entities managed by config', () => {
    const result = validateHubConfig(validConfig());
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const { config } = result;
    expect(config.hub).toEqual({ title: 'Test hub', description: null, contact: 'ops@example.org', defaultApiRootId: null, indicatorValidityDays: DEFAULT_VALIDITY_DAYS });
    expect(config.apiRoots).toEqual([{ id: 'demo', title: 'Demo', description: null, maxContentLength: 10 * 1024 * 1024, managedBy: 'config' }]);
    expect(config.organizations[1]).toEqual({ id: 'acme-east', name: 'ACME East', parentId: 'acme-hq', managedBy: 'config' });
    expect(config.users[0]).toMatchObject({ username: 'alice', organizationId: 'acme-hq', disabled: false, password: { kind: 'hash' } });
    expect(config.users[1]!.password).toEqual({ kind: 'none' });
    expect(config.trustGroups[2]).toEqual({
      id: 'alliance',
      name: 'Alliance',
      topology: 'hybrid',
      members: ['acme-hq', 'acme-east', 'globex-hq', 'globex-lab'],
      tree: { 'acme-hq': ['acme-east'], 'globex-hq': ['globex-lab'] },
      peerLinks: [{ between: ['acme-hq', 'globex-hq'], passDown: false }],
      attribution: 'attributed',
      managedBy: 'config',
    });
    expect(config.trustGroups[0]).toMatchObject({ members: ['acme-hq', 'globex-hq', 'initech'], tree: {}, peerLinks: [] });
    expect(config.collections[1]!.owner).toEqual({ kind: 'organization', id: 'initech' });
    expect(config.collections[0]!.owner).toEqual({ kind: 'trust-group', id: 'isac' });
  });

  test('the validated configuration is deeply frozen', () => {
    const result = validateHubConfig(validConfig());
    if (!result.ok) throw new Error('expected a valid configuration');
    const { config } = result;
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.trustGroups[1]!.tree)).toBe(true);
    expect(Object.isFrozen(config.trustGroups[1]!.tree['acme-hq'])).toBe(true);
    expect(Object.isFrozen(config.users[0]!.roles)).toBe(true);
    expect(() => (config.organizations as unknown[]).push({})).toThrow(TypeError);
  });

  test('a user keeps the same id for the same username', () => {
    expect(configUserId('alice')).toBe(configUserId('alice'));
    expect(configUserId('alice')).not.toBe(configUserId('bob'));
    expect(configUserId('alice')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  test('an empty configuration is valid and has no entities', () => {
    expect(validateHubConfig(null)).toMatchObject({ ok: true, config: { organizations: [], hub: { title: 'taxii-hub' } } });
  });

  test('the schema allows exactly the roles, topologies, TLP levels, unmarked policies and attribution modes of the domain', () => {
    const schema = JSON.parse(readFileSync(HUB_CONFIG_SCHEMA_PATH, 'utf8')) as {
      definitions: {
        role: { enum: string[] };
        tlp: { enum: string[] };
        unmarked: { enum: string[] };
        attribution: { enum: string[] };
        trustGroup: { properties: { topology: { enum: string[] } } };
      };
    };
    expect(schema.definitions.role.enum).toEqual([...ROLES]);
    expect(schema.definitions.tlp.enum).toEqual([...TLP_LEVELS]);
    expect(schema.definitions.trustGroup.properties.topology.enum).toEqual([...TOPOLOGIES]);
    expect(schema.definitions.unmarked.enum).toEqual([...UNMARKED_POLICIES]);
    expect(schema.definitions.attribution.enum).toEqual([...ATTRIBUTION_MODES]);
  });
});
