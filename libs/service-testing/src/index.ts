export * from './service-harness';
export * from './service-readiness';
export * from './http-client';
export * from './service-system';
export * from './sample-cases';
export * from './hostile-input-suite';
export * from './ops-routes';
export * from './schema-drift-check';
