import { feedEntriesOf } from '../../../src/domain/feeds';
import { createFeedEntryReader } from '../../../src/domain/feeds/feed-entry';
import { HUB_EXTENSION_ID } from '../../../src/domain/hub-extension';
import { parseMicros } from '../../../src/domain/timestamps';
import { hubIndicator, indicatorId, VERSION } from './feed-fixtures';

/** feedEntriesOf: what a stored STIX 2.1 indicator gives a sensor feed. */

function taxii21Indicator(pattern: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: indicatorId(),
    created: '2026-02-01T00:00:00.000Z',
    modified: VERSION,
    pattern,
    pattern_type: 'stix',
    valid_from: '2026-01-01T00:00:00Z',
    ...extra,
  };
}

const valuesOf = (indicator: Record<string, unknown>): string[] => feedEntriesOf(indicator, 'green').map((e) => `${e.kind} ${e.algorithm ?? ''}${e.value}`.replace('  ', ' '));

describe('feedEntriesOf', () => {
  test.each([
    [{ kind: 'c2-ip', value: '198.51.100.7' }, 'c2-ip 198.51.100.7'],
    [{ kind: 'c2-ip', value: '2001:DB8:0::1' }, 'c2-ip 2001:db8::1'],
    [{ kind: 'email-sender-ip', value: '203.0.113.0/24' }, 'email-sender-ip 203.0.113.0/24'],
    [{ kind: 'c2-hostname', value: 'Bücher.Example' }, 'c2-hostname xn--bcher-kva.example'],
    [{ kind: 'url', value: 'HTTP://Evil.Example/a b'.replace(' ', '%20') }, 'url http://evil.example/a%20b'],
    [{ kind: 'email-from', value: 'Eve@Evil.Example' }, 'email-from Eve@evil.example'],
    [{ kind: 'email-subject', value: "It's \"urgent\"; really\\" }, 'email-subject It\'s "urgent"; really\\'],
    [{ kind: 'email-attachment-name', value: 'invoice.pdf.exe' }, 'email-attachment-name invoice.pdf.exe'],
    [{ kind: 'file-hash', value: 'D41D8CD98F00B204E9800998ECF8427E', algorithm: 'md5' }, 'file-hash MD5d41d8cd98f00b204e9800998ecf8427e'],
  ] as const)('a hub indicator of %j gives one entry: %s', (input, expected) => {
    expect(valuesOf(hubIndicator(input))).toEqual([expected]);
  });

  test('an entry carries the indicator id, its version in microseconds, confidence, valid_until, the TLP and campaigns given', () => {
    const indicator = hubIndicator({ kind: 'c2-hostname', value: 'evil.example' });
    expect(feedEntriesOf(indicator, 'amber+strict', ['Operation Mallory'])).toEqual([
      {
        indicatorId: indicator.id,
        version: parseMicros(VERSION),
        kind: 'c2-hostname',
        value: 'evil.example',
        confidence: 80,
        validUntil: '2027-01-01T00:00:00.000Z',
        tlp: 'amber+strict',
        campaigns: ['Operation Mallory'],
      },
    ]);
  });

  test('the hub extension tells an e-mail sender IP from a C2 IP (the same pattern)', () => {
    const sender = hubIndicator({ kind: 'email-sender-ip', value: '192.0.2.25' });
    expect(sender.pattern).toBe("[ipv4-addr:value = '192.0.2.25']");
    expect(valuesOf(sender)).toEqual(['email-sender-ip 192.0.2.25']);
    const { extensions: _hub, ...withoutExtension } = sender;
    expect(valuesOf(withoutExtension)).toEqual(['c2-ip 192.0.2.25']);
  });

  test('an indicator posted over TAXII 2.1 with a simple pattern gives its values, normalised as the hub normalises submissions', () => {
    expect(valuesOf(taxii21Indicator("[domain-name:value = 'EVIL.example.']"))).toEqual(['c2-hostname evil.example']);
    expect(valuesOf(taxii21Indicator("[file:hashes.'SHA-256' = 'E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855']"))).toEqual([
      'file-hash SHA-256e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    ]);
    expect(valuesOf(taxii21Indicator("[email-message:from_ref.value = 'eve@evil.example']"))).toEqual(['email-from eve@evil.example']);
  });

  test('an OR of values gives one entry per value, each once', () => {
    const indicator = taxii21Indicator("[ipv4-addr:value = '198.51.100.7' OR ipv4-addr:value = '198.51.100.7' OR domain-name:value = 'c2.example'] OR [url:value IN ('http://a.example/x', 'http://b.example/y')]");
    expect(valuesOf(indicator)).toEqual(['c2-ip 198.51.100.7', 'c2-hostname c2.example', 'url http://a.example/x', 'url http://b.example/y']);
  });

  test('thousands of OR-ed observations or comparisons give all their values (no recursion as deep as the pattern is long)', () => {
    const address = (i: number) => `10.${(i >> 8) & 255}.${i & 255}.1`;
    const observations = Array.from({ length: 10_000 }, (_, i) => `[ipv4-addr:value = '${address(i)}']`).join(' OR ');
    const comparisons = `[${Array.from({ length: 10_000 }, (_, i) => `ipv4-addr:value = '${address(i)}'`).join(' OR ')}]`;
    for (const pattern of [observations, comparisons]) {
      const values = valuesOf(taxii21Indicator(pattern));
      expect(values).toHaveLength(10_000);
      expect([values[0], values[9_999]]).toEqual(['c2-ip 10.0.0.1', 'c2-ip 10.39.15.1']);
    }
  });

  test.each([
    ['an AND of two e-mail fields (a sensor matching one alone would match more)', "[email-message:from_ref.value = 'eve@evil.example' AND email-message:subject = 'Invoice']"],
    ['an AND of two observations', "[ipv4-addr:value = '198.51.100.7'] AND [domain-name:value = 'c2.example']"],
    ['a qualifier', "[ipv4-addr:value = '198.51.100.7'] REPEATS 5 TIMES"],
    ['a property outside the eight kinds', "[process:name = 'evil.exe']"],
    ['a comparison other than equality', "[domain-name:value LIKE '%.evil.example']"],
    ['a value the hub refuses (a host name with a quote)', "[domain-name:value = 'evil\\'.example']"],
    ['an invalid pattern', '[domain-name:value = '],
  ])('%s gives no entry', (_what, pattern) => {
    expect(feedEntriesOf(taxii21Indicator(pattern), 'green')).toEqual([]);
  });

  test('an OR keeps the values the hub accepts and leaves out those it refuses', () => {
    expect(valuesOf(taxii21Indicator("[domain-name:value = 'ok.example' OR domain-name:value = 'bad name.example']"))).toEqual(['c2-hostname ok.example']);
  });

  test('objects that are not STIX-pattern indicators give no entry', () => {
    expect(feedEntriesOf(taxii21Indicator("[domain-name:value = 'c2.example']", { pattern_type: 'sigma' }), 'green')).toEqual([]);
    expect(feedEntriesOf({ ...taxii21Indicator("[domain-name:value = 'c2.example']"), type: 'malware' }, 'green')).toEqual([]);
    expect(feedEntriesOf({ ...taxii21Indicator("[domain-name:value = 'c2.example']"), modified: 'yesterday' }, 'green')).toEqual([]);
  });

  test('a confidence outside 0-100 is left out, and a version keeps its state: the caller decides which versions are active', () => {
    const revoked = { ...hubIndicator({ kind: 'c2-ip', value: '198.51.100.7' }), revoked: true, confidence: 101 };
    const [entry] = feedEntriesOf(revoked, 'green');
    expect(entry?.value).toBe('198.51.100.7');
    expect(entry).not.toHaveProperty('confidence');
  });

  test('a hub extension naming an unknown kind is read as no kind', () => {
    const indicator = hubIndicator({ kind: 'c2-ip', value: '198.51.100.7' });
    const extensions = { [HUB_EXTENSION_ID]: { extension_type: 'property-extension', kind: 'teapot' } };
    expect(valuesOf({ ...indicator, extensions })).toEqual(['c2-ip 198.51.100.7']);
  });
});

describe('a feed-entry reader that remembers patterns', () => {
  test('gives exactly what feedEntriesOf gives, for every indicator, whatever it remembers', () => {
    const read = createFeedEntryReader(2);
    const indicators = [
      hubIndicator({ kind: 'c2-ip', value: '198.51.100.7' }),
      hubIndicator({ kind: 'email-sender-ip', value: '198.51.100.7' }), // the same pattern, another hub kind
      taxii21Indicator("[domain-name:value = 'a.example'] OR [domain-name:value = 'B.example']", { confidence: 80, valid_until: '2027-01-01T00:00:00Z' }),
      taxii21Indicator("[domain-name:value = 'a.example'] OR [domain-name:value = 'B.example']"), // the same pattern, another version's facts
      hubIndicator({ kind: 'url', value: 'http://evil.example/x' }),
    ];
    for (const round of [1, 2]) {
      for (const indicator of indicators) {
        expect({ round, entries: read(indicator, 'amber', ['Op Mallory']) }).toEqual({ round, entries: feedEntriesOf(indicator, 'amber', ['Op Mallory']) });
      }
    }
  });
});
