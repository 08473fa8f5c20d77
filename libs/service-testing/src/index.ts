export * from './service-harness';
export * from './service-readiness';
export * from './http-client';
