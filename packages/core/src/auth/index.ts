export * from './authenticate-caller';
export * from './current-user';
export * from './first-run-setup';
export * from './passwords';
export * from './schemas';
export * from './sessions';
export * from './sign-in';
export * from './sign-up';
