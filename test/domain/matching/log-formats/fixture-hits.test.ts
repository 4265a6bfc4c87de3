import { normaliseIndicator, type IndicatorInput } from '../../../../src/domain/indicators';
import { createLogLineReader, createMatchIndex, type MatchEntry, type MatchIndex } from '../../../../src/domain/matching';
import { fixtureLines } from './fixture-reading';

/**
 * The fixtures read in 'auto' against an index of the shared values their README lists: every hit it
 * lists is found, none of its near misses is (the issue's: a subdomain matches, a longer host does not,
 * an address inside a shared CIDR matches, another path of a shared URL does not).
 */

const SHARED: readonly IndicatorInput[] = [
  { kind: 'email-sender-ip', value: '203.0.113.66' },
  { kind: 'c2-ip', value: '198.51.100.0/24' },
  { kind: 'c2-ip', value: '2001:db8:bad::66' },
  { kind: 'c2-hostname', value: 'evil-cdn.example' },
  { kind: 'c2-hostname', value: 'phish-mail.example' },
  { kind: 'url', value: 'http://downloads.bad-updates.example/payload/update.exe' },
  { kind: 'email-from', value: 'billing@invoice-portal.example' },
  { kind: 'email-subject', value: 'Invoice 2026-1182 overdue' },
  { kind: 'email-attachment-name', value: 'Invoice_2026-1182.pdf.exe' },
  { kind: 'file-hash', value: 'ba7103ca6967e65f269b986b0a0c644788a0a3989eb0856e846a23cc0a9b9690', algorithm: 'SHA-256' },
  { kind: 'file-hash', value: 'b04171aa3250cd01ed6bb0fcd8180f23', algorithm: 'MD5' },
];

const FILES = [
  'postfix-with-subjects.log', 'postfix-plain.log', 'exim-main.log', 'exchange-tracking.csv', 'squid-access.log',
  'nginx-combined.log', 'apache-combined.log', 'zeek-conn.log', 'zeek-dns.log', 'zeek-http.log', 'zeek-smtp.log',
  'zeek-files.log', 'iptables.log', 'nftables.log', 'ecs.ndjson', 'values.txt',
];

const NOW_MICROS = Date.UTC(2026, 11, 7) * 1000;

function sharedIndex(): MatchIndex {
  const index = createMatchIndex();
  SHARED.forEach((input, i) => {
    const result = normaliseIndicator(input);
    if (!result.ok) throw new Error(result.message);
    const id = `indicator--00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`;
    const { kind, value, algorithm } = result.indicator;
    const entry: MatchEntry = { indicatorId: id, kind, value, ...(algorithm === undefined ? {} : { algorithm }), collection: 'fixtures', tlp: 'green', campaigns: [] };
    index.put(id, [entry]);
  });
  return index;
}

interface Observed {
  readonly where: string;
  readonly observed: string;
  /** `how entry-value` of each hit. */
  readonly hits: string[];
}

/** Every observation of every fixture, with the hits it gives. */
function observeAll(): Observed[] {
  const index = sharedIndex();
  const all: Observed[] = [];
  for (const file of FILES) {
    const reader = createLogLineReader('auto');
    fixtureLines(file).forEach((line, i) => {
      reader.read(line, (kind, field, raw) => {
        const hits: string[] = [];
        index.lookup(kind, field, raw, NOW_MICROS, (hit) => hits.push(`${hit.how} ${hit.entry.value}`));
        all.push({ where: `${file}:${i + 1}`, observed: raw, hits });
      });
    });
  }
  return all;
}

describe('the fixtures against the shared values', () => {
  const observations = observeAll();
  const hitsOf = (observed: string) => observations.filter((o) => o.observed === observed).flatMap((o) => o.hits);

  test('a subdomain of a shared host matches, as a host and as the host of a URL', () => {
    expect(hitsOf('static.evil-cdn.example')).toEqual(['subdomain evil-cdn.example', 'subdomain evil-cdn.example']);
    expect(hitsOf('http://img.evil-cdn.example/banner.gif')).toEqual(['url-host evil-cdn.example', 'url-host evil-cdn.example']);
  });

  test('a longer host does not match', () => {
    for (const longer of ['notevil-cdn.example', 'evil-cdn.example.net', 'mx.evil-cdn.example.net', 'http://notevil-cdn.example/index.html', 'http://evil-cdn.example.net/', 'https://notevil-cdn.example/']) {
      expect(observations.some((o) => o.observed === longer)).toBe(true);
      expect(hitsOf(longer)).toEqual([]);
    }
  });

  test('an address inside a shared CIDR matches; one just outside does not', () => {
    expect(new Set(hitsOf('198.51.100.23'))).toEqual(new Set(['cidr 198.51.100.0/24']));
    for (const outside of ['198.51.101.23', '198.51.101.80', '198.51.101.200', '203.0.113.67', '2001:0db8:0bad:0000:0000:0000:0000:0067']) {
      expect(observations.some((o) => o.observed === outside)).toBe(true);
      expect(hitsOf(outside)).toEqual([]);
    }
  });

  test('another path of a shared URL does not match; the shared one does, however it was logged', () => {
    expect(hitsOf('http://downloads.bad-updates.example/payload/readme.txt')).toEqual([]);
    expect(observations.filter((o) => o.observed === 'http://downloads.bad-updates.example/payload/readme.txt')).toHaveLength(5);
    expect(observations.filter((o) => o.observed === 'http://downloads.bad-updates.example/payload/update.exe' && o.hits.length > 0).map((o) => o.where)).toEqual([
      'squid-access.log:1', 'nginx-combined.log:4', 'nginx-combined.log:7', 'apache-combined.log:2', 'zeek-http.log:9', 'ecs.ndjson:3', 'values.txt:8',
    ]);
  });

  test('the other near misses the README lists match nothing', () => {
    for (const miss of [
      'payroll@invoice-portal.example', 'billing@invoice-portal.example.org', 'ceo@notphish-mail.example', 'bounce@invoice-portal.example.org',
      'Invoice 2026-1183 overdue', 'Re: Invoice 2026-1183, "final" notice', 'Invoice_2026-1182.pdf', 'b04171aa3250cd01ed6bb0fcd8180f24',
      'http://www.corp.example/payload/update.exe',
    ]) {
      expect(observations.some((o) => o.observed === miss)).toBe(true);
      expect(hitsOf(miss)).toEqual([]);
    }
  });

  test('every hit, file by file (the README lists them)', () => {
    const found = observations.flatMap((o) => o.hits.map((hit) => `${o.where} ${hit.split(' ')[0] ?? ''} ${o.observed}`));
    expect(found).toEqual([
      'postfix-with-subjects.log:1 exact 203.0.113.66',
      'postfix-with-subjects.log:3 exact 203.0.113.66',
      'postfix-with-subjects.log:4 exact 203.0.113.66',
      'postfix-with-subjects.log:6 exact Invoice 2026-1182 overdue',
      'postfix-with-subjects.log:7 exact billing@invoice-portal.example',
      'postfix-with-subjects.log:8 exact Invoice_2026-1182.pdf.exe',
      'postfix-with-subjects.log:9 exact billing@invoice-portal.example',
      'postfix-with-subjects.log:13 cidr 198.51.100.23',
      'postfix-with-subjects.log:14 cidr 198.51.100.23',
      'postfix-with-subjects.log:15 exact Invoice 2026-1182 overdue',
      'postfix-with-subjects.log:17 email-domain ceo@phish-mail.example',
      'postfix-with-subjects.log:24 exact 2001:db8:bad::66',
      'postfix-with-subjects.log:25 exact 2001:db8:bad::66',
      'postfix-plain.log:1 exact 203.0.113.66',
      'postfix-plain.log:2 exact 203.0.113.66',
      'postfix-plain.log:4 exact billing@invoice-portal.example',
      'postfix-plain.log:10 cidr 198.51.100.200',
      'postfix-plain.log:11 cidr 198.51.100.200',
      'postfix-plain.log:12 email-domain ceo@phish-mail.example',
      'exim-main.log:1 exact billing@invoice-portal.example',
      'exim-main.log:1 exact 203.0.113.66',
      'exim-main.log:1 exact Invoice 2026-1182 overdue',
      'exim-main.log:2 exact billing@invoice-portal.example',
      'exim-main.log:4 email-domain ceo@phish-mail.example',
      'exim-main.log:4 cidr 198.51.100.23',
      'exim-main.log:4 exact Invoice 2026-1182 overdue',
      'exim-main.log:8 subdomain mx.img.evil-cdn.example',
      'exim-main.log:8 cidr 198.51.100.80',
      'exchange-tracking.csv:6 exact 203.0.113.66',
      'exchange-tracking.csv:6 exact Invoice 2026-1182 overdue',
      'exchange-tracking.csv:6 exact billing@invoice-portal.example',
      'exchange-tracking.csv:6 exact billing@invoice-portal.example',
      'exchange-tracking.csv:6 exact 203.0.113.66',
      'exchange-tracking.csv:7 exact Invoice 2026-1182 overdue',
      'exchange-tracking.csv:7 exact billing@invoice-portal.example',
      'exchange-tracking.csv:7 exact billing@invoice-portal.example',
      'exchange-tracking.csv:9 exact 2001:db8:bad::66',
      'exchange-tracking.csv:9 exact Invoice 2026-1182 overdue',
      'exchange-tracking.csv:9 email-domain ceo@phish-mail.example',
      'exchange-tracking.csv:9 email-domain ceo@phish-mail.example',
      'exchange-tracking.csv:9 cidr 198.51.100.23',
      'squid-access.log:1 exact http://downloads.bad-updates.example/payload/update.exe',
      'squid-access.log:3 url-host http://img.evil-cdn.example/banner.gif',
      'squid-access.log:3 cidr 198.51.100.80',
      'squid-access.log:4 subdomain static.evil-cdn.example',
      'squid-access.log:4 cidr 198.51.100.81',
      'squid-access.log:9 exact 2001:db8:bad::66',
      'squid-access.log:9 exact 2001:db8:bad::66',
      'nginx-combined.log:2 cidr 198.51.100.23',
      'nginx-combined.log:2 url-host http://img.evil-cdn.example/landing',
      'nginx-combined.log:4 exact 2001:db8:bad::66',
      'nginx-combined.log:4 exact http://downloads.bad-updates.example/payload/update.exe',
      'nginx-combined.log:5 subdomain static.evil-cdn.example',
      'nginx-combined.log:7 exact http://downloads.bad-updates.example/payload/update.exe',
      'apache-combined.log:1 exact 203.0.113.66',
      'apache-combined.log:2 cidr 198.51.100.23',
      'apache-combined.log:2 exact http://downloads.bad-updates.example/payload/update.exe',
      'apache-combined.log:4 url-host http://www.evil-cdn.example/mail',
      'zeek-conn.log:9 exact 203.0.113.66',
      'zeek-conn.log:10 cidr 198.51.100.80',
      'zeek-conn.log:12 exact 2001:db8:bad::66',
      'zeek-conn.log:23 cidr 198.51.100.200',
      'zeek-dns.log:9 subdomain img.evil-cdn.example',
      'zeek-dns.log:9 cidr 198.51.100.80',
      'zeek-dns.log:11 exact 2001:db8:bad::66',
      'zeek-dns.log:12 exact phish-mail.example',
      'zeek-http.log:9 exact http://downloads.bad-updates.example/payload/update.exe',
      'zeek-http.log:11 cidr 198.51.100.80',
      'zeek-http.log:11 subdomain img.evil-cdn.example',
      'zeek-http.log:11 url-host http://img.evil-cdn.example/banner.gif',
      'zeek-smtp.log:9 exact 203.0.113.66',
      'zeek-smtp.log:9 exact billing@invoice-portal.example',
      'zeek-smtp.log:9 exact billing@invoice-portal.example',
      'zeek-smtp.log:9 exact Invoice 2026-1182 overdue',
      'zeek-smtp.log:10 cidr 198.51.100.23',
      'zeek-smtp.log:10 email-domain ceo@phish-mail.example',
      'zeek-smtp.log:10 email-domain ceo@phish-mail.example',
      'zeek-smtp.log:10 exact Invoice 2026-1182 overdue',
      'zeek-smtp.log:10 cidr 198.51.100.23',
      'zeek-files.log:9 exact 203.0.113.66',
      'zeek-files.log:9 exact Invoice_2026-1182.pdf.exe',
      'zeek-files.log:9 exact B04171AA3250CD01ED6BB0FCD8180F23',
      'zeek-files.log:9 exact ba7103ca6967e65f269b986b0a0c644788a0a3989eb0856e846a23cc0a9b9690',
      'zeek-files.log:10 cidr 198.51.100.23',
      'iptables.log:1 exact 203.0.113.66',
      'iptables.log:2 cidr 198.51.100.23',
      'iptables.log:3 exact 2001:0db8:0bad:0000:0000:0000:0000:0066',
      'nftables.log:1 cidr 198.51.100.200',
      'nftables.log:2 exact 203.0.113.66',
      'ecs.ndjson:1 exact 203.0.113.66',
      'ecs.ndjson:2 cidr 198.51.100.23',
      'ecs.ndjson:3 exact http://downloads.bad-updates.example/payload/update.exe',
      'ecs.ndjson:5 subdomain img.evil-cdn.example',
      'ecs.ndjson:5 cidr 198.51.100.80',
      'ecs.ndjson:7 exact 203.0.113.66',
      'ecs.ndjson:7 exact billing@invoice-portal.example',
      'ecs.ndjson:7 exact Invoice 2026-1182 overdue',
      'ecs.ndjson:7 exact Invoice_2026-1182.pdf.exe',
      'ecs.ndjson:7 exact BA7103CA6967E65F269B986B0A0C644788A0A3989EB0856E846A23CC0A9B9690',
      'ecs.ndjson:9 exact b04171aa3250cd01ed6bb0fcd8180f23',
      'ecs.ndjson:11 exact 2001:0db8:0bad:0000:0000:0000:0000:0066',
      'values.txt:1 exact 203.0.113.66',
      'values.txt:2 cidr 198.51.100.23',
      'values.txt:4 exact 2001:0db8:0bad:0000:0000:0000:0000:0066',
      'values.txt:5 subdomain img.evil-cdn.example',
      'values.txt:8 exact http://downloads.bad-updates.example/payload/update.exe',
      'values.txt:10 exact billing@invoice-portal.example',
      'values.txt:11 email-domain ceo@phish-mail.example',
      'values.txt:12 exact BA7103CA6967E65F269B986B0A0C644788A0A3989EB0856E846A23CC0A9B9690',
    ]);
  });
});
