import { isIP } from 'node:net';
import { feedRenderer, type FeedEntry } from '../../../src/domain/feeds';
import { zeekField, ZEEK_INTEL_HEADER } from '../../../src/domain/feeds/zeek-feed';
import { CONTEXT, entryOf, hostileEntries, RAW_HOSTILE_VALUES, rawHostileEntries } from './feed-fixtures';

/**
 * Zeek Intel files, read the way Zeek's input framework ASCII reader reads them (Zeek is not packaged
 * in Debian 12): a `#fields` line naming the columns, `#` lines skipped, tab-separated fields,
 * `-` an unset field, `\xNN` decoded in a string field; the Intel types the framework has.
 */

const ZEEK = feedRenderer('zeek');
const INTEL_TYPES = new Set(['Intel::ADDR', 'Intel::SUBNET', 'Intel::DOMAIN', 'Intel::URL', 'Intel::EMAIL', 'Intel::FILE_HASH', 'Intel::FILE_NAME', 'Intel::USER_NAME', 'Intel::CERT_HASH', 'Intel::PUBKEY_HASH', 'Intel::SOFTWARE']);

interface IntelItem {
  readonly indicator: string;
  readonly type: string;
  readonly source: string | undefined;
  readonly desc: string | undefined;
  readonly url: string | undefined;
}

function decoded(field: string): string | undefined {
  if (field === '-') return undefined;
  // Zeek decodes \xNN to the byte NN; the rest of the field is its bytes as they are.
  const parts = field.split(/\\x([0-9a-fA-F]{2})/);
  return Buffer.concat(parts.map((part, i) => (i % 2 === 1 ? Buffer.from(part, 'hex') : Buffer.from(part, 'utf8')))).toString('utf8');
}

function readIntelFile(text: string): IntelItem[] {
  expect(text.endsWith('\n')).toBe(true);
  const lines = text.slice(0, -1).split('\n');
  expect(lines[0]).toBe('#fields\tindicator\tindicator_type\tmeta.source\tmeta.desc\tmeta.url');
  const columns = (lines[0] as string).slice('#fields\t'.length).split('\t');
  const items: IntelItem[] = [];
  for (const line of lines.slice(1)) {
    if (line.startsWith('#')) continue;
    const fields = line.split('\t');
    expect(fields).toHaveLength(columns.length);
    expect(line).not.toMatch(/[^\t\P{Cc}]/u); // no control character but the separating tabs
    const [indicator, type, source, desc, url] = fields.map(decoded);
    expect(indicator).toBeDefined();
    expect(INTEL_TYPES.has(type as string)).toBe(true);
    if (type === 'Intel::ADDR') expect(isIP(indicator as string)).not.toBe(0);
    if (type === 'Intel::SUBNET') expect(isIP((indicator as string).split('/')[0] as string)).not.toBe(0);
    items.push({ indicator: indicator as string, type: type as string, source, desc, url });
  }
  return items;
}

describe('zeek feed', () => {
  test('each kind gets its Intel type; URLs lose their scheme; subjects have no Intel type', () => {
    const entries: FeedEntry[] = [
      entryOf({ kind: 'c2-ip', value: '198.51.100.7' }),
      entryOf({ kind: 'email-sender-ip', value: '2001:db8:25::/48' }),
      entryOf({ kind: 'c2-hostname', value: 'c2.example' }),
      entryOf({ kind: 'url', value: 'https://c2.example:8443/gate?id=1' }),
      entryOf({ kind: 'url', value: 'http://c2.example:80/x' }),
      entryOf({ kind: 'email-from', value: 'eve@evil.example' }),
      entryOf({ kind: 'file-hash', value: 'd41d8cd98f00b204e9800998ecf8427e', algorithm: 'MD5' }),
      entryOf({ kind: 'email-attachment-name', value: 'invoice.pdf.exe' }),
      entryOf({ kind: 'email-subject', value: 'Invoice' }),
    ];
    expect(readIntelFile(ZEEK.render(entries, CONTEXT)).map((item) => `${item.type} ${item.indicator}`)).toEqual([
      'Intel::SUBNET 2001:db8:25::/48',
      'Intel::EMAIL eve@evil.example',
      'Intel::FILE_NAME invoice.pdf.exe',
      'Intel::DOMAIN c2.example',
      'Intel::ADDR 198.51.100.7',
      'Intel::URL c2.example:8443/gate?id=1',
      'Intel::URL c2.example/x',
      'Intel::FILE_HASH d41d8cd98f00b204e9800998ecf8427e',
    ]);
  });

  test('meta fields: the hub as source, the indicator, TLP, confidence and campaigns as description, a link when configured', () => {
    const entry = entryOf({ kind: 'c2-hostname', value: 'c2.example' }, { campaigns: ['Op\tTab', 'Op Two'] });
    const [item] = readIntelFile(ZEEK.render([entry], { ...CONTEXT, linkBase: 'https://hub.example/console/indicators/' }));
    expect(item).toEqual({
      indicator: 'c2.example',
      type: 'Intel::DOMAIN',
      source: 'Acme Hub',
      desc: `c2-hostname ${entry.indicatorId}, tlp amber, confidence 80, campaign Op\tTab; Op Two`,
      url: `https://hub.example/console/indicators/${entry.indicatorId}`,
    });
    expect(readIntelFile(ZEEK.render([entry], CONTEXT))[0]?.url).toBeUndefined();
  });

  test('the hostile set reads back to exactly the values: #, -, (empty), quotes, backslashes, unicode, IPv6, CIDR', () => {
    const entries = hostileEntries();
    const items = readIntelFile(ZEEK.render(entries, { ...CONTEXT, hubName: 'Hub\twith\ttabs\nand a newline \\x41' }));
    const indicators = items.map((item) => item.indicator);
    for (const value of ['#hash.exe', '-', '(empty)', 'invoice "2026";.pdf.exe', 'résumé.docm', '#root+x@evil.example', '2001:db8:abcd:12::/64', '::ffff:198.51.100.9']) {
      expect(indicators).toContain(value);
    }
    expect(indicators).toContain('evil.example/a;b%22c/d|e?q=1;x=%27y%27&z=%22');
    expect(new Set(items.map((item) => item.source))).toEqual(new Set(['Hub\twith\ttabs\nand a newline \\x41']));
    expect(items.some((item) => item.type === 'Intel::FILE_NAME' && item.indicator === '(empty)')).toBe(true);
    expect(indicators).toHaveLength(new Set(items.map((item) => `${item.type} ${item.indicator}`)).size);
  });

  test('entries a caller did not normalise cannot break the file: values read back exactly, bad addresses are left out', () => {
    const items = readIntelFile(ZEEK.render(rawHostileEntries(), CONTEXT));
    expect(items.filter((item) => item.type === 'Intel::ADDR' || item.type === 'Intel::SUBNET')).toEqual([]);
    const names = items.filter((item) => item.type === 'Intel::FILE_NAME').map((item) => item.indicator);
    expect(names.sort()).toEqual(RAW_HOSTILE_VALUES.filter((value) => value !== '').sort());
  });

  test('a field is never empty, never a bare - or (empty), and never holds a tab or a line break', () => {
    expect(zeekField('')).toBe('-');
    expect(zeekField('-')).toBe('\\x2d');
    expect(zeekField('(empty)')).toBe('\\x28empty)');
    expect(zeekField('a\tb\nc\\d')).toBe('a\\x09b\\x0ac\\x5cd');
  });

  test('an empty feed is the header alone', () => {
    expect(ZEEK.render([], CONTEXT)).toBe(`${ZEEK_INTEL_HEADER}\n`);
  });
});
