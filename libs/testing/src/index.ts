export * from './broker-control';
export * from './expect-eventually';
export * from './kafka-test-client';
export * from './test-database';
export * from './test-environment';
export * from './kafka-topics';
export * from './sample-events';
export * from './node-process';
