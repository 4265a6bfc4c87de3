import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { feedRenderer, rpzOriginProblem, type FeedContext } from '../../../src/domain/feeds';
import { rpzIpTrigger } from '../../../src/domain/feeds/rpz-feed';
import { CONTEXT, entryOf, hostileEntries, rawHostileEntries, runTool, temporaryDirectory, toolPath } from './feed-fixtures';

/** The RPZ feed loads in BIND: every zone it writes passes named-checkzone (bind9-utils). */

const RPZ = feedRenderer('rpz');
const ORIGIN = 'rpz.hub.example';
const context = (rpz: Partial<NonNullable<FeedContext['rpz']>> = {}): FeedContext => ({ ...CONTEXT, rpz: { origin: ORIGIN, serial: 2026060101, ...rpz } });

let checkzone: string;
let tmp: ReturnType<typeof temporaryDirectory>;
let files = 0;
beforeAll(() => {
  checkzone = toolPath('named-checkzone', 'bind9-utils');
  tmp = temporaryDirectory('rpz-feed-');
});
afterAll(() => tmp.remove());

/** Checks the zone with named-checkzone (strict names, full integrity checks) and returns its records as BIND read them. */
function loaded(zone: string, origin = ORIGIN): string[] {
  files += 1;
  const file = join(tmp.dir, `zone-${files}.rpz`);
  writeFileSync(file, zone);
  const check = runTool(checkzone, ['-k', 'fail', '-i', 'full', origin, file]);
  expect({ status: check.status, output: check.output }).toEqual({ status: 0, output: expect.stringContaining('OK') });
  const dump = runTool(checkzone, ['-q', '-D', '-o', '-', origin, file]);
  expect(dump.status).toBe(0);
  return dump.output
    .trim()
    .split('\n')
    .map((line) => line.split(/\s+/).filter((field, i) => i !== 1).join(' '));
}

describe('rpz feed', () => {
  test('a C2 host name blocks the name and every name below it; a C2 IP gets an rpz-ip trigger', () => {
    const zone = RPZ.render([entryOf({ kind: 'c2-hostname', value: 'c2.evil.example' }), entryOf({ kind: 'c2-ip', value: '198.51.100.7' })], context());
    expect(loaded(zone)).toEqual([
      'rpz.hub.example. IN SOA localhost. hostmaster.localhost. 2026060101 3600 600 604800 300',
      'rpz.hub.example. IN NS localhost.',
      'c2.evil.example.rpz.hub.example. IN CNAME .',
      '*.c2.evil.example.rpz.hub.example. IN CNAME .',
      '32.7.100.51.198.rpz-ip.rpz.hub.example. IN CNAME .',
    ]);
  });

  test('hostile values: IDN hosts in punycode, underscores, IPv6 and CIDR triggers; names that could read as triggers or do not fit are left out; the zone loads', () => {
    const records = loaded(RPZ.render(hostileEntries(), context()));
    const owners = records.map((record) => record.split(' ')[0]);
    expect(owners).toEqual(
      expect.arrayContaining([
        'xn--bcher-kva.example.rpz.hub.example.',
        '*.xn--80ak6aa92e.com.rpz.hub.example.',
        '_dmarc.under_score.example.rpz.hub.example.',
        '128.1.zz.db8.2001.rpz-ip.rpz.hub.example.',
        '64.zz.12.abcd.db8.2001.rpz-ip.rpz.hub.example.',
        '24.0.113.0.203.rpz-ip.rpz.hub.example.',
        // URL hosts: names only (an IP host is not a name), IDN in punycode
        'evil.example.rpz.hub.example.',
        'xn--bcher-kva.example.rpz.hub.example.',
        'files.evil.example.rpz.hub.example.',
      ]),
    );
    // the host name 32.7.100.51.198.rpz-ip would read as an IP trigger: never written as a name (the trigger
    // present is the C2 IP 198.51.100.7's, once, without the wildcard a host name would get)
    expect(owners.filter((owner) => owner?.includes('32.7.100.51.198.rpz-ip'))).toEqual(['32.7.100.51.198.rpz-ip.rpz.hub.example.']);
    // 248 characters: does not fit under the origin
    expect(owners.some((owner) => owner?.includes('aaaaaaaa'))).toBe(false);
    const policies = owners.slice(2); // after the SOA and NS of the apex
    expect(new Set(policies).size).toBe(policies.length);
  });

  test('entries a caller did not normalise cannot break the zone: only valid names and addresses are written', () => {
    expect(loaded(RPZ.render(rawHostileEntries(), context()))).toHaveLength(2);
  });

  test('a long name that fits under a short origin is kept, its wildcard only if it fits too', () => {
    const name = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}.x`; // 253 characters
    const records = loaded(RPZ.render([entryOf({ kind: 'c2-hostname', value: name.slice(4) })], context({ origin: 'z' })), 'z');
    expect(records.map((r) => r.split(' ')[0])).toEqual(['z.', 'z.', `${name.slice(4)}.z.`]);
  });

  test('URL hosts and IP triggers can be left out', () => {
    const entries = [entryOf({ kind: 'url', value: 'http://files.example/x' }), entryOf({ kind: 'c2-ip', value: '198.51.100.7' }), entryOf({ kind: 'c2-hostname', value: 'c2.example' })];
    const owners = loaded(RPZ.render(entries, context({ urlHosts: false, ipTriggers: false }))).map((r) => r.split(' ')[0]);
    expect(owners).toEqual(['rpz.hub.example.', 'rpz.hub.example.', 'c2.example.rpz.hub.example.', '*.c2.example.rpz.hub.example.']);
  });

  test('each name once, whichever indicators name it; the serial and TTL are the ones given', () => {
    const entries = [entryOf({ kind: 'c2-hostname', value: 'c2.example' }), entryOf({ kind: 'c2-hostname', value: 'C2.Example' }), entryOf({ kind: 'url', value: 'https://c2.example/gate' })];
    const records = loaded(RPZ.render(entries, context({ serial: 2 ** 32 + 5, ttl: 60 })));
    expect(records).toEqual([
      'rpz.hub.example. IN SOA localhost. hostmaster.localhost. 5 3600 600 604800 60',
      'rpz.hub.example. IN NS localhost.',
      'c2.example.rpz.hub.example. IN CNAME .',
      '*.c2.example.rpz.hub.example. IN CNAME .',
    ]);
  });

  test('an empty feed is a zone that loads', () => {
    expect(loaded(RPZ.render([], context()))).toHaveLength(2);
  });

  test('hostile hub and collection names stay in comments', () => {
    const zone = RPZ.render([], { ...context(), hubName: 'evil\n@ IN NS attacker.example.', collection: 'c;\r\n$INCLUDE /etc/passwd' });
    expect(loaded(zone)).toHaveLength(2);
    expect(zone.split('\n').filter((line) => line.startsWith('$'))).toEqual([`$ORIGIN ${ORIGIN}.`, '$TTL 300']);
  });

  test.each([
    ['198.51.100.7', '32.7.100.51.198.rpz-ip'],
    ['10.0.0.0/8', '8.0.0.0.10.rpz-ip'],
    ['2001:db8::1', '128.1.zz.db8.2001.rpz-ip'],
    ['2001:db8::/32', '32.zz.db8.2001.rpz-ip'],
    ['::1', '128.1.zz.rpz-ip'],
    ['1:0:0:2::3', '128.3.zz.2.0.0.1.rpz-ip'],
    ['1:0:0:2:0:0:0:3', undefined], // not canonical: the hub writes 1:0:0:2::3
    ['198.51.100.7/24', undefined], // host bits set
    ['0.0.0.0/0', undefined],
    ['not an address', undefined],
  ])('the rpz-ip trigger of %s is %s', (value, trigger) => {
    expect(rpzIpTrigger(value)).toBe(trigger);
  });

  test('origins are checked', () => {
    expect(rpzOriginProblem('rpz.hub.example.')).toBeUndefined();
    expect(rpzOriginProblem('rpz hub')).toMatch(/label "rpz hub"/);
    expect(rpzOriginProblem('a..b')).toMatch(/label ""/);
    expect(() => RPZ.render([], context({ origin: 'bad origin' }))).toThrow(/RPZ origin/);
  });
});
