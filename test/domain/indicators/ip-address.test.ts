import { normaliseIndicator } from '../../../src/domain/indicators';
import { accepted, expectInvalid, expectValid, VALID_IPS, type InvalidRow } from './indicator-tables';

const INVALID_IPS: readonly InvalidRow[] = [
  ['', 'is empty'],
  ['   ', 'is empty'],
  ['010.0.0.1', "leading zero in octet '010', which some software reads as octal; send 10.0.0.1"],
  ['192.168.01.1', "leading zero in octet '01'"],
  ['256.1.1.1', "octet '256' of '256.1.1.1' is above 255"],
  ['1.2.3', 'has 3 parts'],
  ['1.2.3.4.5', 'has 5 parts'],
  ['1..2.3', 'has an empty octet'],
  ['0x7f.0.0.1', 'is not an IP address'],
  ['c2.example.com', 'is not an IP address; send an IPv4 address such as 198.51.100.7'],
  ['198.51.100.7/24', '198.51.100.7/24 has host bits set; did you mean 198.51.100.0/24?'],
  ['2001:db8::1/32', '2001:db8::1/32 has host bits set; did you mean 2001:db8::/32?'],
  ['198.51.100.0/33', "prefix length '/33'"],
  ['198.51.100.0/', "prefix length '/'"],
  ['198.51.100.0/024', "prefix length '/024'"],
  ['198.51.100.0/24/24', "prefix length '/24/24'"],
  ['2001:db8::/129', 'from 0 to 128 (IPv6)'],
  ['fe80::1%eth0', "has a zone id ('%eth0')"],
  ['[2001:db8::1]', 'is in brackets'],
  ['[2001:db8::1]:443', 'is in brackets'],
  ['2001:db8::1::1', "more than one '::'"],
  [':::', "more than one '::'"],
  ['2001:db8:1:2:3:4:5', 'has 7 groups'],
  ['2001:db8:1:2:3:4:5:6:7', 'has 9 groups'],
  ['1:2:3:4::5:6:7:8', "with '::' there can be at most 7"],
  ['2001:db8::12345', "group '12345'"],
  [':1:2:3:4:5:6:7', 'has an empty group'],
  ['1:2:3:4:5:6:7:', 'has an empty group'],
  ['2001:db8::g', "contains 'g'"],
  ['::ffff:192.0.2.256', 'the IPv4 part'],
  ['::ffff:192.0.02.1', 'leading zero'],
  ['::192.0.2.1:1', 'is not at the end of the address'],
  ['198.51.100.7:80', 'has a port; send the address without it'],
  ['::1.2.3.4:80', 'is not at the end of the address'],
];

describe('email-sender-ip', () => {
  expectValid('email-sender-ip', VALID_IPS);
  expectInvalid('email-sender-ip', INVALID_IPS);
});

describe('c2-ip', () => {
  expectValid('c2-ip', VALID_IPS);
  expectInvalid('c2-ip', INVALID_IPS);
});

test('an IPv6 address is written in RFC 5952 form', () => {
  expect(accepted({ kind: 'c2-ip', value: '2001:0DB8:0000:0000:0000:FF00:0042:8329' }).value).toBe('2001:db8::ff00:42:8329');
  // a single zero group is not compressed; of two equal runs the first is
  expect(accepted({ kind: 'c2-ip', value: '2001:db8:0:1:1:1:1:1' }).value).toBe('2001:db8:0:1:1:1:1:1');
  expect(accepted({ kind: 'c2-ip', value: '2001:0:0:1:1:0:0:1' }).value).toBe('2001::1:1:0:0:1');
});

test('an IPv4-mapped IPv6 address keeps its dotted tail, however it was written', () => {
  expect(accepted({ kind: 'c2-ip', value: '::ffff:c000:201' }).value).toBe('::ffff:192.0.2.1');
  expect(accepted({ kind: 'c2-ip', value: '::ffff:192.0.2.1' })).toMatchObject({ observableType: 'ipv6-addr' });
});

test('an address is compared with =, a network with ISSUBSET', () => {
  expect(accepted({ kind: 'c2-ip', value: '198.51.100.7' })).toMatchObject({
    pattern: "[ipv4-addr:value = '198.51.100.7']",
    observableType: 'ipv4-addr',
    label: 'C2 IP 198.51.100.7',
  });
  expect(accepted({ kind: 'email-sender-ip', value: '198.51.100.0/24' })).toMatchObject({
    pattern: "[ipv4-addr:value ISSUBSET '198.51.100.0/24']",
    label: 'E-mail sender IP 198.51.100.0/24',
  });
  expect(accepted({ kind: 'c2-ip', value: '2001:db8::1' }).pattern).toBe("[ipv6-addr:value = '2001:db8::1']");
  expect(accepted({ kind: 'c2-ip', value: '2001:db8::/48' }).pattern).toBe("[ipv6-addr:value ISSUBSET '2001:db8::/48']");
});

test('a /32 or /128 network is the plain address, compared with =', () => {
  expect(accepted({ kind: 'c2-ip', value: '198.51.100.7/32' }).pattern).toBe("[ipv4-addr:value = '198.51.100.7']");
  expect(accepted({ kind: 'c2-ip', value: '2001:db8::1/128' }).pattern).toBe("[ipv6-addr:value = '2001:db8::1']");
});

test('an IP kind refuses an algorithm', () => {
  expect(normaliseIndicator({ kind: 'c2-ip', value: '198.51.100.7', algorithm: 'SHA-256' })).toMatchObject({
    ok: false,
    field: 'algorithm',
    message: expect.stringContaining('only for kind file-hash'),
  });
});
