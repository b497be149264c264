export * from './actor';
export * from './permissions';
export * from './tickets';
export * from './workspaces';
