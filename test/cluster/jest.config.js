// `npm run test:cluster` (deploy/cluster/test.js): the suites that start the real Temporal server or a whole
// cluster (deploy/cluster). Not part of `npm test`: building the server from source and the fault test take
// longer than that suite's budget (docs/cluster.md). Each file starts what it needs itself: no global setup.
const path = require('node:path');
const { pathsToModuleNameMapper } = require('ts-jest');
const { compilerOptions } = require('../../tsconfig.json');

const rootDir = path.resolve(__dirname, '..', '..');

module.exports = {
  rootDir,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', isolatedModules: true }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: pathsToModuleNameMapper(compilerOptions.paths, { prefix: '<rootDir>/' }),
  testMatch: ['<rootDir>/test/cluster/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  // One cluster at a time: they share the machine's two cores and their port ranges.
  maxWorkers: 1,
  testTimeout: 45 * 60 * 1000,
};
