export * from './flexible-rate-limiter';
export * from './rate-limiter';
