import { analysisKeysOf, analysisKeysOfAll, hostKey, hostOfKey, keyType, MAX_KEY_BYTES, parentHostKeys, subdomainKeyPrefix } from '../../../src/domain/analysis/analysis-keys';

describe('analysis keys', () => {
  it.each([
    ['email-sender-ip', '198.51.100.7', [{ key: 'ip:198.51.100.7', net: '198.51.100.7' }]],
    ['c2-ip', '198.51.100.7', [{ key: 'ip:198.51.100.7', net: '198.51.100.7' }]],
    ['c2-ip', '198.51.100.0/24', [{ key: 'net:198.51.100.0/24', net: '198.51.100.0/24' }]],
    ['c2-ip', '2001:db8::1', [{ key: 'ip:2001:db8::1', net: '2001:db8::1' }]],
    ['c2-hostname', 'cdn.kuro-relay.example', [{ key: 'host:example.kuro-relay.cdn' }]],
    ['email-from', 'Billing@kuro-relay.example', [{ key: 'email:Billing@kuro-relay.example' }, { key: 'host:example.kuro-relay' }]],
    ['url', 'http://cdn.kuro-relay.example/a/b?x=1', [{ key: 'url:http://cdn.kuro-relay.example/a/b?x=1' }, { key: 'host:example.kuro-relay.cdn' }]],
    ['url', 'http://198.51.100.7:8080/x', [{ key: 'url:http://198.51.100.7:8080/x' }, { key: 'ip:198.51.100.7', net: '198.51.100.7' }]],
    ['url', 'http://[2001:db8::1]/x', [{ key: 'url:http://[2001:db8::1]/x' }, { key: 'ip:2001:db8::1', net: '2001:db8::1' }]],
    ['file-hash', 'D41D8CD98F00B204E9800998ECF8427E', [{ key: 'hash:d41d8cd98f00b204e9800998ecf8427e' }]],
    ['email-subject', 'Invoice for December', [{ key: 'subject:invoice for december' }]],
    ['email-attachment-name', 'Invoice.DOC', [{ key: 'attachment:invoice.doc' }]],
  ] as const)('%s %s', (kind, value, keys) => {
    expect(analysisKeysOf(kind, value)).toEqual(keys);
  });

  it('relates a host to its parents and subdomains through the reversed labels', () => {
    expect(parentHostKeys('a.cdn.kuro-relay.example')).toEqual(['host:example.kuro-relay.cdn', 'host:example.kuro-relay']);
    expect(subdomainKeyPrefix('kuro-relay.example')).toBe('host:example.kuro-relay.');
    expect(hostKey('a.cdn.kuro-relay.example').startsWith(subdomainKeyPrefix('kuro-relay.example'))).toBe(true);
    // A longer name that only ends with the same characters is not a subdomain.
    expect(hostKey('evilkuro-relay.example').startsWith(subdomainKeyPrefix('kuro-relay.example'))).toBe(false);
    expect(hostOfKey('host:example.kuro-relay.cdn')).toBe('cdn.kuro-relay.example');
    expect(keyType('host:example.kuro-relay.cdn')).toBe('host');
  });

  it('digests keys too long for an index entry, the same way every time', () => {
    const subject = 'ご請求書の送付について'.repeat(30);
    const [key] = analysisKeysOf('email-subject', subject);
    expect(key?.key).toMatch(/^subject#sha256:[0-9a-f]{64}$/);
    expect(analysisKeysOf('email-subject', subject.toUpperCase())).toEqual([key]);
    expect(Buffer.byteLength(analysisKeysOf('email-subject', 'a'.repeat(MAX_KEY_BYTES - 8))[0]?.key ?? '')).toBeLessThanOrEqual(MAX_KEY_BYTES);
    expect(keyType(key?.key ?? '')).toBe('subject');
  });

  it('gives each key of several values once', () => {
    expect(analysisKeysOfAll([{ kind: 'c2-hostname', value: 'kuro-relay.example' }, { kind: 'url', value: 'http://kuro-relay.example/' }]).map((k) => k.key)).toEqual([
      'host:example.kuro-relay',
      'url:http://kuro-relay.example/',
    ]);
  });
});
