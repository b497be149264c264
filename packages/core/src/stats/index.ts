export * from './generate-stats';
export * from './schemas';
