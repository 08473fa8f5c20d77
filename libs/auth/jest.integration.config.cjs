module.exports = {
  ...require('../../jest.integration.preset.cjs'),
  displayName: 'auth:integration',
  rootDir: __dirname,
};
