export * from './factories';
export * from './locks';
