/**
 * `npm test` runs every project; `npx jest --selectProjects unit` (or service, slow) runs one.
 *   unit:    the framework-free core, in-process, no server (seconds);
 *   service: the real server on a random port, stores, channels, scripts;
 *   slow:    Chromium, several processes, kill -9, fuzzing, the crisis corpus in every state.
 * The slow files start first (tests/sequencer.js) so that two workers finish together.
 */
const SLOW = [
  '<rootDir>/tests/browser/**/*.test.ts',
  '<rootDir>/tests/faults.test.ts',
  '<rootDir>/tests/multiInstance.test.ts',
  '<rootDir>/tests/http/hostileInput.fuzz.*.test.ts',
  '<rootDir>/tests/crisisEveryState.test.ts',
];
const UNIT = ['<rootDir>/tests/core/**/*.test.ts'];

const SWC = {
  jsc: { parser: { syntax: 'typescript' }, target: 'es2022', keepClassNames: true },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};

const base = {
  testEnvironment: 'node',
  // swc strips the types (tsc -p tsconfig.test.json type-checks first, in npm test): on a clean
  // clone ts-jest spent about a fifth of the run compiling the same files in each worker.
  transform: { '^.+\\.ts$': ['@swc/jest', SWC] },
  setupFiles: ['<rootDir>/tests/setup-env.ts'],
  setupFilesAfterEnv: ['<rootDir>/tests/setup-nock.ts'],
};

/** @type {import('jest').Config} */
module.exports = {
  // Two cores: two workers (jest's default on this machine is one).
  maxWorkers: 2,
  testTimeout: 20000,
  testSequencer: '<rootDir>/tests/sequencer.js',
  reporters: ['default', '<rootDir>/tests/reporters/summary.js'],
  projects: [
    { ...base, displayName: 'unit', testMatch: UNIT },
    { ...base, displayName: 'slow', testMatch: SLOW },
    {
      ...base,
      displayName: 'service',
      testMatch: ['<rootDir>/tests/**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/tests/core/', '<rootDir>/tests/browser/', 'faults\\.test\\.ts$', 'multiInstance\\.test\\.ts$', 'hostileInput\\.fuzz\\..*\\.test\\.ts$', 'crisisEveryState\\.test\\.ts$'],
    },
  ],
};
