export * from './data-source-options';
export * from './migrations';
export * from './redis.module';
export * from './typed-sql';
