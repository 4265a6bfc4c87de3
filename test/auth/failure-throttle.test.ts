import { createFailureThrottle } from '../../src/auth/failure-throttle';

const MINUTE = 60_000;

describe('the failure throttle', () => {
  test('refuses an identity once it has reached its failure limit within the window', () => {
    let clock = 0;
    const throttle = createFailureThrottle({ maxFailuresPerIdentity: 3, windowMs: 5 * MINUTE }, () => clock);
    const attempt = { identity: 'basic:alice', ip: '10.0.0.1' };
    for (let i = 0; i < 3; i += 1) {
      expect(throttle.check(attempt)).toEqual({ allowed: true });
      throttle.recordFailure(attempt);
      clock += MINUTE;
    }
    // failures at 0, 1 and 2 minutes; the first leaves the window at 5 minutes
    expect(throttle.check(attempt)).toEqual({ allowed: false, retryAfterSeconds: 120 });
    expect(throttle.check({ identity: 'basic:bob', ip: '10.0.0.1' })).toEqual({ allowed: true });
  });

  test('the window slides: each expiring failure lets one more attempt through', () => {
    let clock = 0;
    const throttle = createFailureThrottle({ maxFailuresPerIdentity: 2, windowMs: 10 * MINUTE }, () => clock);
    const attempt = { identity: 'basic:alice', ip: '10.0.0.1' };
    throttle.recordFailure(attempt);
    clock = MINUTE;
    throttle.recordFailure(attempt);
    clock = 10 * MINUTE - 1;
    expect(throttle.check(attempt).allowed).toBe(false);
    clock = 10 * MINUTE;
    expect(throttle.check(attempt).allowed).toBe(true);
    throttle.recordFailure(attempt);
    expect(throttle.check(attempt)).toEqual({ allowed: false, retryAfterSeconds: 60 });
  });

  test('counts failures per address across identities, and an attempt without identity still counts', () => {
    const throttle = createFailureThrottle({ maxFailuresPerIp: 3 });
    throttle.recordFailure({ identity: 'basic:a', ip: '10.0.0.1' });
    throttle.recordFailure({ identity: 'api-key:b', ip: '10.0.0.1' });
    throttle.recordFailure({ ip: '10.0.0.1' });
    expect(throttle.check({ identity: 'basic:c', ip: '10.0.0.1' }).allowed).toBe(false);
    expect(throttle.check({ identity: 'basic:c', ip: '10.0.0.2' }).allowed).toBe(true);
  });

  test("a success clears the identity's failures but not the address's", () => {
    const throttle = createFailureThrottle({ maxFailuresPerIdentity: 2, maxFailuresPerIp: 2 });
    const attempt = { identity: 'basic:alice', ip: '10.0.0.1' };
    throttle.recordFailure(attempt);
    throttle.recordSuccess(attempt);
    throttle.recordFailure(attempt);
    expect(throttle.check({ ...attempt, ip: '10.0.0.9' }).allowed).toBe(true);
    expect(throttle.check({ identity: 'basic:bob', ip: '10.0.0.1' }).allowed).toBe(false);
  });

  test('beyond the tracked-key bound the least recently failing keys are forgotten', () => {
    const throttle = createFailureThrottle({ maxFailuresPerIdentity: 1, maxFailuresPerIp: 1_000, maxTrackedKeys: 2 });
    for (const name of ['a', 'b', 'c']) throttle.recordFailure({ identity: `basic:${name}`, ip: '10.0.0.1' });
    const allowed = ['a', 'b', 'c'].map((name) => throttle.check({ identity: `basic:${name}`, ip: '10.0.0.1' }).allowed);
    expect(allowed).toEqual([true, false, false]);
  });
});
