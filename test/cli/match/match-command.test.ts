import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { cli } from '../../support/cli-run';
import { DEMO_COLLECTIONS } from '../../support/demo-config';
import { runningHubForCli } from '../../support/running-hub-cli';
import { demoAuth } from '../../http/support/demo-config-hub';

/**
 * `taxii-hub match` against a running hub (demo configuration): alice (ACME head office) shares
 * indicators in acme-internal; bob (ACME East, a branch under it) syncs his mirror and scans his logs.
 */

const { remote, as } = runningHubForCli('hub-cli-match-', ['TAXII_HUB_MIRROR']);
const FIXTURES = path.join(__dirname, '..', '..', 'domain', 'matching', 'fixtures');
const fixture = (name: string) => path.join(FIXTURES, name);
const COLLECTION = DEMO_COLLECTIONS.acmeInternal;

let scratch: string;
let mirror: string;
/** Indicator ids by the letter the tests call them. */
const ids: Record<string, string> = {};

async function api(user: string, method: string, urlPath: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${remote[1]}${urlPath}`, {
    method,
    headers: { Authorization: demoAuth(user), ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, json: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

async function share(indicators: Record<string, { kind: string; value: string; algorithm?: string }>): Promise<void> {
  const letters = Object.keys(indicators);
  const answer = await api('alice', 'POST', '/api/submissions', {
    collection: COLLECTION,
    campaign: 'Operation Paper Cut',
    valid_from: new Date(Date.now() - 86_400_000).toISOString(), // e-mail kinds stay valid 30 days from it
    intentional: true, // documentation addresses and names, as in every fixture
    indicators: letters.map((letter) => indicators[letter]),
  });
  expect(answer.status).toBe(200);
  (answer.json.indicators as { id: string }[]).forEach((item, i) => (ids[letters[i] as string] = item.id));
}

beforeAll(async () => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'match-cli-'));
  mirror = path.join(scratch, 'mirror');
  // The shared values of the fixtures (test/domain/matching/fixtures/README.md).
  await share({
    senderIp: { kind: 'email-sender-ip', value: '203.0.113.66' },
    c2Range: { kind: 'c2-ip', value: '198.51.100.0/24' },
    c2V6: { kind: 'c2-ip', value: '2001:db8:bad::66' },
    c2Host: { kind: 'c2-hostname', value: 'evil-cdn.example' },
    phishDomain: { kind: 'c2-hostname', value: 'phish-mail.example' },
    url: { kind: 'url', value: 'http://downloads.bad-updates.example/payload/update.exe' },
    sender: { kind: 'email-from', value: 'billing@invoice-portal.example' },
    subject: { kind: 'email-subject', value: 'Invoice 2026-1182 overdue' },
    attachment: { kind: 'email-attachment-name', value: 'Invoice_2026-1182.pdf.exe' },
    sha256: { kind: 'file-hash', value: 'ba7103ca6967e65f269b986b0a0c644788a0a3989eb0856e846a23cc0a9b9690', algorithm: 'SHA-256' },
    md5: { kind: 'file-hash', value: 'b04171aa3250cd01ed6bb0fcd8180f23', algorithm: 'MD5' },
  });
  // bob's first sync, so that every test can also scan offline on its own.
  const empty = path.join(scratch, 'empty.log');
  fs.writeFileSync(empty, '');
  as('bob');
  expect(await cli(['match', '--quiet', '--mirror', mirror, empty, ...remote])).toMatchObject({ code: 0, err: '' });
});
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

interface HitJson {
  input: string;
  line: number;
  field: string;
  value: string;
  indicator: string;
  kind: string;
  collection: string;
  collection_alias?: string;
  tlp: string;
  campaigns: string[];
  provider?: string;
  how: string;
  time: string;
  time_from: string;
}

/** `Dec  6 h:m:s` as the readers take a syslog time without a year: local time, in the year that puts it at or before now. */
function syslogTime(hours: number, minutes: number, seconds: number): string {
  const year = new Date().getFullYear();
  const at = (y: number) => new Date(y, 11, 6, hours, minutes, seconds);
  return (at(year).getTime() <= Date.now() ? at(year) : at(year - 1)).toISOString();
}

const hitsOf = (out: string): HitJson[] => out.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as HitJson);
/** `line field letter` for each hit, to compare with what a fixture holds. */
const summary = (hits: HitJson[]) => hits.map((h) => `${h.line} ${h.field} ${Object.keys(ids).find((k) => ids[k] === h.indicator) ?? h.indicator}`);
const offline = (...args: string[]) => cli(['match', '--no-sync', '--mirror', mirror, ...args]);

test('bob syncs and finds the shared sender in a Postfix log: the table names file and line, the exit code is 1', async () => {
  as('bob');
  const run = await cli(['match', fixture('postfix-with-subjects.log'), '--mirror', mirror, ...remote]);
  expect(run.code).toBe(1);
  const rows = run.out.split('\n');
  expect(rows[0]).toMatch(/^WHERE\s+FIELD\s+VALUE\s+INDICATOR\s+KIND\s+COLLECTION\s+TLP\s+CAMPAIGN\s+PROVIDER\s+HOW$/);
  // The summary and the sync on standard error, nothing else.
  expect(run.err).toMatch(/^synced ACME internal \(948f89cd-d3ab-4b2e-bb60-bdffe702b793\): 0 objects read, 0 removed$/m); // nothing new since the first sync
  expect(run.err).toMatch(/^the mirror holds 11 indicators$/m);
  expect(run.err).toMatch(/^29 lines read in 1 input: \d+ hits \(\d+\.\d s\)$/m);
  const row = rows.find((r) => r.startsWith(`${fixture('postfix-with-subjects.log')}:3 `));
  expect(row?.split(/\s{2,}/)).toEqual([`${fixture('postfix-with-subjects.log')}:3`, 'client-ip', '203.0.113.66', ids.senderIp, 'email-sender-ip', 'acme-internal', 'AMBER', 'Operation Paper Cut', 'ACME Holdings', 'exact']);
});

test('a clean log gives no hit and exit code 0', async () => {
  const clean = path.join(scratch, 'clean.log');
  fs.writeFileSync(clean, 'Dec  6 10:00:01 mx1 postfix/smtpd[1]: connect from mail.example.org[192.0.2.200]\nDec  6 10:00:01 mx1 postfix/qmgr[2]: 4QX: from=<ceo@notphish-mail.example>, size=1, nrcpt=1 (queue active)\n');
  as('bob');
  const run = await cli(['match', clean, '--mirror', mirror, ...remote]);
  expect(run).toMatchObject({ code: 0, out: '' });
  expect(run.err).toContain('2 lines read in 1 input: 0 hits');
});

test('--json gives one object per hit, with where, what and how', async () => {
  const run = await offline('--json', fixture('postfix-with-subjects.log'));
  expect(run.code).toBe(1);
  const hits = hitsOf(run.out);
  expect(hits.find((h) => h.line === 13)).toEqual({
    input: fixture('postfix-with-subjects.log'),
    line: 13,
    field: 'client-ip',
    value: '198.51.100.23',
    observed_as: 'ip',
    indicator: ids.c2Range,
    kind: 'c2-ip',
    indicator_value: '198.51.100.0/24',
    collection: COLLECTION,
    collection_alias: 'acme-internal',
    tlp: 'amber',
    campaigns: ['Operation Paper Cut'],
    provider: 'ACME Holdings', // acme-internal names its providers (attribution: attributed)
    how: 'cidr',
    time: syslogTime(10, 4, 17),
    time_from: 'line',
  });
  // A near miss: a longer domain than the shared one is not it (line 25 hits by its IPv6 client alone).
  expect(hits.filter((h) => h.line === 25).map((h) => `${h.field} ${h.how}`)).toEqual(['client-ip exact']);
});

test('standard input ("-") is scanned like a file, named "-"', async () => {
  const original = Object.getOwnPropertyDescriptor(process, 'stdin');
  Object.defineProperty(process, 'stdin', { configurable: true, value: Readable.from([fs.readFileSync(fixture('squid-access.log'))]) });
  try {
    const run = await offline('--json', '-');
    expect(run.code).toBe(1);
    const hits = hitsOf(run.out);
    expect(hits.every((h) => h.input === '-')).toBe(true);
    expect(summary(hits)).toEqual(expect.arrayContaining(['1 url url', '3 url c2Host', '4 url c2Host']));
  } finally {
    if (original) Object.defineProperty(process, 'stdin', original);
  }
});

test('a folder is scanned recursively, gzip files decompressed, each hit naming its file', async () => {
  const logs = path.join(scratch, 'var-log');
  fs.mkdirSync(path.join(logs, 'mail'), { recursive: true });
  fs.writeFileSync(path.join(logs, 'mail', 'mail.log.2.gz'), zlib.gzipSync(fs.readFileSync(fixture('postfix-plain.log'))));
  fs.copyFileSync(fixture('squid-access.log'), path.join(logs, 'access.log'));
  fs.writeFileSync(path.join(logs, 'mail', 'empty.log'), '');
  // A binary file, as /var/log holds (wtmp), even one naming a shared address, is skipped, not an error.
  fs.writeFileSync(path.join(logs, 'wtmp'), Buffer.concat([Buffer.alloc(64), Buffer.from('203.0.113.66\n')]));
  const run = await offline('--json', logs);
  expect(run.code).toBe(1);
  const inputs = new Set(hitsOf(run.out).map((h) => path.relative(logs, h.input)));
  expect([...inputs].sort()).toEqual(['access.log', 'mail/mail.log.2.gz']);
  expect(run.err).toContain(`${path.join(logs, 'wtmp')}: skipped, not a text log (binary)`);
  expect(run.err).toMatch(/in 4 inputs: \d+ hits \(\d+\.\d s\)$/m);
  const gz = hitsOf(run.out).filter((h) => h.input.endsWith('.gz'));
  expect(summary(gz)).toEqual(expect.arrayContaining(['1 client-ip senderIp', '4 envelope-from sender', '12 envelope-from phishDomain']));
});

test('--no-sync scans offline with the mirror as last synced: a later indicator is found only after a sync', async () => {
  await share({ lateHost: { kind: 'c2-hostname', value: 'partner.example' } });
  as(undefined); // no credentials: the hub cannot be asked (a HUB_URL set for other commands does not matter)
  process.env.HUB_URL = remote[1];
  const before = await offline('--json', fixture('squid-access.log'));
  expect(before.code).toBe(1);
  expect(summary(hitsOf(before.out)).some((s) => s.endsWith('lateHost'))).toBe(false);
  as('bob');
  const after = await cli(['match', '--json', '--mirror', mirror, fixture('squid-access.log'), ...remote]);
  expect(summary(hitsOf(after.out))).toContain('11 url lateHost');
  await api('alice', 'POST', `/api/collections/${COLLECTION}/indicators/${ids.lateHost}/revoke`, { reason: 'a partner' });
  const revoked = await cli(['match', '--json', '--mirror', mirror, fixture('squid-access.log'), ...remote]);
  expect(summary(hitsOf(revoked.out)).some((s) => s.endsWith('lateHost'))).toBe(false);
});

/**
 * The lines of each fixture where the fixtures' README says a shared value is found: its "Hits" table,
 * `name 1,3,4 (comment); other 6` per row. Every other line must give no hit (the near misses).
 */
function hitLinesOfReadme(): Map<string, Set<number>> {
  const readme = fs.readFileSync(fixture('README.md'), 'utf8');
  const table = readme.slice(readme.indexOf('## Hits'), readme.indexOf('## Near misses'));
  const lines = new Map<string, Set<number>>();
  for (const row of table.split('\n').filter((r) => r.startsWith('|')).slice(2)) {
    const where = row.split('|').at(-2) ?? '';
    for (const part of where.split(';')) {
      const [, name, numbers] = /^\s*([a-z0-9-]+)\s+(.*)$/.exec(part) ?? [];
      if (name === undefined || numbers === undefined) continue;
      const set = lines.get(name) ?? new Set<number>();
      for (const n of numbers.replace(/\([^)]*\)/g, '').match(/\d+/g) ?? []) set.add(Number(n));
      lines.set(name, set);
    }
  }
  return lines;
}

const FORMAT_OF: Record<string, string> = {
  'postfix-with-subjects': 'postfix', 'postfix-plain': 'postfix', 'exim-main': 'exim', 'exchange-tracking': 'exchange', 'squid-access': 'squid',
  'nginx-combined': 'nginx', 'apache-combined': 'apache', 'zeek-conn': 'zeek', 'zeek-dns': 'zeek', 'zeek-http': 'zeek', 'zeek-smtp': 'zeek',
  'zeek-files': 'zeek', iptables: 'iptables', nftables: 'nftables', ecs: 'ecs', values: 'values',
};
const FIXTURE_FILES = fs.readdirSync(FIXTURES).filter((name) => name !== 'README.md').sort();
const README_HITS = hitLinesOfReadme();

test('every fixture has its format and its hits in the README', () => {
  expect(FIXTURE_FILES.map((name) => name.replace(/\.[a-z]+$/, '')).filter((base) => FORMAT_OF[base] === undefined || !README_HITS.has(base))).toEqual([]);
});

describe.each(FIXTURE_FILES.map((file) => ({ file, base: file.replace(/\.[a-z]+$/, '') })))('the fixture $file', ({ file, base }) => {
  test.each(['auto', FORMAT_OF[base] ?? 'auto'])('--format %s finds a hit on every line the README lists, and on no other line', async (chosen) => {
    const run = await offline('--json', '--format', chosen, fixture(file));
    expect(run.err).toMatch(/ lines read in 1 input: \d+ hits/);
    expect(run.code).toBe(1);
    const lines = [...new Set(hitsOf(run.out).map((h) => h.line))].sort((a, b) => a - b);
    expect(lines).toEqual([...(README_HITS.get(base) ?? [])].sort((a, b) => a - b));
  });
});

test('--collection keeps the hits of the collections named (id or alias); one the mirror does not hold is an error', async () => {
  expect((await offline('--collection', 'ACME-INTERNAL', fixture('postfix-plain.log'))).code).toBe(1);
  expect((await offline('--collection', DEMO_COLLECTIONS.allianceExchange, fixture('postfix-plain.log')))).toMatchObject({ code: 0, out: '' });
  const unknown = await offline('--collection', 'isac-feed', fixture('postfix-plain.log'));
  expect(unknown.code).toBe(2);
  expect(unknown.err).toContain('the mirror holds no collection "isac-feed"');
});

test('a hub that cannot be reached does not stop the scan: the mirror as last synced finds its hits, and the exit code is 2', async () => {
  as('bob');
  const run = await cli(['match', '--json', '--mirror', mirror, fixture('postfix-plain.log'), '--url', 'http://127.0.0.1:9']);
  expect(run.code).toBe(2);
  expect(run.err).toMatch(/^taxii-hub: the mirror could not be synced \(.*\); scanning with the mirror as last synced$/m);
  expect(summary(hitsOf(run.out))).toContain('1 client-ip senderIp');
});

test('a missing file is an error (exit code 2) and the other inputs are still scanned', async () => {
  const run = await offline('--json', path.join(scratch, 'nope.log'), fixture('postfix-plain.log'));
  expect(run.code).toBe(2);
  expect(run.err).toContain(`${path.join(scratch, 'nope.log')}: there is no such file or folder`);
  expect(hitsOf(run.out).length).toBeGreaterThan(0);
});

test('a bad option exits with 2; no mirror yet is an error too, with what to do', async () => {
  await expect(offline('--format', 'syslog', fixture('postfix-plain.log'))).rejects.toMatchObject({ exitCode: 2 });
  const none = await cli(['match', '--no-sync', '--mirror', path.join(scratch, 'no-mirror'), fixture('postfix-plain.log')]);
  expect(none.code).toBe(2);
  expect(none.err).toMatch(/no mirror .* sync it first/i);
  as(undefined);
  const noUrl = await cli(['match', '--mirror', mirror, fixture('postfix-plain.log')]);
  expect(noUrl.code).toBe(2);
  expect(noUrl.err).toContain('--no-sync');
});

test('--report sends counts and times only; alice (the provider) sees the sighting by ACME East', async () => {
  as('bob');
  const run = await cli(['match', '--report', '--quiet', '--mirror', mirror, fixture('postfix-with-subjects.log'), ...remote]);
  expect(run.code).toBe(1);
  expect(run.err).toBe('');
  const objects = await fetch(`${remote[1]}/demo/collections/${COLLECTION}/objects/?match[type]=sighting`, { headers: { Authorization: demoAuth('alice'), Accept: 'application/taxii+json;version=2.1' } });
  expect(objects.status).toBe(200);
  const sightings = ((await objects.json()) as { objects?: Record<string, unknown>[] }).objects ?? [];
  const ofSender = sightings.filter((s) => s.sighting_of_ref === ids.senderIp);
  expect(ofSender).toHaveLength(1);
  // Lines 1, 3 and 4 log the sender's address (line 1 twice as client and connect target would still be one line).
  expect(ofSender[0]).toMatchObject({ type: 'sighting', count: 3, where_sighted_refs: [expect.stringMatching(/^identity--/)] });
  expect(Date.parse(String(ofSender[0]?.first_seen))).toBe(Date.parse(syslogTime(9, 58, 59)));
  expect(Date.parse(String(ofSender[0]?.last_seen))).toBe(Date.parse(syslogTime(10, 0, 1)));
  // Nothing from the log travels: no value as logged, no file name.
  expect(JSON.stringify(sightings)).not.toContain('postfix-with-subjects');
  const figures = await api('alice', 'GET', `/api/collections/${COLLECTION}/indicators/${ids.senderIp}/sightings`);
  expect(figures.status).toBe(200);
  expect(JSON.stringify(figures.json)).toContain('acme-east');
  // dave (Globex, outside ACME's tree) is not entitled to the indicator, nor to its sightings.
  const foreign = await fetch(`${remote[1]}/demo/collections/${COLLECTION}/objects/?match[type]=sighting`, { headers: { Authorization: demoAuth('dave'), Accept: 'application/taxii+json;version=2.1' } });
  const foreignSightings = foreign.status === 200 ? (((await foreign.json()) as { objects?: unknown[] }).objects ?? []) : [];
  expect(foreignSightings).toEqual([]);
  expect((await api('dave', 'GET', `/api/collections/${COLLECTION}/indicators/${ids.senderIp}/sightings`)).status).toBe(404);
});

test('--report leaves out an indicator the hub no longer takes reports on (purged since the sync), reports the others and exits 2', async () => {
  await share({ kept: { kind: 'email-sender-ip', value: '192.0.2.123' }, gone: { kind: 'email-sender-ip', value: '192.0.2.124' } });
  as('bob');
  const log = path.join(scratch, 'two-senders.log');
  fs.writeFileSync(log, 'Dec  6 11:00:00 mx1 postfix/smtpd[7]: connect from a.example.net[192.0.2.123]\nDec  6 11:00:05 mx1 postfix/smtpd[8]: connect from b.example.net[192.0.2.124]\n');
  expect((await cli(['match', '--mirror', mirror, log, ...remote])).code).toBe(1); // both are in the mirror now
  expect((await api('alice', 'POST', `/api/indicators/${ids.gone}/purge`, { reason: 'shared by mistake' })).status).toBe(200);

  const run = await cli(['match', '--no-sync', '--report', '--marking', 'green', '--mirror', mirror, log, ...remote]);
  expect(run.code).toBe(2);
  expect(run.err).toContain(`taxii-hub: not reported to collection acme-internal: ${ids.gone} `);
  expect(run.err).toMatch(/^reported 1 sighting to collection acme-internal \(TLP:GREEN\)$/m);
  const objects = await fetch(`${remote[1]}/demo/collections/${COLLECTION}/objects/?match[type]=sighting`, { headers: { Authorization: demoAuth('alice'), Accept: 'application/taxii+json;version=2.1' } });
  const sightings = ((await objects.json()) as { objects?: Record<string, unknown>[] }).objects ?? [];
  expect(sightings.filter((s) => s.sighting_of_ref === ids.kept)).toEqual([expect.objectContaining({ count: 1 })]);
  expect(sightings.filter((s) => s.sighting_of_ref === ids.gone)).toEqual([]);
});
