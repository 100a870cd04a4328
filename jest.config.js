// Jest runs the TypeScript sources as ESM through ts-jest (NODE_OPTIONS / node flag
// --experimental-vm-modules is set by the npm scripts). Relative imports carry ".js" as
// NodeNext requires; the mapper strips it so ts-jest finds the .ts file.
/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }],
  },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/bench/'],
  globalSetup: '<rootDir>/test/helpers/globalSetup.js',
  globalTeardown: '<rootDir>/test/helpers/globalTeardown.js',
  testTimeout: 60_000,
  maxWorkers: 2,
};
