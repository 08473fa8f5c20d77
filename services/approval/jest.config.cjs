module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'approval',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
