const path = require('node:path');

module.exports = {
  ...require('./jest.preset.cjs'),
  testMatch: ['<rootDir>/src/**/*.int-spec.ts'],
  globalSetup: path.join(__dirname, 'libs/testing/src/global-setup.ts'),
  globalTeardown: path.join(__dirname, 'libs/testing/src/global-teardown.ts'),
  testTimeout: 60000,
};
