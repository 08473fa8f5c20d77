module.exports = {
  ...require('../../jest.integration.preset.cjs'),
  displayName: 'supervision:integration',
  rootDir: __dirname,
};
