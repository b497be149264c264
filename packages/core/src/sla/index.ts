export * from './business-time';
export * from './clock';
export * from './deadlines';
export * from './policies';
export * from './schemas';
export * from './ticket-clock';
