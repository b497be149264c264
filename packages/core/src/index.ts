export * from './audit/record-audit-event';
export * from './auth/passwords';
export * from './auth/sessions';
export * from './errors';
export * from './notifications/create-notifications';
export * from './policy';
export * from './shared/pagination';
export * from './shared/transaction';
