export * from './bootstrap';
export * from './runtime.module';
export * from './service-config';
export * from './health/health.module';
export * from './health/kafka-consumer-state';
export * from './health/kafka.health';
export * from './health/with-timeout';
export * from './migrate-cli';
