import { createVerificationCache, type CredentialClaim } from '../../src/auth/verification-cache';

const alice: CredentialClaim = { kind: 'basic', identity: 'alice', secret: 's3cret' };
const HASH = '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA';

describe('the verification cache', () => {
  test('remembers a verified claim against the hash it was verified with', () => {
    const cache = createVerificationCache();
    expect(cache.isVerified(alice, HASH)).toBe(false);
    cache.remember(alice, HASH, ['user:1']);
    expect(cache.isVerified(alice, HASH)).toBe(true);
  });

  test('a different secret, identity or credential kind is not a hit', () => {
    const cache = createVerificationCache();
    cache.remember(alice, HASH, ['user:1']);
    expect(cache.isVerified({ ...alice, secret: 's3cret!' }, HASH)).toBe(false);
    expect(cache.isVerified({ ...alice, identity: 'alicE' }, HASH)).toBe(false);
    expect(cache.isVerified({ ...alice, kind: 'api-key' }, HASH)).toBe(false);
  });

  test('a changed stored hash invalidates the entry', () => {
    const cache = createVerificationCache();
    cache.remember(alice, HASH, ['user:1']);
    expect(cache.isVerified(alice, `${HASH}x`)).toBe(false);
    expect(cache.size).toBe(0);
  });

  test('entries expire after the TTL', () => {
    let clock = 1_000;
    const cache = createVerificationCache({ ttlMs: 100, now: () => clock });
    cache.remember(alice, HASH, ['user:1']);
    clock += 99;
    expect(cache.isVerified(alice, HASH)).toBe(true);
    clock += 1;
    expect(cache.isVerified(alice, HASH)).toBe(false);
  });

  test('beyond its size the oldest entries are evicted', () => {
    const cache = createVerificationCache({ maxEntries: 2 });
    const claims = ['a', 'b', 'c'].map((identity): CredentialClaim => ({ kind: 'basic', identity, secret: 'x' }));
    for (const claim of claims) cache.remember(claim, HASH, [`user:${claim.identity}`]);
    expect(cache.size).toBe(2);
    expect(claims.map((claim) => cache.isVerified(claim, HASH))).toEqual([false, true, true]);
  });

  test('forget drops every entry of an owner and nothing else', () => {
    const cache = createVerificationCache();
    const key: CredentialClaim = { kind: 'api-key', identity: 'k1', secret: 'y' };
    const bob: CredentialClaim = { kind: 'basic', identity: 'bob', secret: 'z' };
    cache.remember(alice, HASH, ['user:1']);
    cache.remember(key, HASH, ['api-key:k1', 'user:1']);
    cache.remember(bob, HASH, ['user:2']);
    cache.forget('user:1');
    expect([alice, key, bob].map((claim) => cache.isVerified(claim, HASH))).toEqual([false, false, true]);
  });
});
