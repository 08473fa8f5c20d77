const withEsmDependencies = require('./jest.esm-deps.cjs');

module.exports = withEsmDependencies({
  ...require('../../jest.integration.preset.cjs'),
  displayName: 'auth:integration',
  rootDir: __dirname,
});
