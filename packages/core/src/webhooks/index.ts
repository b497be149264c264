export * from './address-policy';
export * from './deliver';
export * from './deliveries';
export * from './endpoints';
export * from './events';
export * from './schemas';
export * from './secrets';
export * from './transport';
