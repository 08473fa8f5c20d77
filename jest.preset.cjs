// Loaded before jest spawns workers, so every worker inherits UTC: date logic (working days,
// SLA deadlines) must never depend on the machine's zone.
process.env.TZ = 'UTC';

const path = require('node:path');
const { compilerOptions } = require('./tsconfig.base.json');

// Mirrors the single "@tongban/*" alias of tsconfig.base.json.
const [libsPattern] = compilerOptions.paths['@tongban/*'];
const moduleNameMapper = { '^@tongban/([\\w-]+)$': path.join(__dirname, libsPattern.replace('*', '$1')) };

// jose 6 ships only ES modules. Node >= 20.19 loads them through require(), but jest's CommonJS
// runtime cannot, so jest compiles them to CommonJS like our own sources.
const ESM_ONLY_PACKAGES = ['jose'].join('|');

const swc = (options) => ['@swc/jest', { module: { type: 'commonjs' }, sourceMaps: 'inline', ...options }];

module.exports = {
  testEnvironment: 'node',
  moduleNameMapper,
  transform: {
    '^.+\\.ts$': swc({
      jsc: {
        target: 'es2022',
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      },
    }),
    [`/node_modules/(${ESM_ONLY_PACKAGES})/.+\\.js$`]: swc({ jsc: { target: 'es2022' } }),
  },
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_ONLY_PACKAGES})/)`],
  moduleFileExtensions: ['ts', 'js', 'json'],
};
