import { domainToUnicode } from 'node:url';
import { normaliseIndicator, type IndicatorInput } from '../../../src/domain/indicators';
import { createMatchIndex, type MatchEntry, type MatchHit, type MatchIndex, type ObservationKind } from '../../../src/domain/matching';
import { referenceLookup } from './match-index-reference';
import { seededRandom as random } from '../../../src/bench/seeded-random';

/**
 * The index against the matching rules written the slow, obvious way (match-index-reference.ts, on the
 * hub's own normalisation): the same hits for the many ways a log writes a shared value, for near
 * misses, for every value read as every kind, and for hostile input (which never throws).
 */

const NOW = Date.parse('2026-12-01T00:00:00Z') * 1000;
const KINDS: readonly ObservationKind[] = ['ip', 'host', 'url', 'email', 'subject', 'filename', 'hash'];


const rnd = random(14);
const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)] as T;
const int = (n: number): number => Math.floor(rnd() * n);

let counter = 0;
function entryOf(input: IndicatorInput, extra: Partial<MatchEntry> = {}): MatchEntry {
  const result = normaliseIndicator(input);
  if (!result.ok) throw new Error(`refused ${JSON.stringify(input)}: ${result.message}`);
  counter += 1;
  const { kind, value, algorithm } = result.indicator;
  return {
    indicatorId: `indicator--${counter.toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`,
    kind,
    value,
    ...(algorithm === undefined ? {} : { algorithm }),
    collection: 'isac-feed',
    tlp: 'amber',
    campaigns: [],
    ...extra,
  };
}

// ---- the shared values ----

const v4 = (): number[] => [int(223) + 1, int(256), int(256), int(256)];
const v6 = (): number[] => Array.from({ length: 8 }, () => pick([0, 0, 0, 1, 0xffff, int(0x10000), int(0x10000), int(0x10000)]));
const fmtV6 = (groups: readonly number[]): string => groups.map((g) => g.toString(16)).join(':');

function ipv6Forms(groups: readonly number[]): string[] {
  const plain = fmtV6(groups);
  const padded = groups.map((g) => g.toString(16).padStart(4, '0')).join(':');
  const forms = [plain, padded, padded.toUpperCase(), `[${plain}]`, `[${padded}]:443`, `${plain}%eth0`];
  for (let start = 0; start < 8; start++) {
    let end = start;
    while (end < 8 && groups[end] === 0) end++;
    if (end > start) forms.push(`${fmtV6(groups.slice(0, start))}::${fmtV6(groups.slice(end))}`.toUpperCase());
  }
  const low = ((groups[6] as number) << 16) | (groups[7] as number);
  forms.push(`${fmtV6(groups.slice(0, 6))}:${[24, 16, 8, 0].map((s) => (low >>> s) & 255).join('.')}`);
  return forms;
}

const ipv4Values = Array.from({ length: 40 }, () => v4().join('.'));
const ipv4Networks = Array.from({ length: 40 }, () => {
  const length = 8 + int(24);
  const address = v4().reduce((sum, o) => sum * 256 + o, 0);
  const size = 2 ** (32 - length);
  const network = Math.floor(address / size) * size;
  return `${[24, 16, 8, 0].map((s) => Math.floor(network / 2 ** s) % 256).join('.')}/${length}`;
});
const ipv6Values = Array.from({ length: 40 }, () => v6());
const ipv6Networks = Array.from({ length: 30 }, () => {
  const groups = v6();
  const length = 16 + int(112);
  return `${fmtV6(groups.map((g, i) => (i * 16 >= length ? 0 : i * 16 + 16 <= length ? g : g & (0xffff << (16 - (length - i * 16)))) & 0xffff))}/${length}`;
});
const hostValues = ['evil.example', 'c2.bad-actor.net', '_dmarc.under_score.example', 'bücher.example', 'пример.испытание', 'straße.example', 'a-b.co.uk', '32.7.100.51.198.rpz-ip'];
const urlValues = [
  'http://gate.example/panel/login.php?id=1',
  'https://bücher.example:8443/pfad/ü?q=a%20b',
  'http://[2001:db8::2]/x',
  'http://198.51.100.8:8080/gate.php?id=1|2',
  'ftp://files.evil.example/payload.bin',
  'https://cdn.example/a/b.js#frag',
  'https://user:pw@login.example/x',
  'http://dot.example./',
];
const emailValues = ['eve@phish.example', 'Mixed.Case@Evil.Example', "=cmd|'/c_calc'!a@bücher.example", '#root+x@evil.example'];
const subjectValues = ['Invoice #42 (urgent)', 'Rechnung für Sie — 請求書', 'tab\tseparated  and  spaced'];
const filenameValues = ['invoice.pdf.exe', 'résumé.docm', '(empty)'];
const hashValues = [
  ['MD5', 'd41d8cd98f00b204e9800998ecf8427e'],
  ['SHA-1', 'da39a3ee5e6b4b0d3255bfef95601890afd80709'],
  ['SHA-256', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
  ['SHA3-256', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
] as const;

const inputs: IndicatorInput[] = [
  ...ipv4Values.map((value) => ({ kind: 'c2-ip' as const, value })),
  ...ipv4Networks.map((value) => ({ kind: 'email-sender-ip' as const, value })),
  ...ipv6Values.map((groups) => ({ kind: 'c2-ip' as const, value: fmtV6(groups) })),
  ...ipv6Networks.map((value) => ({ kind: 'c2-ip' as const, value })),
  { kind: 'c2-ip', value: '::ffff:198.51.100.9' },
  { kind: 'c2-ip', value: '::ffff:203.0.113.0/120' },
  { kind: 'c2-ip', value: '::/64' },
  { kind: 'c2-ip', value: '192.0.2.0/24' },
  { kind: 'email-sender-ip', value: '192.0.2.0/24' },
  ...hostValues.map((value) => ({ kind: 'c2-hostname' as const, value })),
  ...urlValues.map((value) => ({ kind: 'url' as const, value })),
  ...emailValues.map((value) => ({ kind: 'email-from' as const, value })),
  ...subjectValues.map((value) => ({ kind: 'email-subject' as const, value })),
  ...filenameValues.map((value) => ({ kind: 'email-attachment-name' as const, value })),
  ...hashValues.map(([algorithm, value]) => ({ kind: 'file-hash' as const, value, algorithm })),
];
const entries = inputs.map((input, i) => entryOf(input, i % 7 === 3 ? { validUntilMicros: NOW - 1 } : i % 5 === 0 ? { validUntilMicros: NOW + 1 } : {}));

// ---- how logs write them ----

function hostForms(host: string): string[] {
  const ascii = normaliseIndicator({ kind: 'c2-hostname', value: host });
  const punycode = ascii.ok ? ascii.indicator.value : host;
  const unicode = domainToUnicode(punycode);
  return [host, punycode, unicode, unicode.toUpperCase(), unicode.normalize('NFD'), `${punycode}.`, punycode.toUpperCase(), `a.b.${unicode}`, `WWW.${punycode}.`, `x${punycode}`, `${punycode}.org`, punycode.slice(1), `${punycode}:8080`, `[${punycode}]`, `.${punycode}`, `a..${punycode}`, `-a.${punycode}`, `xn--zz.${punycode}`, `${'a'.repeat(64)}.${punycode}`];
}

function urlForms(url: string): string[] {
  const canonical = normaliseIndicator({ kind: 'url', value: url });
  const value = canonical.ok ? canonical.indicator.value : url;
  const [scheme = '', rest = ''] = value.split('://');
  const slash = rest.indexOf('/');
  const authority = rest.slice(0, slash);
  const path = rest.slice(slash);
  return [
    url,
    value,
    `${scheme.toUpperCase()}://${authority.toUpperCase()}${path}`,
    `${scheme}://${authority}:${scheme === 'https' ? 443 : scheme === 'ftp' ? 21 : 80}${path}`,
    `${scheme}://${authority}${path.replace(/[a-z]/, (c) => `%${c.charCodeAt(0).toString(16)}`)}`,
    `${scheme}://${authority}/./${path.slice(1)}`,
    `${scheme}://${authority}/x/..${path}`,
    `${scheme}://${authority}${path}#fragment`,
    `${scheme}://someone@${authority}${path}`,
    `${scheme}://${authority}.${path}`,
    `${scheme}://${authority}${path}x`,
    `${scheme}://${authority}${path}?other=1`,
    `${scheme}://sub.${authority}/`,
    `${scheme}:${authority}${path}`,
    `${scheme}://${authority}\\${path.slice(1)}`,
    `${authority}:443`,
    `${authority}${path}`,
    `${scheme}://${authority}${path} extra`,
    value.replace(/%([0-9A-F]{2})/g, (_e, hex: string) => `%${hex.toLowerCase()}`),
  ];
}

function emailForms(address: string): string[] {
  const at = address.lastIndexOf('@');
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  return [address, `<${address}>`, `${local}@${domain.toUpperCase()}`, `${local.toUpperCase()}@${domain}`, `${local}@mail.${domain}`, `${local}@${domain}.`, `${local}@[198.51.100.8]`, `"${local}"@${domain}`, `${local}@${domain}x`, `@${domain}`, `${local}@`];
}

const observations = new Set<string>([
  ...ipv4Values.flatMap((a) => [a, `[${a}]`, `::ffff:${a}`, `::FFFF:${a}`, a.replace(/^(\d+)/, '0$1'), a.replace(/(\d+)$/, '00$1'), `${a}:25`, `${a}.`, `${a}/32`, `${a} `]),
  ...ipv4Networks.flatMap((n) => {
    const [address = ''] = n.split('/');
    const octets = address.split('.').map(Number);
    return [address, `${octets.slice(0, 3).join('.')}.${(octets[3] as number) + 1}`, `${octets[0]}.${octets[1]}.${(octets[2] as number) ^ 1}.${octets[3]}`, `${(octets[0] as number) ^ 128}.${octets.slice(1).join('.')}`, n];
  }),
  ...ipv6Values.flatMap(ipv6Forms),
  ...ipv6Networks.flatMap((n) => {
    const groups = (normaliseIndicator({ kind: 'c2-ip', value: n.split('/')[0] as string }).ok ? n.split('/')[0] as string : '::').split(':');
    return [n.split('/')[0] as string, `${groups.join(':')}`.replace(/::$/, '::1'), `${n.split('/')[0]}`.replace(/^([0-9a-f]+)/, (g) => (parseInt(g, 16) ^ 1).toString(16))];
  }),
  '::ffff:198.51.100.9', '198.51.100.9', '::ffff:c633:6409', '203.0.113.77', '::ffff:203.0.113.77', '::ffff:1.2.3.4', '0:0:0:0:0:ffff:0:1', '192.0.2.1', '::ffff:010.1.1.1',
  ...hostValues.flatMap(hostForms),
  ...urlValues.flatMap(urlForms),
  // IPv4 hosts as a URL parser reads them: octal, hex, one number.
  'http://198.51.100.010:8080/gate.php?id=1|2', 'http://0xc6.51.100.8:8080/gate.php?id=1|2', 'http://3325256712:8080/gate.php?id=1|2', 'http://198.51.100.08:8080/x', 'http://[::ffff:198.51.100.8]:8080/gate.php?id=1|2',
  ...emailValues.flatMap(emailForms),
  ...subjectValues.flatMap((s) => [s, ` ${s}`, s.toLowerCase(), `${s} `]),
  ...filenameValues.flatMap((f) => [f, f.toUpperCase(), `"${f}"`]),
  ...hashValues.flatMap(([, h]) => [h, h.toUpperCase(), `${h.slice(0, 10).toUpperCase()}${h.slice(10)}`, h.slice(1), ` ${h} `, `${h}0`]),
]);

const FRAGMENTS = ['evil', '.example', 'example', '.', '..', '[', ']', ':', '::', '%', '@', '/', '//', '\\', '?', '#', 'ü', 'Ü', 'xn--', '-', '_', '0', '1', '255', '256', '198.51.100.', '2001:db8', 'ffff', 'http', 'https://', 'HTTP://', ' ', '\t', '\u0000', '\ud800', '\u{1F600}', '<', '>', 'eve', '%2e', '0x7f', '.1', '*', ',', ';', '\u3002', '１'];
const hostile = Array.from({ length: 3000 }, () => Array.from({ length: 1 + int(12) }, () => pick(FRAGMENTS)).join(''));

// ---- the comparison ----

function hitsOf(index: MatchIndex, kind: ObservationKind, raw: string): string[] {
  const found: MatchHit[] = [];
  index.lookup(kind, 'f', raw, NOW, (hit) => found.push(hit));
  return found.map((hit) => `${hit.how} ${hit.entry.indicatorId} ${hit.entry.value}`).sort();
}

function expectedOf(kind: ObservationKind, raw: string): string[] {
  return referenceLookup(entries, kind, raw, NOW)
    .map((found) => `${found.how} ${found.entry.indicatorId} ${found.entry.value}`)
    .sort();
}

describe('the index agrees with the hub normalisation', () => {
  const index = createMatchIndex();
  for (const entry of entries) index.put(entry.indicatorId, [entry]);

  test('the forms of shared values, near misses, and every value read as every kind', () => {
    let hits = 0;
    const disagreements: string[] = [];
    for (const raw of observations) {
      for (const kind of KINDS) {
        const actual = hitsOf(index, kind, raw);
        const expected = expectedOf(kind, raw);
        hits += expected.length;
        if (JSON.stringify(actual) !== JSON.stringify(expected)) disagreements.push(`${kind} ${JSON.stringify(raw)}: got ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
      }
    }
    expect(disagreements.slice(0, 20)).toEqual([]);
    expect(hits).toBeGreaterThan(observations.size / 2); // the forms do hit, not only miss
  });

  test('hostile input never throws and hits only what the rules say', () => {
    const disagreements: string[] = [];
    for (const raw of [...hostile, '', ' ', '[', '[]', '[:]', ':', '@', '<>', '.', `${'1.'.repeat(50_000)}1`, 'a'.repeat(100_000), `http://${'a.'.repeat(30_000)}evil.example/`, `${'ff:'.repeat(1000)}`, '\ud800@evil.example']) {
      for (const kind of KINDS) {
        const actual = hitsOf(index, kind, raw);
        const expected = expectedOf(kind, raw);
        if (JSON.stringify(actual) !== JSON.stringify(expected)) disagreements.push(`${kind} ${JSON.stringify(raw).slice(0, 200)}: got ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
      }
    }
    expect(disagreements.slice(0, 20)).toEqual([]);
  });
});
