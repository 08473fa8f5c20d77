export * from './table-definition';
export * from './typed-query';
export * from './schema-drift';
