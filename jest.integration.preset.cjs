const path = require('node:path');
const { register } = require('tsconfig-paths');

// globalSetup runs outside jest's module system, so the @tongban/* aliases need Node's resolver.
register({ baseUrl: __dirname, paths: require('./tsconfig.base.json').compilerOptions.paths });

module.exports = {
  ...require('./jest.preset.cjs'),
  testMatch: ['<rootDir>/src/**/*.int-spec.ts'],
  globalSetup: path.join(__dirname, 'libs/testing/src/global-setup.ts'),
  globalTeardown: path.join(__dirname, 'libs/testing/src/global-teardown.ts'),
  testTimeout: 60000,
  // kafkajs and ioredis leave reconnect timers behind after a broker or server outage; the
  // suites close every client they open, so a lingering timer must not hold CI for minutes.
  forceExit: true,
};
