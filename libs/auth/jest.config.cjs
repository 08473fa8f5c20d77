const withEsmDependencies = require('./jest.esm-deps.cjs');

module.exports = withEsmDependencies({
  ...require('../../jest.preset.cjs'),
  displayName: 'auth',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
});
