// Aliases come from tsconfig.json so jest and tsc can never disagree.
const { pathsToModuleNameMapper } = require('ts-jest');
const { compilerOptions } = require('./tsconfig.json');

const shared = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', isolatedModules: true }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: pathsToModuleNameMapper(compilerOptions.paths, { prefix: '<rootDir>/' }),
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/apps/web/'],
};

module.exports = {
  testTimeout: 180000,
  // Integration suites share one database, one organisation directory and one Temporal server: one file at a time.
  maxWorkers: 1,
  projects: [
    // Pure code: no services, runs in parallel.
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,workflows,deploy}/**/*.spec.ts'] },
    // Real PostgreSQL, Temporal and SMTP, started once by the global setup (only when one of these tests runs).
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      // test/cluster runs in `npm run test:cluster` (its own config there): it starts whole clusters.
      testPathIgnorePatterns: [...shared.testPathIgnorePatterns, '<rootDir>/test/e2e/', '<rootDir>/test/cluster/'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
    // The web UI in a real browser (Chromium) against the same services; own project so it can run alone.
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
};
