module.exports = {
  ...require('../../jest.integration.preset.cjs'),
  displayName: 'messaging:integration',
  rootDir: __dirname,
};
