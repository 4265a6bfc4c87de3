import { setHashingCostForTests } from '../../src/auth/secret-hashing';

/**
 * Run before every test file (jest.config.js, setupFiles): Argon2id hashes made by tests cost 1 MiB
 * and one pass instead of 19 MiB and two (some 50 ms of CPU each, hundreds of them per run). What a
 * test observes of a hash is unchanged: its format, and that it verifies. test/auth/secret-hashing.test.ts
 * checks the hub's own cost.
 */
setHashingCostForTests({ memoryCost: 1024, timeCost: 1, parallelism: 1 });
