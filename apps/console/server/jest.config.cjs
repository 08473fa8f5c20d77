module.exports = {
  ...require('../../../jest.preset.cjs'),
  displayName: 'console-server',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
