module.exports = {
  ...require('../../jest.integration.preset.cjs'),
  displayName: 'delivery:integration',
  rootDir: __dirname,
};
