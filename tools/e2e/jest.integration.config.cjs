module.exports = {
  ...require('../../jest.integration.preset.cjs'),
  displayName: 'e2e:integration',
  rootDir: __dirname,
  // In name order: the console in a browser and the end-to-end journeys first, then the fault
  // suite (which scans the whole run at its end).
  testSequencer: require.resolve('./jest.sequencer.cjs'),
  // The overload suite runs on its own (npm run test:overload): in CI its reconciliation of ~11,700
  // cases outran its timeout (docs/testing.md).
  testPathIgnorePatterns: ['/node_modules/', 'overload\\.int-spec\\.ts$'],
};
