import { nonPublicClass, parseIp } from '../../../../src/services/delivery/outbound/address-ranges';
import { addressAllowed, compileAllowList, hostAllowed, parseAllowListEntry } from '../../../../src/services/delivery/outbound/delivery-allow-list';

function ip(text: string) {
  const parsed = parseIp(text);
  if (!parsed) throw new Error(`not an IP: ${text}`);
  return parsed;
}

describe('address classes a push may not reach without a CIDR entry', () => {
  test.each([
    ['127.0.0.1', 'loopback'],
    ['127.200.1.1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['100.64.0.1', 'shared (CGNAT)'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['fe80::1', 'link-local'],
    ['fd00::1', 'unique-local'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['64:ff9b::a9fe:a9fe', 'link-local'],
    ['2002:c0a8:0101::1', 'private'],
  ])('%s is %s', (address, kind) => {
    expect(nonPublicClass(ip(address))).toBe(kind);
  });

  test.each(['8.8.8.8', '172.32.0.1', '100.128.0.1', '2606:4700::1111', '::ffff:8.8.8.8'])('%s is public', (address) => {
    expect(nonPublicClass(ip(address))).toBeUndefined();
  });
});

describe('allow-list entries', () => {
  test.each([
    ['feeds.example.org', 'host'],
    ['FEEDS.Example.org', 'host'],
    ['*.example.org', 'wildcard'],
    ['203.0.113.0/24', 'cidr'],
    ['127.0.0.1', 'cidr'],
    ['2001:db8::/32', 'cidr'],
    ['::1', 'cidr'],
  ])('%s is a %s entry', (text, kind) => {
    const parsed = parseAllowListEntry(text);
    expect(parsed.ok && parsed.entry.kind).toBe(kind);
  });

  test.each(['*', '*.org', 'http://example.org', 'exa mple.org', '10.0.0.0/33', '1.2.3.4/x', '-bad.example.org', '300.1.1.1', 'fe80::1::2'])('%s is refused with a message', (text) => {
    const parsed = parseAllowListEntry(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toContain(text);
  });
});

describe('matching a delivery address', () => {
  const list = compileAllowList(['feeds.example.org', '*.partner.example', '127.0.0.1/32', '2001:db8::/32']);

  test.each([
    ['feeds.example.org', true],
    ['FEEDS.example.org.', true],
    ['other.example.org', false],
    ['a.b.partner.example', true],
    ['partner.example', false],
    ['evilpartner.example', false],
    ['127.0.0.1', true],
    ['127.0.0.2', false],
    ['2001:db8::5', true],
    ['::1', false],
  ])('host %s allowed: %s', (host, allowed) => {
    expect(hostAllowed(list, host)).toBe(allowed);
  });

  test('a host allowed by name may resolve only to public addresses, unless a CIDR entry covers the address', () => {
    expect(addressAllowed(list, ip('93.184.216.34'), '93.184.216.34')).toEqual({ allowed: true });
    expect(addressAllowed(list, ip('127.0.0.1'), '127.0.0.1')).toEqual({ allowed: true });
    const refused = addressAllowed(list, ip('10.0.0.5'), '10.0.0.5');
    expect(refused).toEqual({ allowed: false, reason: expect.stringContaining('10.0.0.5, a private address') });
    expect(addressAllowed(list, ip('::ffff:127.0.0.2'), '::ffff:127.0.0.2').allowed).toBe(false);
    expect(addressAllowed(compileAllowList([]), ip('169.254.169.254'), '169.254.169.254').allowed).toBe(false);
  });
});
