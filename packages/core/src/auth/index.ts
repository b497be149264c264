export * from './authenticate-caller';
export * from './current-user';
export * from './passwords';
export * from './schemas';
export * from './sessions';
export * from './sessions-ended';
export * from './sign-in';
export * from './sign-up';
