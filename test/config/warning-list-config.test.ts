import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import type { HubConfig } from '../../src/config/hub-config';
import { loadHubConfig, type LoadResult } from '../../src/config/load-hub-config';
import { BUILT_IN_WARNING_LISTS, readWarningLists, warningListsFor } from '../../src/config/warning-list-files';
import { validConfig } from './valid-config';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'hub-warning-lists-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function write(name: string, content: unknown): Promise<string> {
  const file = path.join(dir, name);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return file;
}

/** A hub config file naming `lists` (paths relative to it) under hub.warning_lists. */
async function configWith(lists: string[]): Promise<string> {
  const config = validConfig();
  return write('hub/hub.yaml', stringify({ ...config, hub: { ...config.hub, warning_lists: lists } }));
}

function expectOk(result: LoadResult): HubConfig {
  if (!result.ok) throw new Error(`expected a valid configuration:\n${JSON.stringify(result.errors, null, 2)}`);
  return result.config;
}

const sinkholes = {
  id: 'our-sinkholes',
  name: 'Our sinkholes',
  type: 'ip-ranges',
  kinds: ['c2-ip', 'url'],
  reason: 'one of our own sinkholes',
  entries: ['192.0.0.170', { value: '45.33.20.0/24', reason: 'the sinkhole network of our CERT' }],
};

describe('hub.warning_lists: the operator extends the lists', () => {
  test("an operator's list file, relative to the config file, applies after the built-in lists", async () => {
    await write('hub/lists/sinkholes.json', sinkholes);
    const config = expectOk(await loadHubConfig(await configWith(['lists/sinkholes.json'])));
    expect(config.hub.warningListPaths).toEqual([path.join(dir, 'hub/lists/sinkholes.json')]);
    const lists = warningListsFor(config.hub.warningListPaths);
    expect(lists.check('c2-ip', '45.33.20.7')).toEqual({ list: 'our-sinkholes', reason: '45.33.20.7 is in 45.33.20.0/24, the sinkhole network of our CERT' });
    expect(lists.check('url', 'http://45.33.20.9/beacon')?.list).toBe('our-sinkholes');
    expect(lists.check('c2-ip', '10.0.0.1')?.list).toBe('special-use-addresses'); // built-in lists still apply
    expect(lists.version).not.toBe(warningListsFor([]).version);
  });

  test('a folder adds every *.json file in it, in name order', async () => {
    await write('hub/lists/a.json', sinkholes);
    await write('hub/lists/b.json', { id: 'partner-domains', name: 'Partners', type: 'domains', match: 'subdomains', kinds: ['c2-hostname', 'email-from'], reason: 'a partner', entries: ['partner.example.org'] });
    await write('hub/lists/notes.txt', 'not a list');
    const config = expectOk(await loadHubConfig(await configWith(['lists'])));
    const reading = readWarningLists(config.hub.warningListPaths);
    if (!reading.ok) throw new Error(JSON.stringify(reading.problems));
    expect(reading.files.slice(-2)).toEqual([path.join(dir, 'hub/lists/a.json'), path.join(dir, 'hub/lists/b.json')]);
    expect(reading.lists.check('email-from', 'ceo@mail.partner.example.org')).toEqual({
      list: 'documentation-domains', // example.org is a documentation domain, and the built-in lists come first
      reason: "mail.partner.example.org (the address's domain) is under example.org, a domain reserved for documentation (RFC 2606)",
    });
  });

  test('a list with the id of a built-in list replaces it, so an operator can narrow the popular domains', async () => {
    await write('hub/popular.json', { id: 'popular-domains', name: 'Popular domains, our cut', type: 'domains', kinds: ['c2-hostname'], reason: 'a domain we never block', entries: ['intranet-portal.com'] });
    const lists = warningListsFor(expectOk(await loadHubConfig(await configWith(['popular.json']))).hub.warningListPaths);
    expect(lists.check('c2-hostname', 'google.com')).toBeUndefined();
    expect(lists.check('c2-hostname', 'intranet-portal.com')).toEqual({ list: 'popular-domains', reason: 'intranet-portal.com is a domain we never block' });
  });

  test('without hub.warning_lists the built-in lists alone apply', () => {
    const reading = readWarningLists();
    if (!reading.ok) throw new Error(JSON.stringify(reading.problems));
    expect(reading.files.every((file) => file.startsWith(BUILT_IN_WARNING_LISTS))).toBe(true);
    expect(reading.files.map((file) => path.basename(file))).toEqual([
      'documentation-domains.json',
      'empty-file-hashes.json',
      'popular-domains.json',
      'public-resolvers.json',
      'special-use-addresses.json',
    ]);
  });
});

describe('a bad warning list is a config error naming the file and the place in it', () => {
  test('a missing path is named at hub.warning_lists[n] in the config file', async () => {
    const configFile = await configWith(['lists/missing.json']);
    const result = await loadHubConfig(configFile);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([
      expect.objectContaining({ source: configFile, path: 'hub.warning_lists[0]', message: `cannot read warning list ${path.join(dir, 'hub/lists/missing.json')}: no such file or folder` }),
    ]);
  });

  test('an entry that is not an address, and a kind the type cannot serve, are named with their place', async () => {
    const file = await write('hub/bad.json', { ...sinkholes, kinds: ['c2-ip', 'c2-hostname'], entries: ['192.0.0.170', '10.0.0.0/40', { value: '45.33.20.1/24' }] });
    const result = await loadHubConfig(await configWith(['bad.json']));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([
      { source: file, path: 'kinds[1]', message: 'a list of type ip-ranges cannot apply to kind c2-hostname; it applies to c2-ip, email-sender-ip, url' },
      { source: file, path: 'entries[1]', message: expect.stringContaining("prefix length '/40'") },
      { source: file, path: 'entries[2].value', message: '45.33.20.1/24 has host bits set; did you mean 45.33.20.0/24?' },
    ]);
  });

  test('a file that breaks the schema, or is not JSON, is named with the problem', async () => {
    const broken = await write('hub/broken.json', { id: 'Not A Slug', name: 'x', type: 'domains', kinds: ['c2-hostname'], entries: ['a.example'], colour: 'red' });
    const notJson = await write('hub/not-json.json', '{ "id": ');
    const result = await loadHubConfig(await configWith(['broken.json', 'not-json.json']));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual(
      expect.arrayContaining([
        { source: broken, path: 'reason', message: 'is required' },
        { source: broken, path: 'colour', message: 'is not a known property' },
        { source: broken, path: 'id', message: expect.stringContaining('must match pattern') },
        { source: notJson, path: '', message: expect.stringContaining('not a readable JSON warning list') },
      ]),
    );
  });

  test('two operator lists with one id are refused, naming the other file', async () => {
    const first = await write('hub/one.json', sinkholes);
    const second = await write('hub/two.json', sinkholes);
    const result = await loadHubConfig(await configWith(['one.json', 'two.json']));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([{ source: second, path: 'id', message: `'our-sinkholes' is also the id of the list in ${first}; list ids are unique` }]);
  });

  test('a domain entry that is not a host name is named', async () => {
    const file = await write('hub/domains.json', { id: 'ours', name: 'Ours', type: 'domains', kinds: ['c2-hostname'], reason: 'ours', entries: ['ok.example.net', 'https://www.example.net/'] });
    const result = await loadHubConfig(await configWith(['domains.json']));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([{ source: file, path: 'entries[1]', message: expect.stringContaining('send only the host name') }]);
  });
});
