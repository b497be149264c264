export * from './factories';
export * from './locks';
export * from './webhook-receiver';
