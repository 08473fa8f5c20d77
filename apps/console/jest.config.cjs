const path = require('node:path');
const preset = require('../../jest.preset.cjs');

// Component tests: React in jsdom with Testing Library; TSX compiled by swc like the rest.
module.exports = {
  ...preset,
  displayName: 'console',
  rootDir: __dirname,
  testEnvironment: 'jsdom',
  // antd renders slowly in jsdom on a shared 2-core machine.
  testTimeout: 120000,
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/src/**/*.spec.tsx'],
  setupFilesAfterEnv: ['<rootDir>/src/testing/jest-setup.ts'],
  moduleNameMapper: {
    '^@tongban/pii/browser$': path.join(__dirname, '../../libs/pii/src/browser.ts'),
    ...preset.moduleNameMapper,
    '\\.css$': path.join(__dirname, 'src/testing/style-stub.ts'),
  },
  transform: {
    ...preset.transform,
    '^.+\\.tsx$': [
      '@swc/jest',
      {
        module: { type: 'commonjs' },
        jsc: {
          target: 'es2022',
          parser: { syntax: 'typescript', tsx: true },
          transform: { react: { runtime: 'automatic' } },
        },
      },
    ],
  },
  moduleFileExtensions: ['tsx', 'ts', 'js', 'json'],
};
