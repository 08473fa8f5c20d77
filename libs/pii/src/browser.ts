// The checks a browser bundles too (no Node built-ins), so the console's forms refuse exactly what
// intake refuses: `@tongban/pii/browser`. The package root also exports the cipher (node:crypto).
export * from './phone';
export * from './resident-id';
