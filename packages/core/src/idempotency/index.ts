export * from './idempotency';
export * from './schemas';
