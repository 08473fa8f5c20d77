module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'notification',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
