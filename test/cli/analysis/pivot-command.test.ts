import { pivotTree, type PivotGraphJson } from '../../../src/cli/analysis/pivot-command';
import { cli } from '../../support/cli-run';
import { DEMO_COLLECTIONS } from '../../support/demo-config';
import { runningHubForCli } from '../../support/running-hub-cli';

/** `taxii-hub pivot` against a running demo hub: the tree, --json, --stix and a refused request. */

const { remote, as } = runningHubForCli('hub-cli-pivot-');

async function submit(user: string, collection: string, indicators: { kind: string; value: string }[], campaign?: string): Promise<string[]> {
  const response = await fetch(`${remote[1] as string}/api/submissions`, {
    method: 'POST',
    headers: { Authorization: `Basic ${Buffer.from(`${user}:${user}-demo-pw`).toString('base64')}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ collection, valid_from: new Date().toISOString(), indicators, ...(campaign !== undefined ? { campaign } : {}) }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { indicators: { id: string }[] }).indicators.map((i) => i.id);
}

test('prints the pivot as a tree, each node once, and as JSON and STIX', async () => {
  const [c2] = (await submit('alice', DEMO_COLLECTIONS.allianceExchange, [{ kind: 'c2-ip', value: '192.0.2.44' }, { kind: 'email-from', value: 'hr@tree-cli.example' }], 'Tree wave')) as [string];
  await submit('dave', DEMO_COLLECTIONS.allianceExchange, [{ kind: 'email-sender-ip', value: '192.0.2.44' }]);
  await submit('alice', DEMO_COLLECTIONS.acmeInternal, [{ kind: 'c2-ip', value: '192.0.2.0/24' }]);
  as('alice');
  const tree = await cli(['pivot', c2, '--depth', '2', ...remote]);
  expect(tree).toMatchObject({ code: 0, err: '' });
  expect(tree.out.split('\n')).toEqual([
    'c2-ip 192.0.2.44 [alliance-exchange, TLP:AMBER, active, 0 sightings, by acme-hq]',
    '  address-in-cidr 192.0.2.0/24 → c2-ip 192.0.2.0/24 [acme-internal, TLP:AMBER, active, 0 sightings, by acme-hq]',
    '  indicates Tree wave → campaign "Tree wave" [alliance-exchange, TLP:AMBER, by acme-hq]',
    '    indicates Tree wave → email-from hr@tree-cli.example [alliance-exchange, TLP:AMBER, active, 0 sightings, by acme-hq]',
    '  same-address 192.0.2.44 → email-sender-ip 192.0.2.44 [alliance-exchange, TLP:AMBER, active, 0 sightings, by globex-hq]',
    '    address-in-cidr 192.0.2.0/24 → (see above) c2-ip 192.0.2.0/24 [acme-internal, TLP:AMBER, active, 0 sightings, by acme-hq]',
  ]);
  const json = await cli(['pivot', '192.0.2.44', '--kind', 'c2-ip', '--collection', 'acme-internal', '--json', ...remote]);
  expect((JSON.parse(json.out) as PivotGraphJson).nodes.map((n) => `${n.type} ${n.value ?? ''}`).sort()).toEqual(['indicator 192.0.2.0/24', 'value 192.0.2.44']);
  const stix = await cli(['pivot', c2, '--stix', ...remote]);
  expect((JSON.parse(stix.out) as { objects: { type: string }[] }).objects[0]?.type).toBe('grouping');

  const refused = await cli(['pivot', '192.0.2.44', '--depth', '9', ...remote]);
  expect(refused.code).toBe(1);
  expect(refused.err).toMatch(/depth: must be a whole number from 1 to 3/);
});

test('a node reached twice is printed once and referenced after', () => {
  const graph: PivotGraphJson = {
    start: ['value'],
    collections: [{ id: 'c', alias: 'feed' }],
    truncated: false,
    nodes: [
      { ref: 'value', type: 'value', kind: 'c2-hostname', value: 'kuro.example', hop: 0 },
      { ref: 'c/a', type: 'indicator', collection: 'c', kind: 'c2-hostname', value: 'kuro.example', tlp: 'green', state: 'active', hop: 1 },
      { ref: 'c/b', type: 'indicator', collection: 'c', kind: 'url', value: 'http://kuro.example/', tlp: 'green', state: 'revoked', hop: 1, sightings: { count: 1 } },
    ],
    edges: [
      { from: 'value', to: 'c/a', reason: 'same-value', via: 'kuro.example' },
      { from: 'value', to: 'c/b', reason: 'host-in-url', via: 'kuro.example' },
      { from: 'c/a', to: 'c/b', reason: 'host-in-url', via: 'kuro.example' },
    ],
  };
  expect(pivotTree(graph)).toEqual([
    'value kuro.example (c2-hostname)',
    '  same-value kuro.example → c2-hostname kuro.example [feed, TLP:GREEN, active]',
    '  host-in-url kuro.example → url http://kuro.example/ [feed, TLP:GREEN, revoked, 1 sighting]',
    '    host-in-url kuro.example → (see above) c2-hostname kuro.example [feed, TLP:GREEN, active]',
  ]);
});
