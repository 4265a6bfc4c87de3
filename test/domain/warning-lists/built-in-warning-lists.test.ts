import { createHash } from 'node:crypto';
import { HASH_ALGORITHMS, normaliseIndicator, type IndicatorKind } from '../../../src/domain/indicators';
import { builtInWarningLists } from './built-in-lists';

const lists = builtInWarningLists();

/** The value as the hub stores it: through the hub's own normaliser, as a submission would be. */
function stored(kind: IndicatorKind, value: string, algorithm?: string): string {
  const normalised = normaliseIndicator({ kind, value, ...(algorithm !== undefined ? { algorithm } : {}) });
  if (!normalised.ok) throw new Error(`${kind} ${value}: ${normalised.message}`);
  return normalised.indicator.value;
}

const check = (kind: IndicatorKind, value: string, algorithm?: string) => lists.check(kind, stored(kind, value, algorithm));

describe('special-use address ranges', () => {
  test.each([
    ['10.1.2.3', '10.1.2.3 is in 10.0.0.0/8, a private range (RFC 1918)'],
    ['172.16.0.1', '172.16.0.1 is in 172.16.0.0/12, a private range (RFC 1918)'],
    ['192.168.1.1', '192.168.1.1 is in 192.168.0.0/16, a private range (RFC 1918)'],
    ['127.0.0.1', '127.0.0.1 is in 127.0.0.0/8, the loopback range (RFC 1122)'],
    ['169.254.169.254', '169.254.169.254 is in 169.254.0.0/16, the link-local range (RFC 3927)'],
    ['100.64.0.1', '100.64.0.1 is in 100.64.0.0/10, the shared address space of carrier-grade NAT (RFC 6598)'],
    ['224.0.0.251', '224.0.0.251 is in 224.0.0.0/4, the multicast range (RFC 5771)'],
    ['192.0.2.10', '192.0.2.10 is in 192.0.2.0/24, a documentation range, TEST-NET-1 (RFC 5737)'],
    ['198.51.100.7', '198.51.100.7 is in 198.51.100.0/24, a documentation range, TEST-NET-2 (RFC 5737)'],
    ['203.0.113.9', '203.0.113.9 is in 203.0.113.0/24, a documentation range, TEST-NET-3 (RFC 5737)'],
    ['198.18.0.1', '198.18.0.1 is in 198.18.0.0/15, the benchmarking range (RFC 2544)'],
    ['255.255.255.255', '255.255.255.255 is the limited broadcast address (RFC 919)'],
    ['250.1.1.1', '250.1.1.1 is in 240.0.0.0/4, a reserved range (RFC 1112)'],
    ['0.0.0.0', '0.0.0.0 is in 0.0.0.0/8, the \'this network\' range (RFC 1122)'],
    ['::1', '::1 is the loopback address (RFC 4291)'],
    ['2001:db8::1', '2001:db8::1 is in 2001:db8::/32, the documentation range (RFC 3849)'],
    ['fd12:3456::1', 'fd12:3456::1 is in fc00::/7, the unique local range (RFC 4193)'],
    ['fe80::1', 'fe80::1 is in fe80::/10, the link-local range (RFC 4291)'],
    ['ff02::1', 'ff02::1 is in ff00::/8, the multicast range (RFC 4291)'],
    ['::ffff:10.0.0.1', '::ffff:10.0.0.1 is in 10.0.0.0/8, a private range (RFC 1918)'],
  ])('the address %s is warned for c2-ip and email-sender-ip', (value, reason) => {
    expect(check('c2-ip', value)).toEqual({ list: 'special-use-addresses', reason });
    expect(check('email-sender-ip', value)).toEqual({ list: 'special-use-addresses', reason });
  });

  test('a network inside a range, equal to one, or containing one is warned (blocking 10.0.0.0/7 blocks 10.0.0.0/8 too)', () => {
    expect(check('c2-ip', '10.20.0.0/16')).toEqual({ list: 'special-use-addresses', reason: '10.20.0.0/16 is in 10.0.0.0/8, a private range (RFC 1918)' });
    expect(check('c2-ip', '10.0.0.0/8')).toEqual({ list: 'special-use-addresses', reason: '10.0.0.0/8 is a private range (RFC 1918)' });
    expect(check('c2-ip', '10.0.0.0/7')).toEqual({ list: 'special-use-addresses', reason: '10.0.0.0/7 contains 10.0.0.0/8, a private range (RFC 1918)' });
    expect(check('c2-ip', '2001:db8:1::/48')?.reason).toBe('2001:db8:1::/48 is in 2001:db8::/32, the documentation range (RFC 3849)');
    expect(check('c2-ip', '2001:d00::/24')?.reason).toBe('2001:d00::/24 contains 2001:db8::/32, the documentation range (RFC 3849)');
  });

  test('public addresses and networks that overlap no listed range are not warned', () => {
    for (const value of ['185.220.101.4', '11.0.0.1', '172.32.0.1', '100.128.0.1', '198.51.101.1', '45.33.32.0/24', '2a00:1450:4001::1', '2a00:1450::/32']) {
      expect(check('c2-ip', value)).toBeUndefined();
    }
  });

  test('a URL whose host is a special-use address is warned; one with a public host is not', () => {
    expect(check('url', 'http://192.168.0.1/admin')).toEqual({ list: 'special-use-addresses', reason: "192.168.0.1 (the URL's host) is in 192.168.0.0/16, a private range (RFC 1918)" });
    expect(check('url', 'http://[fe80::1]:8080/x')?.reason).toBe("fe80::1 (the URL's host) is in fe80::/10, the link-local range (RFC 4291)");
    expect(check('url', 'http://185.220.101.4/gate.php')).toBeUndefined();
  });
});

describe('public resolvers', () => {
  test.each([
    ['8.8.8.8', 'Google Public DNS'],
    ['8.8.4.4', 'Google Public DNS'],
    ['1.1.1.1', 'Cloudflare DNS'],
    ['9.9.9.9', 'Quad9'],
    ['208.67.222.222', 'OpenDNS'],
    ['2001:4860:4860::8888', 'Google Public DNS'],
    ['2606:4700:4700::1111', 'Cloudflare DNS'],
    ['2620:fe::fe', 'Quad9'],
    ['2620:119:35::35', 'OpenDNS'],
  ])('%s (%s) is warned', (value, name) => {
    expect(check('c2-ip', value)).toEqual({ list: 'public-resolvers', reason: `${value} is ${name}, a public resolver` });
  });

  test('a network containing a resolver is warned; a neighbouring address is not', () => {
    expect(check('c2-ip', '8.8.8.0/24')).toEqual({ list: 'public-resolvers', reason: '8.8.8.0/24 contains 8.8.8.8, Google Public DNS, a public resolver' });
    expect(check('c2-ip', '8.8.8.9')).toBeUndefined();
    expect(check('c2-ip', '1.1.1.4')).toBeUndefined();
  });
});

describe('popular domains', () => {
  test.each(['google.com', 'www.google.com', 'microsoft.com', 'windowsupdate.com', 'github.com', 'cloudflare.com', 'akamaiedge.net', 'facebook.com', 'gmail.com'])(
    'the C2 host name %s is warned',
    (value) => {
      expect(check('c2-hostname', value)).toEqual({ list: 'popular-domains', reason: `${value} is one of the most popular domains` });
    },
  );

  test('the match is exact: look-alikes, names below a listed domain and names that merely end with one are not warned', () => {
    for (const value of ['evilgoogle.com', 'google.com.evil.net', 'google.co', 'login-microsoft.com', 'attacker.github.io', 'c2.azurewebsites.net', 'xgoogle.com']) {
      expect(check('c2-hostname', value)).toBeUndefined();
    }
  });

  test("a URL whose host is exactly a popular domain is warned; one on a look-alike or below it is not", () => {
    expect(check('url', 'https://www.google.com/search?q=x')).toEqual({ list: 'popular-domains', reason: "www.google.com (the URL's host) is one of the most popular domains" });
    expect(check('url', 'https://evilgoogle.com/')).toBeUndefined();
    expect(check('url', 'https://phish.blogspot.com/login')).toBeUndefined();
  });

  test('a From address at a popular mail provider is not warned (free-mail senders are common in phishing)', () => {
    for (const value of ['attacker@gmail.com', 'ceo.fake@outlook.com', 'x@yahoo.com', 'billing@microsoft.com']) expect(check('email-from', value)).toBeUndefined();
  });
});

describe('documentation and special-use domains', () => {
  test.each([
    ['c2-hostname', 'example.com', 'example.com is a domain reserved for documentation (RFC 2606)'],
    ['c2-hostname', 'c2.example.net', 'c2.example.net is under example.net, a domain reserved for documentation (RFC 2606)'],
    ['c2-hostname', 'evil.example', 'evil.example is under example, a top-level domain reserved for documentation (RFC 2606)'],
    ['c2-hostname', 'a.b.test', 'a.b.test is under test, a top-level domain reserved for testing (RFC 2606)'],
    ['c2-hostname', 'host.invalid', 'host.invalid is under invalid, a top-level domain reserved for names that are invalid (RFC 2606)'],
    ['c2-hostname', 'app.localhost', 'app.localhost is under localhost, a top-level domain reserved for the local host (RFC 6761)'],
    ['c2-hostname', 'printer.local', 'printer.local is under local, the multicast DNS domain of a local network (RFC 6762)'],
    ['url', 'https://www.example.org/payload.exe', "www.example.org (the URL's host) is under example.org, a domain reserved for documentation (RFC 2606)"],
    ['email-from', 'eve@example.com', "example.com (the address's domain) is a domain reserved for documentation (RFC 2606)"],
    ['email-from', 'ceo@corp.test', "corp.test (the address's domain) is under test, a top-level domain reserved for testing (RFC 2606)"],
  ] as const)('%s %s is warned', (kind, value, reason) => {
    expect(check(kind, value)).toEqual({ list: 'documentation-domains', reason });
  });

  test('names that only look like them are not warned', () => {
    for (const value of ['example.co', 'myexample.com', 'example.com.evil.net', 'testing.net', 'localhost.evil.net']) expect(check('c2-hostname', value)).toBeUndefined();
    expect(check('email-from', 'eve@notexample.com')).toBeUndefined();
  });
});

describe('hashes of the empty file', () => {
  const nodeNames: Record<(typeof HASH_ALGORITHMS)[number], string> = {
    MD5: 'md5',
    'SHA-1': 'sha1',
    'SHA-256': 'sha256',
    'SHA-512': 'sha512',
    'SHA3-256': 'sha3-256',
    'SHA3-512': 'sha3-512',
  };

  test.each(HASH_ALGORITHMS)('the %s of zero bytes, computed here, is warned', (algorithm) => {
    const digest = createHash(nodeNames[algorithm]).update(Buffer.alloc(0)).digest('hex');
    expect(check('file-hash', digest.toUpperCase(), algorithm)).toEqual({ list: 'empty-file-hashes', reason: `${digest} is the ${algorithm} of the empty file (zero bytes)` });
    expect(lists.check('file-hash', `${algorithm}:${digest}`)?.list).toBe('empty-file-hashes');
  });

  test('the hash of one byte is not warned', () => {
    expect(check('file-hash', createHash('sha256').update('\n').digest('hex'), 'SHA-256')).toBeUndefined();
  });
});

describe('what no list applies to', () => {
  test('subjects and attachment names are never warned, and values that are not what their kind stores are not warned either', () => {
    expect(lists.check('email-subject', 'example.com')).toBeUndefined();
    expect(lists.check('email-attachment-name', '10.0.0.1')).toBeUndefined();
    expect(lists.check('c2-ip', 'not an address')).toBeUndefined();
    expect(lists.check('url', 'no scheme')).toBeUndefined();
    expect(lists.check('email-from', 'no-at-sign')).toBeUndefined();
  });

  test('the version is a digest of the lists, the same for the same data', () => {
    expect(lists.version).toMatch(/^[0-9a-f]{16}$/);
    expect(builtInWarningLists().version).toBe(lists.version);
  });
});
