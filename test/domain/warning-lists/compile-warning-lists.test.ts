import { HUB_EXTENSION_ID } from '../../../src/domain/hub-extension';
import { compileWarningLists, isIntentional, type WarningListDefinition, type WarningLists } from '../../../src/domain/warning-lists';

function compiled(...definitions: WarningListDefinition[]): WarningLists {
  const result = compileWarningLists(definitions);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.lists;
}

const partners: WarningListDefinition = { id: 'partners', name: 'Partners', type: 'domains', kinds: ['c2-hostname', 'email-from'], reason: 'a partner of ours', entries: ['partner.example.net'] };

describe('compileWarningLists', () => {
  test('a domain list matches exactly by default, and a name and everything below it with match: subdomains', () => {
    const exact = compiled(partners);
    expect(exact.check('c2-hostname', 'partner.example.net')).toEqual({ list: 'partners', reason: 'partner.example.net is a partner of ours' });
    expect(exact.check('c2-hostname', 'mail.partner.example.net')).toBeUndefined();
    const below = compiled({ ...partners, match: 'subdomains' });
    expect(below.check('c2-hostname', 'mail.partner.example.net')).toEqual({ list: 'partners', reason: 'mail.partner.example.net is under partner.example.net, a partner of ours' });
    expect(below.check('c2-hostname', 'xpartner.example.net')).toBeUndefined();
  });

  test('a list applies only to the kinds it names', () => {
    const lists = compiled(partners);
    expect(lists.check('email-from', 'ceo@partner.example.net')?.list).toBe('partners');
    expect(lists.check('url', 'https://partner.example.net/')).toBeUndefined();
  });

  test('entries are read with the hub parsers: IDN names in punycode, IPv6 in any spelling', () => {
    const lists = compiled(
      { id: 'idn', name: 'IDN', type: 'domains', kinds: ['c2-hostname'], reason: 'ours', entries: ['Bücher.Example.'] },
      { id: 'v6', name: 'v6', type: 'ip-ranges', kinds: ['c2-ip'], reason: 'ours', entries: ['2001:DB8:0:0::/64'] },
    );
    expect(lists.check('c2-hostname', 'xn--bcher-kva.example')?.list).toBe('idn');
    expect(lists.check('c2-ip', '2001:db8::5')).toEqual({ list: 'v6', reason: '2001:db8::5 is in 2001:db8::/64, ours' });
    expect(lists.check('c2-ip', '2001:db8:0:1::5')).toBeUndefined();
  });

  test('the first list a value is on is the one reported', () => {
    const first = { id: 'first', name: 'First', type: 'ip-ranges', kinds: ['c2-ip'], reason: 'first', entries: ['10.0.0.0/8'] } as const;
    const second = { ...first, id: 'second', reason: 'second' };
    expect(compiled(first, second).check('c2-ip', '10.1.1.1')?.list).toBe('first');
    expect(compiled(second, first).check('c2-ip', '10.1.1.1')?.list).toBe('second');
  });

  test('every bad entry, a kind the type cannot serve and a repeated id are reported with their places', () => {
    const result = compileWarningLists([
      { id: 'a', name: 'A', type: 'hashes', kinds: ['file-hash', 'url'], reason: 'x', entries: ['abc', { value: 'd41d8cd98f00b204e9800998ecf8427e', algorithm: 'SHA-1' }] },
      { id: 'a', name: 'A again', type: 'domains', kinds: ['c2-hostname'], reason: 'x', entries: ['ok.example.org', 'bad name.example.org'] },
    ]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual([
      { list: 0, segments: ['kinds', 1], message: 'a list of type hashes cannot apply to kind url; it applies to file-hash' },
      { list: 0, segments: ['entries', 0], message: expect.stringContaining('not a digest in hex') },
      { list: 0, segments: ['entries', 1, 'value'], message: 'SHA-1 is 40 hex digits, got 32 (that is the length of an MD5)' },
      { list: 1, segments: ['id'], message: expect.stringContaining("'a' is the id of another list") },
      { list: 1, segments: ['entries', 1], message: expect.stringContaining('whitespace') },
    ]);
  });

  test('the version changes when a list changes', () => {
    expect(compiled(partners).version).toBe(compiled({ ...partners }).version);
    expect(compiled(partners).version).not.toBe(compiled({ ...partners, entries: ['partner.example.org'] }).version);
  });
});

describe('isIntentional: the provider\'s flag in the hub extension', () => {
  const indicator = (extension: unknown) => ({ type: 'indicator', extensions: { [HUB_EXTENSION_ID]: extension } });

  test('true only for intentional: true in the hub extension', () => {
    expect(isIntentional(indicator({ extension_type: 'property-extension', intentional: true }))).toBe(true);
    expect(isIntentional(indicator({ extension_type: 'property-extension', intentional: false }))).toBe(false);
    expect(isIntentional(indicator({ extension_type: 'property-extension', intentional: 'true' }))).toBe(false);
    expect(isIntentional(indicator({ extension_type: 'property-extension' }))).toBe(false);
    expect(isIntentional(indicator(['intentional']))).toBe(false);
    expect(isIntentional({ type: 'indicator' })).toBe(false);
    expect(isIntentional({ type: 'indicator', extensions: { 'extension-definition--other': { intentional: true } } })).toBe(false);
  });
});
