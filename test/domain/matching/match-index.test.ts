import { normaliseIndicator, type IndicatorInput } from '../../../src/domain/indicators';
import { createMatchIndex, type MatchEntry, type MatchHit, type MatchIndex, type ObservationKind } from '../../../src/domain/matching';

/** The index: what an observation, however a log writes it, matches among shared entries, and how. */

const NOW = Date.parse('2026-12-01T00:00:00Z') * 1000;
let counter = 0;

function entry(input: IndicatorInput, extra: Partial<MatchEntry> = {}): MatchEntry {
  const result = normaliseIndicator(input);
  if (!result.ok) throw new Error(`refused ${JSON.stringify(input)}: ${result.message}`);
  counter += 1;
  const { kind, value, algorithm } = result.indicator;
  return {
    indicatorId: `indicator--00000000-0000-4000-8000-${String(counter).padStart(12, '0')}`,
    kind,
    value,
    ...(algorithm === undefined ? {} : { algorithm }),
    collection: 'isac-feed',
    tlp: 'amber',
    campaigns: ['Op Test'],
    provider: 'acme-east',
    ...extra,
  };
}

function indexOf(...inputs: IndicatorInput[]): MatchIndex {
  const index = createMatchIndex();
  for (const input of inputs) {
    const e = entry(input);
    index.put(e.indicatorId, [e]);
  }
  return index;
}

function hits(index: MatchIndex, kind: ObservationKind, raw: string, now = NOW): string[] {
  const found: MatchHit[] = [];
  index.lookup(kind, 'field', raw, now, (hit) => found.push(hit));
  for (const hit of found) {
    expect(hit).toMatchObject({ kind, field: 'field', observed: raw });
  }
  return found.map((hit) => `${hit.how} ${hit.entry.kind} ${hit.entry.value}`).sort();
}

describe('createMatchIndex', () => {
  const index = indexOf(
    { kind: 'c2-ip', value: '198.51.100.7' },
    { kind: 'email-sender-ip', value: '203.0.113.0/24' },
    { kind: 'c2-ip', value: '2001:db8::1' },
    { kind: 'c2-ip', value: 'fe80::1' },
    { kind: 'email-sender-ip', value: '2001:db8:abcd:12::/64' },
    { kind: 'c2-hostname', value: 'evil.example' },
    { kind: 'c2-hostname', value: 'Bücher.Example' },
    { kind: 'url', value: 'http://gate.example/panel/login.php?id=1' },
    { kind: 'email-from', value: 'Eve@phish.example' },
    { kind: 'email-subject', value: 'Invoice #42 (urgent)' },
    { kind: 'email-attachment-name', value: 'invoice.pdf.exe' },
    { kind: 'file-hash', value: 'd41d8cd98f00b204e9800998ecf8427e', algorithm: 'MD5' },
    { kind: 'file-hash', value: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', algorithm: 'SHA-256' },
  );

  test.each([
    ['ip', '198.51.100.7', ['exact c2-ip 198.51.100.7']],
    ['ip', '[198.51.100.7]', ['exact c2-ip 198.51.100.7']],
    ['ip', '198.51.100.70', []],
    ['ip', '203.0.113.99', ['cidr email-sender-ip 203.0.113.0/24']],
    ['ip', '203.0.113.0', ['cidr email-sender-ip 203.0.113.0/24']],
    ['ip', '203.0.114.1', []],
    ['ip', '2001:DB8:0:0:0:0:0:1', ['exact c2-ip 2001:db8::1']],
    ['ip', '2001:0db8::0001', ['exact c2-ip 2001:db8::1']],
    ['ip', '[2001:db8::1]', ['exact c2-ip 2001:db8::1']],
    ['ip', 'fe80::1%eth0', ['exact c2-ip fe80::1']],
    ['ip', '2001:db8:abcd:12:ffff::1', ['cidr email-sender-ip 2001:db8:abcd:12::/64']],
    ['ip', '2001:db8:abcd:13::1', []],
    ['host', 'evil.example', ['exact c2-hostname evil.example']],
    ['host', 'EVIL.Example.', ['exact c2-hostname evil.example']],
    ['host', 'a.b.evil.example', ['subdomain c2-hostname evil.example']],
    ['host', 'notevil.example', []],
    ['host', 'evil.example.org', []],
    ['host', 'example', []],
    ['host', 'BÜCHER.example', ['exact c2-hostname xn--bcher-kva.example']],
    ['host', 'xn--bcher-kva.example', ['exact c2-hostname xn--bcher-kva.example']],
    ['host', 'www.bücher.example', ['subdomain c2-hostname xn--bcher-kva.example']],
    ['host', '198.51.100.7', ['exact c2-ip 198.51.100.7']],
    ['url', 'http://gate.example/panel/login.php?id=1', ['exact url http://gate.example/panel/login.php?id=1']],
    ['url', 'HTTP://GATE.example:80/panel/%6Cogin.php?id=1', ['exact url http://gate.example/panel/login.php?id=1']],
    ['url', 'http://gate.example/panel/../panel/login.php?id=1', ['exact url http://gate.example/panel/login.php?id=1']],
    ['url', 'http://gate.example/panel/login.php?id=2', []],
    ['url', 'http://www.evil.example/x', ['url-host c2-hostname evil.example']],
    ['url', 'https://198.51.100.7:8443/x', ['url-host c2-ip 198.51.100.7']],
    ['url', 'http://[2001:db8::1]/x', ['url-host c2-ip 2001:db8::1']],
    ['email', 'Eve@phish.example', ['exact email-from Eve@phish.example']],
    ['email', 'Eve@PHISH.Example', ['exact email-from Eve@phish.example']],
    ['email', 'eve@phish.example', []],
    ['email', 'bob@mail.evil.example', ['email-domain c2-hostname evil.example']],
    ['subject', 'Invoice #42 (urgent)', ['exact email-subject Invoice #42 (urgent)']],
    ['subject', 'invoice #42 (urgent)', []],
    ['filename', 'invoice.pdf.exe', ['exact email-attachment-name invoice.pdf.exe']],
    ['hash', 'D41D8CD98F00B204E9800998ECF8427E', ['exact file-hash d41d8cd98f00b204e9800998ecf8427e']],
    ['hash', 'E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855', ['exact file-hash e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855']],
    ['hash', 'd41d8cd98f00b204e9800998ecf8427f', []],
  ] as const)('%s %j matches %j', (kind, raw, expected) => {
    expect(hits(index, kind, raw)).toEqual(expected);
  });

  test('a hit carries the entry as put: indicator id, collection, TLP, campaigns, provider', () => {
    const e = entry({ kind: 'c2-hostname', value: 'c2.example' }, { confidence: 70, validUntilMicros: NOW + 1 });
    const only = createMatchIndex();
    only.put(e.indicatorId, [e]);
    const found: MatchHit[] = [];
    only.lookup('host', 'dns-query', 'x.C2.example', NOW, (hit) => found.push(hit));
    expect(found).toEqual([{ entry: e, kind: 'host', field: 'dns-query', observed: 'x.C2.example', how: 'subdomain' }]);
  });

  test('an entry past its valid_until no longer matches', () => {
    const e = entry({ kind: 'c2-ip', value: '192.0.2.1' }, { validUntilMicros: NOW });
    const only = createMatchIndex();
    only.put(e.indicatorId, [e]);
    expect(hits(only, 'ip', '192.0.2.1', NOW - 1)).toEqual(['exact c2-ip 192.0.2.1']);
    expect(hits(only, 'ip', '192.0.2.1', NOW)).toEqual([]);
  });

  test('put replaces every entry of an indicator, remove drops them, size counts indicators', () => {
    const only = createMatchIndex();
    const a = entry({ kind: 'c2-ip', value: '192.0.2.1' });
    const b = entry({ kind: 'c2-ip', value: '192.0.2.0/28' }, { indicatorId: a.indicatorId });
    const other = entry({ kind: 'c2-ip', value: '192.0.2.1' });
    only.put(a.indicatorId, [a, b]);
    only.put(other.indicatorId, [other]);
    expect(only.size).toBe(2);
    expect(hits(only, 'ip', '192.0.2.1')).toEqual(['cidr c2-ip 192.0.2.0/28', 'exact c2-ip 192.0.2.1', 'exact c2-ip 192.0.2.1']);
    only.put(a.indicatorId, [entry({ kind: 'c2-hostname', value: 'new.example' }, { indicatorId: a.indicatorId })]);
    expect(hits(only, 'ip', '192.0.2.1')).toEqual(['exact c2-ip 192.0.2.1']);
    expect(hits(only, 'host', 'new.example')).toEqual(['exact c2-hostname new.example']);
    only.remove(a.indicatorId);
    only.remove(a.indicatorId);
    expect(hits(only, 'host', 'new.example')).toEqual([]);
    expect(only.size).toBe(1);
    only.remove(other.indicatorId);
    expect(hits(only, 'ip', '192.0.2.1')).toEqual([]);
    expect(only.size).toBe(0);
  });

  test('an IPv4 network of every prefix length holds the addresses inside it, and stops when removed', () => {
    const only = createMatchIndex();
    const address = ((100 << 24) | (64 << 16) | (32 << 8) | 1) >>> 0; // 100.64.32.1
    const quad = (n: number) => [24, 16, 8, 0].map((shift) => (n >>> shift) & 255).join('.');
    const networks = Array.from({ length: 32 }, (_, length) => entry({ kind: 'c2-ip', value: `${quad(length === 0 ? 0 : (address & (0xffffffff << (32 - length))) >>> 0)}/${length}` }));
    for (const e of networks) only.put(e.indicatorId, [e]);
    expect(hits(only, 'ip', '100.64.32.1')).toHaveLength(32);
    expect(hits(only, 'ip', '100.64.33.1')).toHaveLength(24);
    expect(hits(only, 'ip', '9.9.9.9')).toEqual(['cidr c2-ip 0.0.0.0/0', 'cidr c2-ip 0.0.0.0/1']);
    for (const e of networks.slice(1)) only.remove(e.indicatorId);
    expect(hits(only, 'ip', '100.64.32.1')).toEqual(['cidr c2-ip 0.0.0.0/0']);
    only.remove(networks[0]?.indicatorId as string);
    expect(hits(only, 'ip', '100.64.32.1')).toEqual([]);
    expect(only.size).toBe(0);
  });

  test('onHit may look up again, and a hit on many indicators of one value gives each', () => {
    const only = createMatchIndex();
    const same = [entry({ kind: 'c2-hostname', value: 'evil.example' }), entry({ kind: 'c2-hostname', value: 'evil.example' })];
    for (const e of same) only.put(e.indicatorId, [e]);
    const seen: string[] = [];
    only.lookup('host', 'f', 'www.evil.example', NOW, (hit) => {
      seen.push(`${hit.how} ${hit.entry.indicatorId}`);
      only.lookup('host', 'g', 'evil.example', NOW, (inner) => seen.push(`${inner.how} ${inner.entry.indicatorId}`));
    });
    expect(seen).toHaveLength(6);
    expect(seen.filter((s) => s.startsWith('subdomain')).sort()).toEqual(same.map((e) => `subdomain ${e.indicatorId}`).sort());
  });

  test('keeps any indicator id as given: a UUID in any case, or none', () => {
    const only = createMatchIndex();
    const ids = ['indicator--0A1B2C3D-0000-4000-8000-00000000000F', 'indicator--not-a-uuid', 'x', 'indicator--0a1b2c3d-0000-4000-8000-00000000000f'];
    for (const id of ids) only.put(id, [entry({ kind: 'c2-ip', value: '192.0.2.9' }, { indicatorId: id })]);
    expect(only.size).toBe(4);
    const found: string[] = [];
    only.lookup('ip', 'f', '192.0.2.9', NOW, (hit) => found.push(hit.entry.indicatorId));
    expect(found.sort()).toEqual([...ids].sort());
    for (const id of ids) only.remove(id);
    expect(only.size).toBe(0);
  });

  test('removing one of two addresses of a /24 leaves the other matching', () => {
    const only = createMatchIndex();
    const [a, b, c] = [entry({ kind: 'c2-ip', value: '198.51.100.7' }), entry({ kind: 'c2-ip', value: '198.51.100.200' }), entry({ kind: 'c2-ip', value: '198.51.100.192/26' })];
    for (const e of [a, b, c]) only.put(e.indicatorId, [e as MatchEntry]);
    only.remove(a?.indicatorId as string);
    expect(hits(only, 'ip', '198.51.100.7')).toEqual([]);
    expect(hits(only, 'ip', '198.51.100.200')).toEqual(['cidr c2-ip 198.51.100.192/26', 'exact c2-ip 198.51.100.200']);
    only.remove(b?.indicatorId as string);
    expect(hits(only, 'ip', '198.51.100.201')).toEqual(['cidr c2-ip 198.51.100.192/26']);
    only.remove(c?.indicatorId as string);
    expect(hits(only, 'ip', '198.51.100.201')).toEqual([]);
    only.put(a?.indicatorId as string, [a as MatchEntry]);
    expect(hits(only, 'ip', '198.51.100.7')).toEqual(['exact c2-ip 198.51.100.7']);
  });
});
