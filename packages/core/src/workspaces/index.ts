export * from './create-workspace';
export * from './list-workspaces';
export * from './schemas';
