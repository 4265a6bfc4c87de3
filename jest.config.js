/** @type {import('jest').Config} */
module.exports = {
  // jest's node environment, releasing what a test file left registered with Node (see the file).
  testEnvironment: '<rootDir>/test/support/test-environment.ts',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // Argon2id at a test cost (the hub's own cost is checked in test/auth/secret-hashing.test.ts).
  setupFiles: ['<rootDir>/test/support/cheap-password-hashing.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } } }],
    // PGlite's CommonJS build loads node built-ins with dynamic import(), which jest's module sandbox
    // refuses without --experimental-vm-modules; compiling it to require() lets plain `jest` run it.
    '@electric-sql/pglite/dist/.+\\.cjs$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!@electric-sql/pglite/)'],
  testTimeout: 30000,
  // Two workers on the 2-core machines: the suites wait on PGlite, PostgreSQL and child processes
  // much of the time, so two workers take 350 s where jest's default of one (cores - 1) takes 540 s.
  maxWorkers: 2,
};
