module.exports = {
  ...require('../../jest.integration.preset.cjs'),
  displayName: 'approval:integration',
  rootDir: __dirname,
};
