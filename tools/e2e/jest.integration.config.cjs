module.exports = {
  ...require('../../jest.integration.preset.cjs'),
  displayName: 'e2e:integration',
  rootDir: __dirname,
  // The end-to-end journeys first, then the fault suite (which scans the whole run at its end).
  testSequencer: require.resolve('./jest.sequencer.cjs'),
  // The console's browser journeys run on their own (jest.console.config.cjs, npm run test:console).
  testPathIgnorePatterns: ['/node_modules/', 'console-browser\\.int-spec\\.ts$'],
};
