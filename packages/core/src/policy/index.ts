export * from './actor';
export * from './tickets';
export * from './workspaces';
