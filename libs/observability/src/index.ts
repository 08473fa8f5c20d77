export * from './logging.module';
export * from './personal-data-scrubber';
export * from './trace-context';
export * from './tracing';
export * from './background-reading';
