import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { normaliseIndicator, type IndicatorInput } from '../../../src/domain/indicators';
import type { FeedEntry } from '../../../src/domain/feeds';
import type { FeedContext } from '../../../src/domain/feeds';
import { indicatorContent, indicatorVersion, type IndicatorSettings } from '../../../src/domain/submission/indicator-object';
import type { TlpLevel } from '../../../src/domain/tenancy';
import { parseMicros } from '../../../src/domain/timestamps';

/** What the feed tests share: entries as the hub makes them, a context, hostile values, and the real tools. */

export const PROVIDER_ID = 'identity--2f1c2a1e-2f4e-4d8b-9a55-0a3e4f0b7c11';
export const VERSION = '2026-02-03T04:05:06.123456Z';

export const CONTEXT: FeedContext = {
  hubName: 'Acme Hub',
  collection: 'isac-feed',
  generatedAt: '2026-06-01T00:00:00.000Z',
  cursor: '1780000000000000.k1.mac',
};

let counter = 0;
/** A fresh indicator id, distinct per call. */
export function indicatorId(): string {
  counter += 1;
  return `indicator--00000000-0000-4000-8000-${String(counter).padStart(12, '0')}`;
}

/** One entry for a submitted value, normalised as the hub normalises it (throws when the hub would refuse it). */
export function entryOf(input: IndicatorInput, extra: Partial<FeedEntry> = {}): FeedEntry {
  const result = normaliseIndicator(input);
  if (!result.ok) throw new Error(`refused ${JSON.stringify(input)}: ${result.message}`);
  const { kind, value, algorithm } = result.indicator;
  return {
    indicatorId: indicatorId(),
    version: parseMicros(VERSION) as number,
    kind,
    value,
    ...(algorithm === undefined ? {} : { algorithm }),
    confidence: 80,
    validUntil: '2027-01-01T00:00:00.000Z',
    tlp: 'amber' as TlpLevel,
    campaigns: [],
    ...extra,
  };
}

export const SETTINGS: IndicatorSettings = {
  providerIdentityId: PROVIDER_ID,
  tlp: 'amber',
  recipients: [],
  confidence: 80,
  validFrom: '2026-01-01T00:00:00.000Z',
  validUntil: '2027-01-01T00:00:00.000Z',
};

/** A hub indicator version for one submitted value, as the submission service writes it. */
export function hubIndicator(input: IndicatorInput, id = indicatorId()): Record<string, unknown> {
  const result = normaliseIndicator(input);
  if (!result.ok) throw new Error(`refused ${JSON.stringify(input)}: ${result.message}`);
  return indicatorVersion(id, '2026-02-01T00:00:00.000Z', VERSION, indicatorContent(result.indicator, SETTINGS));
}

/**
 * Hostile but valid values of each kind (the hub accepts each): quotes, semicolons, backslashes,
 * pipes, regex and formula characters, unicode, IDN hosts, IPv6, CIDR networks.
 */
export const HOSTILE_INPUTS: readonly IndicatorInput[] = [
  { kind: 'c2-ip', value: '198.51.100.7' },
  { kind: 'c2-ip', value: '2001:db8::1' },
  { kind: 'c2-ip', value: '2001:db8:abcd:12::/64' },
  { kind: 'c2-ip', value: '203.0.113.0/24' },
  { kind: 'c2-ip', value: '::ffff:198.51.100.9' },
  { kind: 'email-sender-ip', value: '192.0.2.25' },
  { kind: 'email-sender-ip', value: '2001:db8:25::/48' },
  { kind: 'c2-hostname', value: 'evil.example' },
  { kind: 'c2-hostname', value: 'Bücher.Example' },
  { kind: 'c2-hostname', value: 'xn--80ak6aa92e.com' },
  { kind: 'c2-hostname', value: '_dmarc.under_score.example' },
  { kind: 'c2-hostname', value: `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(57)}.ex` },
  { kind: 'c2-hostname', value: '32.7.100.51.198.rpz-ip' },
  { kind: 'url', value: 'http://evil.example/a;b"c\\d|e?q=1;x=\'y\'&z=%22' },
  { kind: 'url', value: 'https://bücher.example:8443/pfad/ü?q=a%20b' },
  { kind: 'url', value: 'http://[2001:db8::2]/x' },
  { kind: 'url', value: 'http://198.51.100.8:8080/gate.php?id=1|2' },
  { kind: 'url', value: 'ftp://files.evil.example/payload.bin' },
  { kind: 'email-from', value: 'eve@evil.example' },
  { kind: 'email-from', value: "=cmd|'/c_calc'!a@evil.example" },
  { kind: 'email-from', value: '#root+x@evil.example' },
  { kind: 'email-from', value: 'Mixed.Case@Evil.Example' },
  { kind: 'email-subject', value: 'Invoice #42 (urgent) [action] $100.00 ^_^ a|b {1,2} *?+ /path\\ "quoted"; semi' },
  { kind: 'email-subject', value: '=HYPERLINK("http://evil.example","click")' },
  { kind: 'email-subject', value: 'Rechnung für Sie — 請求書' },
  { kind: 'email-subject', value: 'tab\tseparated  and  spaced' },
  { kind: 'email-subject', value: '-' },
  { kind: 'email-subject', value: '# not a comment' },
  { kind: 'email-attachment-name', value: 'invoice "2026";.pdf.exe' },
  { kind: 'email-attachment-name', value: '#hash.exe' },
  { kind: 'email-attachment-name', value: '-' },
  { kind: 'email-attachment-name', value: '(empty)' },
  { kind: 'email-attachment-name', value: 'résumé.docm' },
  { kind: 'file-hash', value: 'D41D8CD98F00B204E9800998ECF8427E', algorithm: 'MD5' },
  { kind: 'file-hash', value: 'da39a3ee5e6b4b0d3255bfef95601890afd80709', algorithm: 'SHA-1' },
  { kind: 'file-hash', value: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', algorithm: 'SHA-256' },
  { kind: 'file-hash', value: 'cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e', algorithm: 'SHA-512' },
];

export function hostileEntries(): FeedEntry[] {
  return HOSTILE_INPUTS.map((input) => entryOf(input));
}

const SEARCH_PATH = ['/usr/sbin', '/usr/bin', '/sbin', '/bin', '/usr/local/sbin', '/usr/local/bin'];

/** The path of a tool the tests run; a clear failure (never a skip) when it is not installed. */
export function toolPath(name: string, debianPackage: string): string {
  const found = [...(process.env.PATH ?? '').split(':'), ...SEARCH_PATH].map((dir) => join(dir, name)).find((path) => path !== name && existsSync(path));
  if (found === undefined) throw new Error(`${name} is not installed: apt-get install ${debianPackage} (.ci/run installs it)`);
  return found;
}

export interface ToolRun {
  readonly status: number;
  readonly output: string;
}

/** Runs a tool and returns its exit status and everything it printed, warnings on stderr included. */
export function runTool(path: string, args: readonly string[], cwd?: string): ToolRun {
  const run = spawnSync(path, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (run.error !== undefined) throw run.error;
  return { status: run.status ?? -1, output: `${run.stdout}${run.stderr}` };
}

/** A temporary directory for one test file, removed by the returned function. */
export function temporaryDirectory(prefix: string): { readonly dir: string; readonly remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Values no hub normaliser lets through, to show a renderer keeps its format whatever a caller passes it. */
export const RAW_HOSTILE_VALUES: readonly string[] = [
  'evil.example\nalert ip any any -> any any (msg:"x"; sid:1; rev:1;)',
  'a"b;c\\d|e:f',
  '198.51.100.7/24',
  '999.1.1.1',
  'UPPER.Example',
  ' leading space',
  '#comment',
  '',
  '-',
  '@ IN NS attacker.example.',
  '\t',
  'x\r\ny',
  'line\u2028separator',
  'ü.example',
  '$INCLUDE /etc/passwd',
  '/^Subject:/ OK',
];

/** Every raw hostile value as an entry of every kind (file hashes as MD5). */
export function rawHostileEntries(): FeedEntry[] {
  const kinds = ['email-sender-ip', 'email-from', 'email-subject', 'email-attachment-name', 'c2-hostname', 'c2-ip', 'url', 'file-hash'] as const;
  return kinds.flatMap((kind) =>
    RAW_HOSTILE_VALUES.map((value) => ({
      indicatorId: indicatorId(),
      version: parseMicros(VERSION) as number,
      kind,
      value,
      ...(kind === 'file-hash' ? { algorithm: 'MD5' as const } : {}),
      tlp: 'red' as TlpLevel,
      campaigns: ['x\ny', 'a"b'],
    })),
  );
}
