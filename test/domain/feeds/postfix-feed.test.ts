import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { feedRenderer, type FeedEntry, type PostfixAction, type PostfixMap } from '../../../src/domain/feeds';
import { CONTEXT, entryOf, hostileEntries, rawHostileEntries, runTool, temporaryDirectory, toolPath } from './feed-fixtures';

/**
 * The Postfix tables work in Postfix: each is looked up with the real `postmap -q` (postfix package),
 * the sender table after `postmap` built it, the client table as `cidr:` and the header checks as `regexp:`.
 */

const POSTFIX = feedRenderer('postfix');
const TABLE_TYPES: Readonly<Record<PostfixMap, string>> = { client: 'cidr', sender: 'hash', header: 'regexp' };

let postmap: string;
let tmp: ReturnType<typeof temporaryDirectory>;
let files = 0;
beforeAll(() => {
  postmap = toolPath('postmap', 'postfix');
  tmp = temporaryDirectory('postfix-feed-');
  writeFileSync(join(tmp.dir, 'main.cf'), ''); // postmap -c reads its configuration from here, not /etc/postfix
});
afterAll(() => tmp.remove());

interface Table {
  readonly text: string;
  /** What Postfix answers for a key (undefined: not found). */
  readonly lookup: (key: string) => string | undefined;
}

function table(map: PostfixMap, entries: readonly FeedEntry[], action?: PostfixAction): Table {
  const text = POSTFIX.render(entries, { ...CONTEXT, postfix: { map, ...(action === undefined ? {} : { action }) } });
  files += 1;
  const file = join(tmp.dir, `${map}-${files}`);
  writeFileSync(file, text);
  const name = `${TABLE_TYPES[map]}:${file}`;
  if (map === 'sender') {
    const built = runTool(postmap, ['-c', tmp.dir, name]);
    expect({ status: built.status, output: built.output }).toEqual({ status: 0, output: '' });
  }
  return {
    text,
    lookup: (key) => {
      const found = runTool(postmap, ['-c', tmp.dir, '-q', key, name]);
      expect(found.output).not.toMatch(/warning|fatal|error/i);
      return found.status === 0 ? found.output.trim() : undefined;
    },
  };
}

describe('postfix client table (cidr: for check_client_access)', () => {
  test('sender IPs and networks, IPv4 and IPv6, are found; other addresses and the C2 IPs are not', () => {
    const sender = entryOf({ kind: 'email-sender-ip', value: '192.0.2.25' });
    const network = entryOf({ kind: 'email-sender-ip', value: '2001:db8:25::/48' });
    const client = table('client', [sender, network, entryOf({ kind: 'c2-ip', value: '198.51.100.7' })]);
    expect(client.lookup('192.0.2.25')).toBe(`REJECT Acme Hub indicator ${sender.indicatorId}`);
    expect(client.lookup('2001:db8:25:7::1')).toBe(`REJECT Acme Hub indicator ${network.indicatorId}`);
    expect(client.lookup('192.0.2.26')).toBeUndefined();
    expect(client.lookup('2001:db8:26::1')).toBeUndefined();
    expect(client.lookup('198.51.100.7')).toBeUndefined();
  });

  test('the action can be HOLD, DISCARD or WARN instead of REJECT', () => {
    const sender = entryOf({ kind: 'email-sender-ip', value: '192.0.2.25' });
    expect(table('client', [sender], 'WARN').lookup('192.0.2.25')).toBe(`WARN Acme Hub indicator ${sender.indicatorId}`);
  });
});

describe('postfix sender table (hash: for check_sender_access)', () => {
  test('From addresses are found (the lookup ignores case, as Postfix does); others are not', () => {
    const eve = entryOf({ kind: 'email-from', value: 'Eve.Smith@Evil.Example' });
    const sender = table('sender', [eve, entryOf({ kind: 'email-subject', value: 'eve@evil.example' })]);
    expect(sender.lookup('eve.smith@evil.example')).toBe(`REJECT Acme Hub indicator ${eve.indicatorId}`);
    expect(sender.lookup('Eve.Smith@evil.example')).toBe(`REJECT Acme Hub indicator ${eve.indicatorId}`);
    expect(sender.lookup('eve@evil.example')).toBeUndefined();
  });

  test('addresses with =, |, quote, + and a leading # (valid local parts) are keys Postfix finds', () => {
    const formula = entryOf({ kind: 'email-from', value: "=cmd|'/c_calc'!a@evil.example" });
    const hash = entryOf({ kind: 'email-from', value: '#root+x@evil.example' });
    const sender = table('sender', [formula, hash]);
    expect(sender.lookup("=cmd|'/c_calc'!a@evil.example")).toBe(`REJECT Acme Hub indicator ${formula.indicatorId}`);
    // A line starting with '#' is a comment to postmap: such an address cannot be a key and is left out.
    expect(sender.text).not.toContain('#root');
    expect(sender.lookup('#root+x@evil.example')).toBeUndefined();
  });

  test('the same address from two indicators is one key (postmap refuses duplicates)', () => {
    const first = entryOf({ kind: 'email-from', value: 'eve@evil.example' }, { indicatorId: 'indicator--00000000-0000-4000-8000-00000000000a' });
    const second = entryOf({ kind: 'email-from', value: 'EVE@evil.example' }, { indicatorId: 'indicator--00000000-0000-4000-8000-00000000000b' });
    const sender = table('sender', [second, first]);
    expect(sender.text.split('\n').filter((line) => line.toLowerCase().startsWith('eve@'))).toHaveLength(1);
    expect(sender.lookup('eve@evil.example')).toMatch(/^REJECT Acme Hub indicator indicator--0{8}-0{4}-4000-8000-0{11}[ab]$/);
  });
});

describe('postfix header checks (regexp: for header_checks)', () => {
  const hostileSubjects = hostileEntries().filter((entry) => entry.kind === 'email-subject');

  test.each(hostileSubjects.map((entry) => [entry.value, entry] as const))('the subject %j matches its own Subject header and nothing looser', (subject, entry) => {
    const headers = table('header', hostileSubjects);
    expect(headers.lookup(`Subject: ${subject}`)).toBe(`REJECT Acme Hub indicator ${entry.indicatorId}`);
    expect(headers.lookup(`subject:   ${subject}  `)).toBe(`REJECT Acme Hub indicator ${entry.indicatorId}`);
    expect(headers.lookup(`Subject: ${subject}x`)).toBeUndefined();
    expect(headers.lookup(`Subject: x${subject}`)).toBeUndefined();
    expect(headers.lookup(`X-Subject: ${subject}`)).toBeUndefined();
  });

  test('regex metacharacters are literal: a subject with . ( [ * $ does not match other text', () => {
    const headers = table('header', [entryOf({ kind: 'email-subject', value: 'Pay $100.00 (now) [a-z]* a|b' })]);
    expect(headers.lookup('Subject: Pay $100.00 (now) [a-z]* a|b')).toMatch(/^REJECT/);
    expect(headers.lookup('Subject: Pay $100x00 (now) [a-z]* a|b')).toBeUndefined();
    expect(headers.lookup('Subject: Pay $100.00 now q a|b')).toBeUndefined();
    expect(headers.lookup('Subject: Pay $100.00 (now) [a-z]* a')).toBeUndefined();
  });

  test('whitespace in the subject matches any run of whitespace (a folded header)', () => {
    const headers = table('header', [entryOf({ kind: 'email-subject', value: 'Your  invoice' })]);
    expect(headers.lookup('Subject: Your invoice')).toMatch(/^REJECT/);
    expect(headers.lookup('Subject: Your \t invoice')).toMatch(/^REJECT/);
    expect(headers.lookup('Subject: Yourinvoice')).toBeUndefined();
  });
});

test('entries a caller did not normalise cannot break a table: Postfix reads each without a warning', () => {
  const entries = rawHostileEntries();
  const client = table('client', entries);
  expect(client.text.split('\n').filter((line) => line !== '' && !line.startsWith('#'))).toEqual([]);
  const sender = table('sender', entries);
  expect(sender.text).not.toContain('a"b'); // postmap reads quotes: such a key is left out
  expect(sender.lookup('UPPER.Example')).toMatch(/^REJECT/);
  const headers = table('header', entries);
  expect(headers.lookup('Subject: /^Subject:/ OK')).toMatch(/^REJECT/);
  expect(headers.lookup('Subject: $INCLUDE /etc/passwd')).toMatch(/^REJECT/);
});

test('every map of the hostile set is a table Postfix reads without a warning, with one line per key', () => {
  const entries = hostileEntries();
  for (const map of ['client', 'sender', 'header'] as const) {
    const built = table(map, entries);
    const lines = built.text.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
    expect(lines.length).toBeGreaterThan(0);
    expect(built.lookup('no-such-key.example')).toBeUndefined();
  }
});
