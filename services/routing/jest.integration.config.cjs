module.exports = {
  ...require('../../jest.integration.preset.cjs'),
  displayName: 'routing:integration',
  rootDir: __dirname,
};
