module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'pii',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
