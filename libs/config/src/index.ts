export * from './load-config';
export * from './env-types';
export * from './service-env.schema';
export * from './dev-cache';
