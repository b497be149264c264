export * from './create-notifications';
