import { HASHING_COST, hashSecret, looksLikePhcHash, verifySecret } from '../../src/auth/secret-hashing';

describe('secret hashing', () => {
  test("the hub hashes with Argon2id at OWASP's baseline cost: 19 MiB, 2 passes, 1 lane", async () => {
    expect(HASHING_COST).toEqual({ memoryCost: 19_456, timeCost: 2, parallelism: 1 });
    // A module instance of its own: the test setup (test/support/cheap-password-hashing.ts) lowers
    // the cost in the instance every other test shares.
    let hubHash: typeof hashSecret = hashSecret;
    jest.isolateModules(() => {
      hubHash = (jest.requireActual('../../src/auth/secret-hashing') as typeof import('../../src/auth/secret-hashing')).hashSecret;
    });
    const phc = await hubHash('correct horse battery staple');
    expect(phc).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(looksLikePhcHash(phc)).toBe(true);
    await expect(verifySecret(phc, 'correct horse battery staple')).resolves.toBe(true);
    await expect(verifySecret(phc, 'correct horse battery stapler')).resolves.toBe(false);
  });

  test('a hash made at the tests\' lower cost verifies the same way', async () => {
    const phc = await hashSecret('s3cret');
    expect(phc).toMatch(/^\$argon2id\$v=19\$m=1024,t=1,p=1\$/);
    await expect(verifySecret(phc, 's3cret')).resolves.toBe(true);
    await expect(verifySecret(phc, 'S3cret')).resolves.toBe(false);
  });

  test('a malformed stored hash never verifies', async () => {
    await expect(verifySecret('not a hash', 'anything')).resolves.toBe(false);
  });
});
