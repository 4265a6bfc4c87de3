import { throttleAddressOf } from '../../src/auth/throttle-address';

describe('the address a login attempt is counted under', () => {
  test.each([
    ['203.0.113.7', '203.0.113.7'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['2001:db8:1:2:aaaa:bbbb:cccc:dddd', '2001:db8:1:2::/64'],
    ['2001:DB8:1:2::1', '2001:db8:1:2::/64'],
    ['fe80::1%eth0', 'fe80::/64'],
    ['::1', '::/64'],
    ['unknown', 'unknown'],
  ])('%s is counted as %s', (ip, counted) => {
    expect(throttleAddressOf(ip)).toBe(counted);
  });

  test('two hosts of one IPv6 /64 share a count; the next /64 does not', () => {
    expect(throttleAddressOf('2001:db8:0:1::a')).toBe(throttleAddressOf('2001:db8:0:1::b'));
    expect(throttleAddressOf('2001:db8:0:1::a')).not.toBe(throttleAddressOf('2001:db8:0:2::a'));
  });
});
