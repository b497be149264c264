export * from './request-limits';
