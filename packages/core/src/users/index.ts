export * from './create-superadmin';
export * from './create-user';
export * from './list-users';
export * from './schemas';
export * from './update-user';
export * from './user-dto';
