// Loaded before jest spawns workers, so every worker inherits UTC: date logic (working days,
// SLA deadlines) must never depend on the machine's zone.
process.env.TZ = 'UTC';

const path = require('node:path');
const { compilerOptions } = require('./tsconfig.base.json');

// Mirrors the single "@tongban/*" alias of tsconfig.base.json.
const [libsPattern] = compilerOptions.paths['@tongban/*'];
const moduleNameMapper = { '^@tongban/([\\w-]+)$': path.join(__dirname, libsPattern.replace('*', '$1')) };

module.exports = {
  testEnvironment: 'node',
  moduleNameMapper,
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          target: 'es2022',
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
        },
        module: { type: 'commonjs' },
        sourceMaps: 'inline',
      },
    ],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
};
