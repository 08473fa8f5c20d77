module.exports = {
  ...require('../../jest.integration.preset.cjs'),
  displayName: 'intake:integration',
  rootDir: __dirname,
};
