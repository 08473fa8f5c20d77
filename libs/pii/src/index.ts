export * from './resident-id';
export * from './phone';
export * from './masking';
export * from './synthetic-pii';
export * from './pii-cipher';
export * from './pii-env.schema';
export * from './dev-pii-keys';
export * from './personal-number-scan';
