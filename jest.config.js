/**
 * Jest runs in ESM mode (chokidar, ora and p-retry are ESM-only), so the test script sets
 * NODE_OPTIONS=--experimental-vm-modules. ts-jest only transpiles: `npm run typecheck` owns types.
 * @type {import('jest').Config}
 */
export default {
  preset: 'ts-jest/presets/default-esm',
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, diagnostics: false }],
  },
  setupFiles: ['<rootDir>/test/setup-warnings.ts'],
  // The run gets a private TMPDIR; the teardown fails the run if a test left anything in it.
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  // Jest's transform cache lives with the dependencies, not in TMPDIR: a run leaves nothing there.
  cacheDirectory: '<rootDir>/node_modules/.cache/jest',
  testTimeout: 30000,
  maxWorkers: 2,
};
