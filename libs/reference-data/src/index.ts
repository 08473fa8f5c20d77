export * from './schemas';
export * from './problems';
export * from './calendar';
export * from './reference-data';
export * from './validate';
export * from './load';
export * from './material-conditions';
export * from './promised-limit';
