module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'supervision',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
