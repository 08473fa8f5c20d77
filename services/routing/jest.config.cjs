module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'routing',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
