import { feedRenderer, type FeedEntry } from '../../../src/domain/feeds';
import { allocateSids, revOf, suricataContent, suricataMessage } from '../../../src/domain/feeds/suricata-syntax';
import { parseMicros } from '../../../src/domain/timestamps';
import { CONTEXT, entryOf, hostileEntries, rawHostileEntries } from './feed-fixtures';
import { contentBytes, parseSuricataRules, unquote, type ParsedRule } from './suricata-rule-grammar';

/** Suricata rules: every file the feed writes passes the rule-grammar checker, and each rule matches what the indicator says. */

const SURICATA = feedRenderer('suricata');
const rules = (entries: readonly FeedEntry[], context = CONTEXT): ParsedRule[] => parseSuricataRules(SURICATA.render(entries, context));
const contents = (rule: ParsedRule | undefined): [string | undefined, string, string][] =>
  (rule?.contents ?? []).map((c) => [c.buffer, c.bytes.toString('utf8'), c.modifiers.join(' ')]);

describe('suricata feed', () => {
  test('a C2 IP: one ip rule on traffic to or from it, with sid, rev and the indicator in metadata', () => {
    const entry = entryOf({ kind: 'c2-ip', value: '198.51.100.7' }, { campaigns: ['Op "Quote"; x'] });
    const [rule, ...others] = rules([entry]);
    expect(others).toEqual([]);
    expect(rule).toMatchObject({ action: 'alert', protocol: 'ip', source: 'any', sourcePort: 'any', direction: '<>', destination: '198.51.100.7', destinationPort: 'any' });
    expect(rule?.msg).toBe('Acme Hub C2 IP 198.51.100.7 (campaign Op "Quote"; x)');
    expect(rule?.rev).toBe(Math.floor((parseMicros('2026-02-03T04:05:06.123456Z') as number) / 1e6));
    expect(Object.fromEntries(rule?.metadata ?? [])).toEqual({
      taxii_hub_indicator: entry.indicatorId,
      taxii_hub_version: String(entry.version),
      tlp: 'amber',
      confidence: '80',
    });
  });

  test.each(['2001:db8::1', '2001:db8:abcd:12::/64', '203.0.113.0/24'])('the C2 IP %s is the rule destination', (value) => {
    expect(rules([entryOf({ kind: 'c2-ip', value })])[0]?.destination).toBe(value);
  });

  test('a C2 host name: exact matches of the DNS query, the TLS SNI and the HTTP Host', () => {
    const found = rules([entryOf({ kind: 'c2-hostname', value: 'Bücher.Example' })]);
    expect(found.map((rule) => [rule.protocol, ...contents(rule)])).toEqual([
      ['dns', ['dns.query', 'xn--bcher-kva.example', 'nocase startswith endswith']],
      ['tls', ['tls.sni', 'xn--bcher-kva.example', 'nocase startswith endswith']],
      ['http', ['http.host', 'xn--bcher-kva.example', 'startswith endswith']],
    ]);
    expect(new Set(found.map((rule) => rule.sid)).size).toBe(3);
  });

  test('a URL: the HTTP host and the raw URI (path and query) exactly; the fragment is never sent', () => {
    const [rule] = rules([entryOf({ kind: 'url', value: 'http://evil.example:8080/a;b"c\\d|e?q=1;x=\'y\'#frag' })]);
    expect(contents(rule)).toEqual([
      ['http.host', 'evil.example', 'startswith endswith'],
      ['http.uri.raw', "/a;b%22c/d|e?q=1;x=%27y%27", 'startswith endswith'],
    ]);
  });

  test('a URL with an IPv6 host and one with an IDN host', () => {
    const [v6, idn] = rules([entryOf({ kind: 'url', value: 'http://[2001:db8::2]/x' }), entryOf({ kind: 'url', value: 'https://bücher.example/ü' })]);
    expect(contents(v6)[0]?.[1]).toBe('[2001:db8::2]');
    expect(contents(idn)).toEqual([
      ['http.host', 'xn--bcher-kva.example', 'startswith endswith'],
      ['http.uri.raw', '/%C3%BC', 'startswith endswith'],
    ]);
  });

  test('an ftp URL has no HTTP rule; e-mail kinds have no Suricata rule', () => {
    expect(
      rules([
        entryOf({ kind: 'url', value: 'ftp://files.example/x' }),
        entryOf({ kind: 'email-from', value: 'eve@evil.example' }),
        entryOf({ kind: 'email-subject', value: 'Invoice' }),
        entryOf({ kind: 'email-sender-ip', value: '192.0.2.25' }),
      ]),
    ).toEqual([]);
  });

  test('file hashes: per algorithm Suricata has, one HTTP and one SMTP rule naming the hash list; SHA-512 has none', () => {
    const found = rules(hostileEntries().filter((entry) => entry.kind === 'file-hash'), { ...CONTEXT, suricata: { hashListPrefix: 'isac/../feed' } });
    expect(found.map((rule) => `${rule.protocol} ${rule.options.find((o) => o.name.startsWith('file'))?.name}:${rule.options.find((o) => o.name.startsWith('file'))?.value}`)).toEqual([
      'http filemd5:isac..feed-md5.list',
      'smtp filemd5:isac..feed-md5.list',
      'http filesha1:isac..feed-sha1.list',
      'smtp filesha1:isac..feed-sha1.list',
      'http filesha256:isac..feed-sha256.list',
      'smtp filesha256:isac..feed-sha256.list',
    ]);
  });

  test('the hostile set: every rule is grammatical, every content matches exactly the value, every msg reads back', () => {
    const entries = hostileEntries();
    const found = rules(entries);
    expect(found.length).toBeGreaterThan(20);
    for (const rule of found) {
      const indicatorId = rule.metadata.get('taxii_hub_indicator');
      if (indicatorId === undefined) continue; // a hash-list rule
      const entry = entries.find((e) => e.indicatorId === indicatorId) as FeedEntry;
      const text = contents(rule).map(([, bytes]) => bytes);
      if (entry.kind === 'c2-hostname') expect(text).toEqual([entry.value]);
      if (entry.kind === 'url') {
        const url = new URL(entry.value);
        expect(text).toEqual([url.hostname, `${url.pathname}${url.search}`]);
      }
      expect(rule.msg).toContain(entry.value.length > 150 ? entry.value.slice(0, 100) : entry.value);
    }
  });

  test('two collections\' feeds load side by side: hash lists and their sids differ', () => {
    const hashes = hostileEntries().filter((entry) => entry.kind === 'file-hash');
    const first = rules(hashes, { ...CONTEXT, collection: 'isac-feed' });
    const second = rules(hashes, { ...CONTEXT, collection: 'partner feed' });
    expect(first[0]?.options.find((o) => o.name === 'filemd5')?.value).toBe('taxii-hub-isac-feed-md5.list');
    expect(second[0]?.options.find((o) => o.name === 'filemd5')?.value).toBe('taxii-hub-partnerfeed-md5.list');
    const sids = [...first, ...second].map((rule) => rule.sid);
    expect(new Set(sids).size).toBe(sids.length);
  });

  test('entries a caller did not normalise cannot break the file: every rule stays grammatical, bad addresses get no rule', () => {
    const found = rules(rawHostileEntries());
    expect(found.filter((rule) => rule.protocol === 'ip')).toEqual([]);
    expect(found.length).toBeGreaterThan(0);
  });

  test('a hostile hub name or collection cannot end the msg, add an option or start a rule', () => {
    const context = { ...CONTEXT, hubName: 'Hub"; sid:1; rev:1; msg:"x\\', collection: 'c\nalert ip any any -> any any (sid:2;)' };
    const found = rules([entryOf({ kind: 'c2-ip', value: '198.51.100.7' })], context);
    expect(found).toHaveLength(1);
    expect(found[0]?.msg).toBe('Hub"; sid:1; rev:1; msg:"x\\ C2 IP 198.51.100.7');
    expect(found[0]?.sid).not.toBe(1);
  });

  test('sids are stable: the same rule keeps its sid when other indicators come and go', () => {
    const base = hostileEntries();
    const keyOf = (rule: ParsedRule): string =>
      `${rule.metadata.get('taxii_hub_indicator') ?? rule.metadata.get('taxii_hub_hash_list')} ${rule.protocol} ${rule.contents[0]?.buffer} ${rule.destination}`;
    const before = new Map(rules(base).map((rule) => [keyOf(rule), rule.sid]));
    expect(before.size).toBe(rules(base).length);
    const more = [...base.slice(3), entryOf({ kind: 'c2-hostname', value: 'new.example' }), entryOf({ kind: 'c2-ip', value: '192.0.2.200' })];
    for (const rule of rules(more)) {
      const key = keyOf(rule);
      if (before.has(key)) expect(rule.sid).toBe(before.get(key));
    }
  });

  test('sids stay in the configured range and are unique even when the range forces collisions', () => {
    const entries = Array.from({ length: 10 }, (_, i) => entryOf({ kind: 'c2-hostname', value: `c2-${i}.example` }));
    const found = rules(entries, { ...CONTEXT, suricata: { sidBase: 5_000_000, sidCount: 30 } });
    expect(found).toHaveLength(30);
    expect(new Set(found.map((rule) => rule.sid)).size).toBe(30);
    expect(found.every((rule) => rule.sid >= 5_000_000 && rule.sid < 5_000_030)).toBe(true);
    expect(() => SURICATA.render(entries, { ...CONTEXT, suricata: { sidBase: 5_000_000, sidCount: 29 } })).toThrow(/more than 29 rules do not fit in a range of 29 sids/);
    expect(() => allocateSids(['a'], 2 ** 31 - 1, 2)).toThrow(/goes past 2147483647/);
  });

  test('rev follows the version: a later version never has a lower rev', () => {
    expect(revOf(parseMicros('2026-02-03T04:05:07Z') as number)).toBeGreaterThan(revOf(parseMicros('2026-02-03T04:05:06.999999Z') as number));
    expect(revOf(0)).toBe(1);
  });

  test('content encoding: printable text as is, everything that could end an option or a rule in hex', () => {
    expect(suricataContent('a;b"c\\d|e:f g\u00fc')).toBe('a|3B|b|22|c|5C|d|7C|e|3A|f|20|g|C3 BC|');
    expect(contentBytes(1, `"${suricataContent('a;b"c\\d|e:f g\u00fc\n')}"`).toString('utf8')).toBe('a;b"c\\d|e:f g\u00fc\n');
    expect(unquote(1, `"${suricataMessage('say "hi"; \\o/')}"`)).toBe('say "hi"; \\o/');
    expect(suricataMessage('tab\tnew\nline \u00fc')).toBe('tab new line ?');
  });

  test('the grammar checker refuses what Suricata refuses', () => {
    const bad = [
      'alert ip any any -> any any (msg:"a"b"; sid:1; rev:1;)',
      'alert ip any any -> any any (msg:"a"; sid:1; rev:1; content:"x;y";)',
      'alert ip any any -> any any (msg:"a"; sid:1; rev:1; content:"|3G|";)',
      'alert ip any any -> any any (msg:"a"; sid:1; rev:1; content:"|3B";)',
      'alert ip any any -> any any (msg:"a"; sid:1; rev:1; nocase;)',
      'alert ip any any -> any any (msg:"a"; sid:1; rev:1; dns.query;)',
      'alert ip any any -> any any (msg:"a"; rev:1;)',
      'alert ip any any -> 300.1.1.1 any (msg:"a"; sid:1; rev:1;)',
      'alert ip any any -> any any (msg:"a"; sid:1; rev:1; metadata:a b; c;)',
      'alert http any any -> any any (msg:"a"; sid:1; rev:1; http.host; content:"Evil.example";)',
      'alert ip any any -> any any (msg:"a"; sid:1; rev:1)',
    ];
    for (const rule of bad) expect(() => parseSuricataRules(`${rule}\n`)).toThrow(/rule line 1/);
    expect(() => parseSuricataRules('alert ip any any -> any any (msg:"a"; sid:1; rev:1;)\nalert ip any any -> any any (msg:"b"; sid:1; rev:1;)\n')).toThrow(/sid 1 used twice/);
  });
});
