import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default [
  { ignores: ['**/node_modules', '**/dist', '**/.cache', '**/.nx', '**/coverage', '**/*.cjs', '**/*.mjs'] },
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          banTransitiveDependencies: true,
          allow: [],
          depConstraints: [
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:tooling', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'scope:intake', onlyDependOnLibsWithTags: ['scope:intake', 'scope:shared'] },
            { sourceTag: 'scope:routing', onlyDependOnLibsWithTags: ['scope:routing', 'scope:shared'] },
            { sourceTag: 'scope:approval', onlyDependOnLibsWithTags: ['scope:approval', 'scope:shared'] },
            { sourceTag: 'scope:delivery', onlyDependOnLibsWithTags: ['scope:delivery', 'scope:shared'] },
            {
              sourceTag: 'scope:notification',
              onlyDependOnLibsWithTags: ['scope:notification', 'scope:shared'],
            },
            {
              sourceTag: 'scope:supervision',
              onlyDependOnLibsWithTags: ['scope:supervision', 'scope:shared'],
            },
            { sourceTag: 'scope:console', onlyDependOnLibsWithTags: ['scope:console', 'scope:shared'] },
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            // The browser bundle: never a service, only libraries with a browser entry point
            // (tag browser-entry; which entry is checked by no-restricted-imports below).
            { sourceTag: 'platform:browser', onlyDependOnLibsWithTags: ['browser-entry'] },
          ],
        },
      ],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    files: [
      '**/*.spec.ts',
      '**/*.int-spec.ts',
      'libs/testing/**/*.ts',
      'libs/service-testing/**/*.ts',
      'tools/**/*.ts',
    ],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    // Of a library with a browser entry point, the browser takes that entry only: the package
    // roots also export Node code (ciphers, database, Kafka) that must never reach the bundle.
    files: ['apps/console/src/**/*.ts', 'apps/console/src/**/*.tsx'],
    // Tests run in Node and may use the generators of synthetic identifiers.
    ignores: ['apps/console/src/**/*.spec.tsx', 'apps/console/src/**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^@tongban/(?!pii/browser$)',
              message: 'the console bundle imports only browser entry points such as @tongban/pii/browser',
            },
          ],
        },
      ],
    },
  },
  prettier,
];
