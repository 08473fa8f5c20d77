module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'sms',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
