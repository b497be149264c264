export * from './factories';
export * from './locks';
export * from './notifications';
export * from './webhook-receiver';
