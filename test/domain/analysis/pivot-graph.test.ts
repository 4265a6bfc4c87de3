import { isParentHost, netContains, PivotGraph, relationsBetween, sharedKeyReason, viaOfKey, type KindValue } from '../../../src/domain/analysis/pivot-graph';
import { pivotBundle, strictestTlp } from '../../../src/domain/analysis/pivot-grouping';
import { pivotStartOf } from '../../../src/domain/analysis/pivot-start';
import { createStixValidator } from '../../../src/validation/stix-validator';

/** What makes two values related, and why (issue 15 §1), the value a pivot starts from, the graph's bound and the STIX form. */

const kv = (kind: KindValue['kind'], value: string): KindValue => ({ kind, value });

describe('relationsBetween', () => {
  it.each<[string, KindValue, KindValue, string[]]>([
    ['the same value of one kind', kv('c2-ip', '203.0.113.9'), kv('c2-ip', '203.0.113.9'), ['same-value 203.0.113.9']],
    ['one address under two kinds', kv('c2-ip', '203.0.113.9'), kv('email-sender-ip', '203.0.113.9'), ['same-address 203.0.113.9']],
    ['an address in a URL', kv('c2-ip', '203.0.113.9'), kv('url', 'http://203.0.113.9/p'), ['host-in-url 203.0.113.9']],
    ['an address in a network', kv('email-sender-ip', '203.0.113.9'), kv('c2-ip', '203.0.113.0/24'), ['address-in-cidr 203.0.113.0/24']],
    ['a smaller network in a larger one', kv('c2-ip', '203.0.113.0/28'), kv('c2-ip', '203.0.112.0/23'), ['address-in-cidr 203.0.112.0/23']],
    ['an IPv6 address in its network', kv('c2-ip', '2001:db8::1'), kv('c2-ip', '2001:db8::/32'), ['address-in-cidr 2001:db8::/32']],
    ['a host in a URL', kv('c2-hostname', 'cdn.kuro.example'), kv('url', 'http://cdn.kuro.example/gate.php'), ['host-in-url cdn.kuro.example']],
    ['two URLs on one host', kv('url', 'http://cdn.kuro.example/a'), kv('url', 'https://cdn.kuro.example/b'), ['host-in-url cdn.kuro.example']],
    ['the domain of a From address', kv('email-from', 'billing@kuro.example'), kv('c2-hostname', 'kuro.example'), ['email-domain kuro.example']],
    ['two senders of one domain', kv('email-from', 'a@kuro.example'), kv('email-from', 'b@kuro.example'), ['email-domain kuro.example']],
    ['a subdomain', kv('c2-hostname', 'kuro.example'), kv('c2-hostname', 'a.b.kuro.example'), ['subdomain kuro.example']],
    ['a URL under a domain', kv('url', 'http://cdn.kuro.example/x'), kv('c2-hostname', 'kuro.example'), ['subdomain kuro.example']],
    ['a subject, whatever its case', kv('email-subject', 'Invoice Overdue'), kv('email-subject', 'invoice overdue'), ['same-value invoice overdue']],
    ['a hash, whatever its case', kv('file-hash', 'D41D8CD98F00B204E9800998ECF8427F'), kv('file-hash', 'd41d8cd98f00b204e9800998ecf8427f'), ['same-value d41d8cd98f00b204e9800998ecf8427f']],
  ])('%s', (_name, a, b, reasons) => {
    expect(relationsBetween([a], [b]).map((r) => `${r.reason} ${r.via}`)).toEqual(reasons);
    expect(relationsBetween([b], [a]).map((r) => `${r.reason} ${r.via}`)).toEqual(reasons);
  });

  it.each<[string, KindValue, KindValue]>([
    ['different addresses', kv('c2-ip', '203.0.113.9'), kv('c2-ip', '203.0.113.10')],
    ['an address outside the network', kv('c2-ip', '198.51.100.7'), kv('c2-ip', '203.0.113.0/24')],
    ['a look-alike domain (no dot boundary)', kv('c2-hostname', 'kuro.example'), kv('c2-hostname', 'evilkuro.example')],
    ['siblings', kv('c2-hostname', 'a.kuro.example'), kv('c2-hostname', 'b.kuro.example')],
    ['IPv4 and IPv6', kv('c2-ip', '203.0.113.9'), kv('c2-ip', '::/0')],
  ])('relates nothing for %s', (_name, a, b) => {
    expect(relationsBetween([a], [b])).toEqual([]);
  });

  it('names the reason from the kinds that gave the shared key', () => {
    expect(sharedKeyReason('host:example.kuro', new Set(['c2-hostname']), new Set(['c2-hostname']))).toBe('same-value');
    expect(viaOfKey('host:example.kuro.cdn')).toBe('cdn.kuro.example');
    expect(isParentHost('kuro.example', 'cdn.kuro.example')).toBe(true);
    expect(netContains('203.0.113.0/24', '203.0.113.0/24')).toBe(false);
  });
});

describe('pivotStartOf', () => {
  it('reads a value as every kind that accepts it, free text only when no other kind does', () => {
    const ip = pivotStartOf('198.51.100.7');
    expect(ip.ok && ip.readings.map((r) => r.kind)).toEqual(['email-sender-ip', 'c2-ip']);
    const host = pivotStartOf('Foo.Example');
    expect(host.ok && host.readings).toEqual([{ kind: 'c2-hostname', value: 'foo.example' }]);
    const lure = pivotStartOf('Your invoice is overdue');
    expect(lure.ok && lure.readings.map((r) => r.kind)).toEqual(['email-subject', 'email-attachment-name']);
    const hash = pivotStartOf('D41D8CD98F00B204E9800998ECF8427E');
    expect(hash.ok && hash.keys.map((k) => k.key)).toEqual(['hash:d41d8cd98f00b204e9800998ecf8427e']);
  });

  it('says why per kind when the kind asked for refuses the value', () => {
    const refused = pivotStartOf('not a host', 'c2-hostname');
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.message).toMatch(/^no kind of indicator accepts this value \(c2-hostname: /);
  });
});

describe('PivotGraph', () => {
  const node = (ref: string, hop: number) => ({ ref, type: 'indicator' as const, values: [], hop });

  it('keeps at most maxNodes nodes and says at which hop it stopped', () => {
    const graph = new PivotGraph(2);
    expect(graph.addNode(node('a', 0))).toBe(true);
    expect(graph.addNode(node('b', 1))).toBe(true);
    expect(graph.addNode(node('c', 2))).toBe(false);
    expect(graph.truncatedAtHop).toBe(2);
  });

  it('keeps one edge per pair, reason and via, whatever the direction; never an edge to a node left out', () => {
    const graph = new PivotGraph(10);
    graph.addNode(node('a', 0));
    graph.addNode(node('b', 1));
    graph.addEdge({ from: 'a', to: 'b', reason: 'same-value', via: 'x' }, 1);
    graph.addEdge({ from: 'b', to: 'a', reason: 'same-value', via: 'x' }, 1);
    graph.addEdge({ from: 'a', to: 'z', reason: 'same-value', via: 'x' }, 1);
    graph.addEdge({ from: 'b', to: 'a', reason: 'same-campaign', via: 'W' }, 1);
    graph.addEdge({ from: 'a', to: 'b', reason: 'indicates', via: 'W' }, 1);
    graph.addEdge({ from: 'b', to: 'a', reason: 'same-campaign', via: 'W' }, 1);
    expect(graph.edges.map((e) => `${e.from}-${e.to} ${e.reason}`)).toEqual(['a-b same-value', 'a-b indicates']);
    expect(graph.truncatedAtHop).toBeUndefined();
  });

  it('keeps at most maxEdges edges and says at which hop it stopped', () => {
    const graph = new PivotGraph(10, 1);
    graph.addNode(node('a', 0));
    graph.addNode(node('b', 1));
    graph.addEdge({ from: 'a', to: 'b', reason: 'same-value', via: 'x' }, 1);
    graph.addEdge({ from: 'a', to: 'b', reason: 'subdomain', via: 'x' }, 2);
    expect(graph.edges).toHaveLength(1);
    expect(graph.truncatedAtHop).toBe(2);
  });
});

describe('pivotBundle', () => {
  const indicator = (id: string) => ({ type: 'indicator', spec_version: '2.1', id, created: '2026-12-01T00:00:00.000Z', modified: '2026-12-01T00:00:00.000Z', pattern: "[ipv4-addr:value = '203.0.113.9']", pattern_type: 'stix', valid_from: '2026-12-01T00:00:00Z' });
  const base = { id: 'grouping--6d7e3c1f-52a4-4c52-9d1e-3f1c5b1e2a10', bundleId: 'bundle--6d7e3c1f-52a4-4c52-9d1e-3f1c5b1e2a11', hubIdentityId: 'identity--6d7e3c1f-52a4-4c52-9d1e-3f1c5b1e2a12', created: '2026-12-06T21:00:00.000Z', about: '203.0.113.9', reader: 'acme-west' };

  it('marks the grouping as its strictest member, naming the reader for RED only when every RED member does', () => {
    expect(strictestTlp(['green', 'amber+strict', 'amber'])).toBe('amber+strict');
    const named = pivotBundle({ ...base, members: [{ object: indicator('indicator--6d7e3c1f-52a4-4c52-9d1e-3f1c5b1e2a13'), tlp: 'red', recipients: ['acme-west', 'acme-east'] }, { object: indicator('indicator--6d7e3c1f-52a4-4c52-9d1e-3f1c5b1e2a14'), tlp: 'green', recipients: [] }] });
    const [grouping] = named.objects as Record<string, unknown>[];
    expect(grouping).toMatchObject({ type: 'grouping', context: 'suspicious-activity', created_by_ref: base.hubIdentityId, object_marking_refs: ['marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1'] });
    expect(JSON.stringify(grouping)).toContain('"red_recipients":["acme-west"]');
    expect(createStixValidator()(grouping)).toEqual({ ok: true });
    const unnamed = pivotBundle({ ...base, members: [{ object: indicator('indicator--6d7e3c1f-52a4-4c52-9d1e-3f1c5b1e2a13'), tlp: 'red', recipients: ['acme-east'] }] });
    expect(JSON.stringify(unnamed)).not.toContain('red_recipients');
    expect(pivotBundle({ ...base, members: [] })).toEqual({ type: 'bundle', id: base.bundleId });
  });

  it('holds an object stored in two collections once, and two versions of one id both', () => {
    const shared = indicator('indicator--6d7e3c1f-52a4-4c52-9d1e-3f1c5b1e2a15');
    const newer = { ...shared, modified: '2026-12-02T00:00:00.000Z' };
    const bundle = pivotBundle({ ...base, members: [{ object: shared, tlp: 'amber', recipients: [] }, { object: { ...shared }, tlp: 'amber', recipients: [] }, { object: newer, tlp: 'amber', recipients: [] }] });
    const objects = bundle.objects as Record<string, unknown>[];
    expect(objects.map((o) => `${String(o.type)} ${String(o.modified)}`)).toEqual([`grouping ${base.created}`, 'indicator 2026-12-01T00:00:00.000Z', 'indicator 2026-12-02T00:00:00.000Z']);
    expect((objects[0] as { object_refs: string[] }).object_refs).toEqual([shared.id]);
  });
});
