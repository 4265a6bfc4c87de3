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

async function share(indicators: Record<string, { kind: string; value: string }>): Promise<void> {
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
  await share({
    senderIp: { kind: 'email-sender-ip', value: '203.0.113.66' },
    sender: { kind: 'email-from', value: 'ceo@phish-mail.example' },
    subject: { kind: 'email-subject', value: 'Invoice 2026-1182 overdue' },
    attachment: { kind: 'email-attachment-name', value: 'Invoice_2026-1182.pdf.exe' },
    c2Host: { kind: 'c2-hostname', value: 'evil-cdn.example' },
    url: { kind: 'url', value: 'http://downloads.bad-updates.example/payload/update.exe' },
    c2Range: { kind: 'c2-ip', value: '2001:db8:bad::/48' },
  });
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
  const row = rows.find((r) => r.startsWith(`${fixture('postfix-with-subjects.log')}:3 `));
  expect(row?.split(/\s{2,}/)).toEqual([`${fixture('postfix-with-subjects.log')}:3`, 'client-ip', '203.0.113.66', ids.senderIp, 'email-sender-ip', 'acme-internal', 'AMBER', 'Operation Paper Cut', expect.any(String), 'exact']);
  // The summary and the sync on standard error, nothing else.
  expect(run.err).toMatch(/^synced .*\(948f89cd-d3ab-4b2e-bb60-bdffe702b793\): \d+ objects read, 0 removed/m);
  expect(run.err).toMatch(/^29 lines read in 1 input: \d+ hits \(\d+\.\d s\)$/m);
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
  expect(hits.find((h) => h.line === 24)).toEqual({
    input: fixture('postfix-with-subjects.log'),
    line: 24,
    field: 'client-ip',
    value: '2001:db8:bad::66',
    observed_as: 'ip',
    indicator: ids.c2Range,
    kind: 'c2-ip',
    indicator_value: '2001:db8:bad::/48',
    collection: COLLECTION,
    collection_alias: 'acme-internal',
    tlp: 'amber',
    campaigns: ['Operation Paper Cut'],
    provider: expect.any(String),
    how: 'cidr',
    time: syslogTime(10, 9, 12),
    time_from: 'line',
  });
  // A near miss: a longer domain than the shared sender's is not the sender.
  expect(hits.filter((h) => h.line === 25).map((h) => h.field)).toEqual(['client-ip']);
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
  const run = await offline('--json', logs);
  expect(run.code).toBe(1);
  const inputs = new Set(hitsOf(run.out).map((h) => path.relative(logs, h.input)));
  expect([...inputs].sort()).toEqual(['access.log', 'mail/mail.log.2.gz']);
  expect(run.err).toMatch(/in 3 inputs: \d+ hits/);
  const gz = hitsOf(run.out).filter((h) => h.input.endsWith('.gz'));
  expect(summary(gz)).toEqual(expect.arrayContaining(['1 client-ip senderIp', '12 envelope-from sender']));
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

/** Each fixture and hits it must give (line, field, indicator); near misses must not hit. */
const FIXTURE_HITS: readonly { file: string; format: string; hits: string[]; misses: string[] }[] = [
  { file: 'postfix-with-subjects.log', format: 'postfix', hits: ['3 client-ip senderIp', '6 subject subject', '8 attachment-name attachment', '15 subject subject', '17 envelope-from sender', '24 client-ip c2Range'], misses: ['25 envelope-from sender', '16 attachment-name attachment'] },
  { file: 'postfix-plain.log', format: 'postfix', hits: ['1 client-ip senderIp', '12 envelope-from sender'], misses: ['7 client-ip senderIp'] },
  { file: 'squid-access.log', format: 'squid', hits: ['1 url url', '3 url c2Host', '4 url c2Host'], misses: ['2 url url', '5 url c2Host', '6 url c2Host'] },
  { file: 'exim-main.log', format: 'exim', hits: ['1 client-ip senderIp', '1 subject subject', '4 envelope-from sender', '4 subject subject'], misses: ['9 client-ip senderIp'] },
  { file: 'exchange-tracking.csv', format: 'exchange', hits: ['6 client-ip senderIp', '6 subject subject', '9 sender-address sender'], misses: ['8 subject subject'] },
];

describe.each(FIXTURE_HITS.filter((f) => fs.existsSync(fixture(f.file))))('the fixture $file', ({ file, format, hits, misses }) => {
  test.each(['auto', format])('--format %s finds its hits and none of its near misses', async (chosen) => {
    const run = await offline('--json', '--format', chosen, fixture(file));
    expect(run.code).toBe(1);
    const found = summary(hitsOf(run.out));
    expect(found).toEqual(expect.arrayContaining(hits));
    for (const miss of misses) expect(found).not.toContain(miss);
  });
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
});
