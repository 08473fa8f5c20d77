module.exports = {
  ...require('../../jest.integration.preset.cjs'),
  displayName: 'deploy-checks:integration',
  rootDir: __dirname,
};
