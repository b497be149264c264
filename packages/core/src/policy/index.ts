export * from './actor';
export * from './tickets';
export * from './webhooks';
export * from './workspaces';
