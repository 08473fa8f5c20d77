module.exports = {
  ...require('../../jest.integration.preset.cjs'),
  displayName: 'e2e:integration',
  rootDir: __dirname,
  // In name order: the console in a browser and the end-to-end journeys first, then the fault
  // suite (which scans the whole run at its end).
  testSequencer: require.resolve('./jest.sequencer.cjs'),
};
