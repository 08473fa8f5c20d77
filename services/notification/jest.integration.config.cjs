module.exports = {
  ...require('../../jest.integration.preset.cjs'),
  displayName: 'notification:integration',
  rootDir: __dirname,
};
