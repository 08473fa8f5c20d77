module.exports = {
  ...require('../../jest.integration.preset.cjs'),
  displayName: 'workspace-checks:integration',
  rootDir: __dirname,
};
