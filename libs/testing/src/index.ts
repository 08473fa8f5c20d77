export * from './broker-control';
export * from './expect-eventually';
export * from './kafka-test-client';
export * from './test-database';
export * from './test-environment';
