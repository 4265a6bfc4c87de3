import { createThrottleWarnings, type ThrottledAttempt } from '../../src/auth/throttle-warnings';

const refused: ThrottledAttempt = {
  scheme: 'basic',
  account: 'alice',
  address: '2001:db8:1:2::/64',
  clientAddress: '2001:db8:1:2::7',
  reason: 'account-at-address',
  retryAfterSeconds: 120,
};

describe('warnings about throttled attempts', () => {
  test('name the client address, the address it was counted under, the account and the scheme', () => {
    const warnings: object[] = [];
    const warn = createThrottleWarnings({ warn: (fields) => warnings.push(fields) });
    warn(refused);
    expect(warnings).toEqual([
      { address: '2001:db8:1:2::7', countedAs: '2001:db8:1:2::/64', account: 'alice', scheme: 'basic', reason: 'account-at-address', retryAfterSeconds: 120 },
    ]);
  });

  test('a client hammering on is reported once a minute per account and address, with the refusals in between', () => {
    let clock = 0;
    const warnings: object[] = [];
    const warn = createThrottleWarnings({ warn: (fields) => warnings.push(fields) }, { now: () => clock });
    for (let i = 0; i < 5; i += 1) warn(refused);
    warn({ ...refused, account: 'bob' });
    clock += 60_000;
    warn(refused);
    expect(warnings).toEqual([
      expect.objectContaining({ account: 'alice' }),
      expect.objectContaining({ account: 'bob' }),
      expect.objectContaining({ account: 'alice', refusedSincePreviousWarning: 4 }),
    ]);
  });
});
